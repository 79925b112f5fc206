"""The synthetic world of the province-scale benchmark (DESIGN §5): its calendar, its vocabulary,
and the per-ward state that the apps' ``bench.py`` hooks build, in the order of INSTALLED_APPS.

Each app that owns data for the benchmark provides ``apps/<app>/bench.py`` with, optionally,
``prepare(run)`` (once per run: reference rows, shared users) and ``build_ward(ward)`` (one ward,
drawn from the ward's own generator); ``manage.py seed_bench`` calls them. Like ``demo.py``, a hook
creates its app's rows and may call a lower app's hook first when it needs its rows.
"""
import datetime as dt
import random
from collections import defaultdict

# Fixed "today" of the synthetic world: determinism must not depend on the day the command runs.
AS_OF = dt.date(2026, 10, 31)
HISTORY_START = dt.date(2023, 1, 1)
CASES_START = dt.date(2025, 1, 1)

# DESIGN §5 divided by its 100 wards.
KHOMS_PER_WARD = 20
PEOPLE_PER_WARD = 500
TESTS_PER_WARD = 1500
CASES_PER_WARD = 100
HOTSPOTS_PER_WARD = 3
REINTEGRATION_MODELS_PER_WARD = 2
POLICE_PER_WARD = 2
BATCH = 2000

# Family names weighted roughly as in the population of the Mekong delta.
FAMILY_NAMES = [("Nguyễn", 36), ("Trần", 11), ("Lê", 9), ("Phạm", 6), ("Huỳnh", 6), ("Võ", 5), ("Phan", 4),
                ("Trương", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 2),
                ("Lý", 2), ("Lâm", 2), ("Châu", 1), ("Tô", 1), ("Quách", 1), ("Thạch", 1), ("Đoàn", 1),
                ("Hoàng", 1), ("Mai", 1), ("Lưu", 1)]
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Hữu", "Minh", "Quốc", "Thanh", "Công", "Đức", "Hoàng", "Tấn", "Thành"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim", "Mỹ", "Thanh", "Hồng", "Bích"]
GIVEN_MALE = ["Hùng", "Dũng", "Tuấn", "Đức", "Phước", "Tâm", "Lộc", "Sang", "Nghĩa", "Đạt", "Khánh", "Long",
              "Phúc", "Thành", "Trí", "Hải", "Hiếu", "Nam", "Quang", "Toàn", "Vinh", "Tài", "Thắng", "Lực",
              "Cường", "Định", "Hưng", "Kiệt", "Luân", "Nhân", "Phát", "Quý", "Sơn", "Thông", "Trọng", "Đông",
              "Khải", "Bảo", "Duy", "Hoà", "Lợi", "Nguyên", "Thiện", "Tùng", "Vũ", "Ẩn", "Ý"]
GIVEN_FEMALE = ["Lan", "Mai", "Hồng", "Ngọc", "Thu", "Yến", "Bích", "Diễm", "Hạnh", "Trang", "Nhung", "Thảo",
                "Hương", "Loan", "Phượng", "Trinh", "Vy", "Như", "Tuyết", "Oanh", "Nguyệt", "Huệ", "Ánh"]
STREETS = ["Trần Hưng Đạo", "Nguyễn Huệ", "Lê Lợi", "Hai Bà Trưng", "Tôn Đức Thắng", "Hùng Vương",
           "Lý Thái Tổ", "Ung Văn Khiêm", "Trần Quang Diệu", "Nguyễn Thái Học", "Phạm Cự Lượng", "Hà Hoàng Hổ",
           "Bùi Thị Xuân", "Lê Hồng Phong", "Nguyễn Trãi", "Võ Thị Sáu", "tổ 5", "tổ 12", "ấp Đông Thạnh"]
OCCUPATIONS = ["Làm thuê", "Buôn bán", "Thợ hồ", "Tài xế", "Nông dân", "Thất nghiệp", "Công nhân", "Sửa xe",
               "Ngư dân", "Bốc vác", "", ""]
SUBSTANCES = ["Methamphetamine (ma túy đá)", "Heroin", "MDMA (thuốc lắc)", "Ketamine", "Cần sa",
              "Methamphetamine (hồng phiến)"]


def weighted(rng, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


def day_between(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def person_name(rng, female: bool) -> str:
    family = weighted(rng, FAMILY_NAMES)
    middle, given = (rng.choice(MIDDLE_FEMALE), rng.choice(GIVEN_FEMALE)) if female else (
        rng.choice(MIDDLE_MALE), rng.choice(GIVEN_MALE))
    # "Trần Hồng Hồng" is not a name anyone carries.
    if middle == given:
        middle = "Thị" if female else "Văn"
    return f"{family} {middle} {given}"


def bulk(model, objects):
    """Insert *objects* in batches; PostgreSQL hands back their primary keys."""
    return model.objects.bulk_create(objects, batch_size=BATCH)


class BenchWard:
    """One synthetic ward while it is built: its number, its generator, what the hooks made so far.

    The hooks share it in INSTALLED_APPS order (khóm and users, then people, cases, activities);
    each sets the attributes the next ones read (``ward``, ``khoms``, ``police``, ``people`` …).
    """

    def __init__(self, *, run: dict, number: int):
        self.run = run
        self.number = number
        people = run["people_per_ward"]
        # Tests and cases keep their proportion to people (3 : 1 and 1 : 5).
        self.people_count = people
        self.tests_count = people * TESTS_PER_WARD // PEOPLE_PER_WARD
        self.cases_count = max(1, people * CASES_PER_WARD // PEOPLE_PER_WARD)
        self.rng = random.Random(f"{run['seed']}:{number}")
        self.counts = defaultdict(int)
