"""Bench hook of apps.khom: the synthetic wards (codes BN001, BN002, …) and their 20 khóm."""
import random

from apps.core.bench import KHOMS_PER_WARD, bulk, person_name

from .models import Khom, Ward

CODE_PREFIX = "BN"

PLACE_FIRST = ["Mỹ", "Long", "Bình", "Tân", "Phú", "Vĩnh", "Thới", "Hòa", "An", "Châu", "Thạnh", "Hưng",
               "Phước", "Đông", "Tây", "Nhơn", "Khánh", "Định", "Lộc", "Trung"]
PLACE_SECOND = ["Thới", "Xuyên", "Hòa", "Thạnh", "Phú", "Đức", "An", "Hưng", "Lợi", "Khánh", "Mỹ", "Quới",
                "Thuận", "Điền", "Đông", "Hậu", "Nhựt", "Tây", "Lạc", "Phong"]


def place_names(seed: int) -> list[str]:
    """400 distinct two-syllable place names in a fixed shuffled order (ward n takes the n-th)."""
    names = [f"{a} {b}" for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
    random.Random(f"{seed}:places").shuffle(names)
    return names


def bench_ward_code(number: int) -> str:
    return f"{CODE_PREFIX}{number:03d}"


def prepare(run):
    """Wards already built are skipped: a database seeded with fewer wards is topped up."""
    existing = set(Ward.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True))
    run["skip"].update(number for number in range(1, 1000) if bench_ward_code(number) in existing)
    run["places"] = place_names(run["seed"])


def build_ward(bench):
    if hasattr(bench, "ward"):
        return
    rng = bench.rng
    places = bench.run["places"]
    bench.ward = Ward.objects.create(code=bench_ward_code(bench.number), name=places[(bench.number - 1) % len(places)],
                                     province="An Giang", population=rng.randint(18000, 45000))
    households = [rng.randint(350, 800) for _ in range(KHOMS_PER_WARD)]
    total = sum(households)
    names = rng.sample(place_names(bench.number), KHOMS_PER_WARD)
    khoms = []
    for index, (name, hh) in enumerate(zip(names, households), start=1):
        khoms.append(Khom(
            ward=bench.ward, code=f"K{index:02d}", name=f"Khóm {name}", households=hh,
            population=round(bench.ward.population * hh / total), head_name=person_name(rng, rng.random() < 0.3),
            # 20 % of khóm drug-free in 2025, all by 2029: the province roadmap.
            target_year=min(2029, 2025 + (index - 1) * 5 // KHOMS_PER_WARD),
        ))
    bench.khoms = bulk(Khom, khoms)
    bench.counts["khom"] += len(bench.khoms)
