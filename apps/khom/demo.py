"""The province's 102 real units, and demo ward Mỹ Thới with its 19 khóm and the 2025–2029 roadmap."""
from .choices import WardKind
from .models import Khom, Ward
from .units import seed_province

# Mỹ Thới's official code and name come from seed_province; the demo adds its population and khóm.
WARD = {"code": "30301", "name": "Mỹ Thới", "kind": WardKind.PHUONG, "province": "An Giang", "population": 38512}

# (code, name, households, target year): 4 khóm in 2025, all 19 by 2029.
KHOMS = [
    ("K01", "Khóm Đông Thạnh", 612, 2025),
    ("K02", "Khóm Đông Thịnh", 574, 2025),
    ("K03", "Khóm Đông An", 498, 2025),
    ("K04", "Khóm Đông Hưng", 530, 2025),
    ("K05", "Khóm Thới An", 655, 2026),
    ("K06", "Khóm Thới Hòa", 701, 2026),
    ("K07", "Khóm Thới Thạnh", 548, 2026),
    ("K08", "Khóm Thới Thuận", 590, 2026),
    ("K09", "Khóm Tây Huề 1", 620, 2027),
    ("K10", "Khóm Tây Huề 2", 604, 2027),
    ("K11", "Khóm Tây Huề 3", 566, 2027),
    ("K12", "Khóm Mỹ Thạnh", 688, 2027),
    ("K13", "Khóm Mỹ Phú", 720, 2028),
    ("K14", "Khóm Mỹ Hòa", 642, 2028),
    ("K15", "Khóm Mỹ Quới", 598, 2028),
    ("K16", "Khóm Bình Đức", 735, 2028),
    ("K17", "Khóm Bình Thới", 610, 2029),
    ("K18", "Khóm Hưng Thạnh", 583, 2029),
    ("K19", "Khóm Long Thạnh", 542, 2029),
]
HEADS = ["Nguyễn Văn Đức", "Trần Thị Hồng", "Lê Văn Phước", "Phạm Thị Lan", "Huỳnh Văn Tâm", "Võ Thị Mai",
         "Đặng Văn Lộc", "Bùi Thị Ngọc", "Đỗ Văn Hùng", "Hồ Thị Thu", "Ngô Văn Đạt", "Dương Thị Yến",
         "Lý Văn Sang", "Trương Thị Bích", "Phan Văn Đông", "Châu Thị Kim", "Lâm Văn Nghĩa", "Tô Thị Diễm",
         "Quách Văn Đạo"]


def seed(context):
    if "ward" in context:
        return  # already run (apps.accounts' demo runs this first)
    units = seed_province()
    context["stdout"].write(f"Province units: {sum(units.values())} ({units['created']} new).")
    ward, _ = Ward.objects.update_or_create(code=WARD["code"], defaults=WARD)
    total_households = sum(k[2] for k in KHOMS)
    for (code, name, households, year), head in zip(KHOMS, HEADS):
        Khom.objects.update_or_create(
            ward=ward,
            code=code,
            defaults={
                "name": name,
                "households": households,
                "population": round(WARD["population"] * households / total_households),
                "head_name": head,
                "target_year": year,
            },
        )
    context["ward"] = ward
    context["stdout"].write(f"Ward {ward.name}: {ward.khoms.count()} khóm.")
