"""Province-scale synthetic data for the benchmark (DESIGN §5), built with bulk inserts.

Per ward, at the proportions of DESIGN §5 (100 wards = 2,000 khóm, 50,000
people, 150,000 drug tests, 10,000 cases): 20 khóm, 500 people with their
episodes, 1,500 drug tests, 100 cases with participants and seized items,
hotspots, moves, support records, propaganda sessions, commitment signings,
reintegration models, and the ward's users (leadership, two police officers,
one officer per khóm). A province viewer and an administrator come once.

Each ward is drawn from its own random generator seeded with (seed, ward
number), so ward 7 is the same whether 10 or 100 wards are built, and a
database seeded with fewer wards is topped up instead of rebuilt. Every date
falls on or before AS_OF, a fixed day, so the data does not drift with the
calendar. Bench wards carry codes BN001, BN002, … and never touch other data.
"""
import datetime as dt
import random
import time
from collections import defaultdict

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.activities.choices import ActivityKind, Audience
from apps.activities.models import Activity, CommitmentSigning, ReintegrationModel
from apps.cases.choices import (CaseHandling, CaseKind, HotspotKind, ParticipantOutcome, ParticipantRole,
                                SeizedUnit)
from apps.cases.models import Case, CaseNumberCounter, Hotspot, Participant, SeizedItem
from apps.core.audit import AuditAction, audit, audit_context
from apps.core.periods import add_months
from apps.core.validators import cccd_century_digit
from apps.khom.models import Khom, Ward
from apps.subjects.choices import EndReason, Gender, MoveKind, SampleType, SupportKind, TestResult
from apps.subjects.models import DrugTest, Episode, EpisodeKind, Person, ResidenceMove, SupportRecord

# Fixed "today" of the synthetic world: determinism must not depend on the day the command runs.
AS_OF = dt.date(2026, 10, 31)
HISTORY_START = dt.date(2023, 1, 1)
CASES_START = dt.date(2025, 1, 1)

CODE_PREFIX = "BN"
PROVINCE_VIEWER = "bench_tinh"
ADMINISTRATOR = "bench_admin"

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
PLACE_FIRST = ["Mỹ", "Long", "Bình", "Tân", "Phú", "Vĩnh", "Thới", "Hòa", "An", "Châu", "Thạnh", "Hưng",
               "Phước", "Đông", "Tây", "Nhơn", "Khánh", "Định", "Lộc", "Trung"]
PLACE_SECOND = ["Thới", "Xuyên", "Hòa", "Thạnh", "Phú", "Đức", "An", "Hưng", "Lợi", "Khánh", "Mỹ", "Quới",
                "Thuận", "Điền", "Đông", "Hậu", "Nhựt", "Tây", "Lạc", "Phong"]
STREETS = ["Trần Hưng Đạo", "Nguyễn Huệ", "Lê Lợi", "Hai Bà Trưng", "Tôn Đức Thắng", "Hùng Vương",
           "Lý Thái Tổ", "Ung Văn Khiêm", "Trần Quang Diệu", "Nguyễn Thái Học", "Phạm Cự Lượng", "Hà Hoàng Hổ",
           "Bùi Thị Xuân", "Lê Hồng Phong", "Nguyễn Trãi", "Võ Thị Sáu", "tổ 5", "tổ 12", "ấp Đông Thạnh"]
OCCUPATIONS = ["Làm thuê", "Buôn bán", "Thợ hồ", "Tài xế", "Nông dân", "Thất nghiệp", "Công nhân", "Sửa xe",
               "Ngư dân", "Bốc vác", "", ""]
TOPICS = ["Tuyên truyền Luật Phòng, chống ma túy 2025", "Tác hại của ma túy tổng hợp với thanh thiếu niên",
          "Điều 256a Bộ luật Hình sự: sử dụng trái phép chất ma túy", "Xây dựng khóm không ma túy",
          "Vai trò gia đình trong phòng, chống ma túy", "Nhận diện ma túy \"núp bóng\" thực phẩm, thuốc lá điện tử",
          "Hưởng ứng Tháng hành động phòng, chống ma túy", "Hỗ trợ người sau cai nghiện hòa nhập cộng đồng"]
ORGANISERS = ["Công an phường", "UBND phường", "Đoàn Thanh niên phường", "Hội Liên hiệp Phụ nữ phường",
              "Mặt trận Tổ quốc phường", "Ban điều hành khóm", "Hội Cựu chiến binh phường"]
SUBSTANCES = ["Methamphetamine (ma túy đá)", "Heroin", "MDMA (thuốc lắc)", "Ketamine", "Cần sa",
              "Methamphetamine (hồng phiến)"]
# Cases by kind, weighted as a ward police records them.
CASE_KINDS = [(CaseKind.ILLEGAL_USE, 45), (CaseKind.POSSESSION, 18), (CaseKind.TRAFFICKING, 9),
              (CaseKind.TRANSPORT, 3), (CaseKind.ORGANISING_USE, 4), (CaseKind.HARBOURING_USE, 3),
              (CaseKind.CULTIVATION, 5), (CaseKind.ART_256A, 8), (CaseKind.OTHER, 5)]
SEIZING_KINDS = {CaseKind.POSSESSION, CaseKind.TRAFFICKING, CaseKind.TRANSPORT, CaseKind.ORGANISING_USE}
# Typical careers: each person walks one path, possibly stopping before its end.
CAREERS = [
    ["illegal_user"],
    ["illegal_user", "post_rehab"],
    ["illegal_user", "addict", "voluntary_home", "post_rehab"],
    ["addict", "voluntary_home", "post_rehab"],
    ["addict", "compulsory_rehab", "post_rehab"],
    ["addict", "awaiting_compulsory", "compulsory_rehab"],
    ["addict", "methadone"],
    ["voluntary_facility", "post_rehab"],
    ["illegal_user", "custody"],
]


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


def place_names(seed: int) -> list[str]:
    """400 distinct two-syllable place names in a fixed shuffled order (ward n takes the n-th)."""
    names = [f"{a} {b}" for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
    random.Random(f"{seed}:places").shuffle(names)
    return names


def bench_ward_code(number: int) -> str:
    return f"{CODE_PREFIX}{number:03d}"


def bulk(model, objects):
    """Insert *objects* in batches; PostgreSQL hands back their primary keys."""
    return model.objects.bulk_create(objects, batch_size=BATCH)


class WardBuilder:
    """Everything of one synthetic ward, drawn from the ward's own generator."""

    def __init__(self, *, number: int, seed: int, kinds: dict, groups: dict, password: str, place: str,
                 people: int = PEOPLE_PER_WARD):
        self.number = number
        # Tests and cases keep their proportion to people (3 : 1 and 1 : 5).
        self.people_count = people
        self.tests_count = people * TESTS_PER_WARD // PEOPLE_PER_WARD
        self.cases_count = max(1, people * CASES_PER_WARD // PEOPLE_PER_WARD)
        self.rng = random.Random(f"{seed}:{number}")
        self.kinds = kinds
        self.groups = groups
        self.password = password
        self.place = place
        self.counts = defaultdict(int)

    def build(self):
        self.ward = Ward.objects.create(code=bench_ward_code(self.number), name=self.place, province="An Giang",
                                        population=self.rng.randint(18000, 45000))
        self.make_khoms()
        self.make_users()
        # People, episodes and tests are planned in memory first so that the derived status goes in
        # with the insert (an UPDATE of every person afterwards would double the cost).
        self.make_people()
        self.make_episodes()
        self.make_tests()
        self.derive_status()
        self.people = bulk(Person, self.people)
        bulk(Episode, self.episodes)
        bulk(DrugTest, self.tests)
        self.make_moves_and_support()
        self.make_cases()
        self.make_hotspots()
        self.make_activities()
        return self.counts

    def make_khoms(self):
        rng = self.rng
        households = [rng.randint(350, 800) for _ in range(KHOMS_PER_WARD)]
        total = sum(households)
        names = rng.sample(place_names(self.number), KHOMS_PER_WARD)
        khoms = []
        for index, (name, hh) in enumerate(zip(names, households), start=1):
            khoms.append(Khom(
                ward=self.ward, code=f"K{index:02d}", name=f"Khóm {name}", households=hh,
                population=round(self.ward.population * hh / total), head_name=person_name(rng, rng.random() < 0.3),
                # 20 % of khóm drug-free in 2025, all by 2029: the province roadmap.
                target_year=min(2029, 2025 + (index - 1) * 5 // KHOMS_PER_WARD),
            ))
        self.khoms = bulk(Khom, khoms)
        self.counts["khom"] += len(self.khoms)

    def make_users(self):
        code = self.ward.code.lower()
        rows = [(f"{code}_lanhdao", Role.LEADERSHIP, None)]
        rows += [(f"{code}_congan{i}", Role.POLICE, None) for i in range(1, POLICE_PER_WARD + 1)]
        rows += [(f"{code}_{k.code.lower()}", Role.KHOM_OFFICER, k) for k in self.khoms]
        users = bulk(User, [
            User(username=name, password=self.password, role=role, first_name=person_name(self.rng, False),
                 last_name="", is_staff=False)
            for name, role, _khom in rows
        ])
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=self.groups[u.role]) for u in users])
        User.wards.through.objects.bulk_create(
            [User.wards.through(user_id=u.pk, ward_id=self.ward.pk) for u in users if u.role != Role.KHOM_OFFICER])
        User.khoms.through.objects.bulk_create(
            [User.khoms.through(user_id=u.pk, khom_id=k.pk) for u, (_n, _r, k) in zip(users, rows) if k])
        self.police = [u for u in users if u.role == Role.POLICE]
        for index, khom in enumerate(self.khoms):
            khom.police_officer = self.police[index % len(self.police)]
        Khom.objects.bulk_update(self.khoms, ["police_officer"])
        self.counts["user"] += len(users)

    def make_people(self):
        rng = self.rng
        # Khóm differ: a few carry most of the problem, as in a real ward.
        weights = [rng.paretovariate(1.5) for _ in self.khoms]
        people = []
        for index in range(self.people_count):
            female = rng.random() < 0.08
            born = day_between(rng, dt.date(1966, 1, 1), dt.date(2008, 12, 31))
            cccd = None
            if rng.random() < 0.8:
                province = 89 if rng.random() < 0.8 else rng.choice([91, 87, 92, 94, 79, 1])
                # The 6 "random" digits encode ward and person: unique by construction.
                cccd = (f"{province:03d}{cccd_century_digit(born.year, female)}{born.year % 100:02d}"
                        f"{self.number % 1000:03d}{index:03d}")
            khom = rng.choices(self.khoms, weights=weights)[0]
            person = Person(
                full_name=person_name(rng, female), gender=Gender.FEMALE if female else Gender.MALE,
                date_of_birth=born, cccd=cccd, khom=khom,
                address=f"{rng.randint(1, 399)} {rng.choice(STREETS)}, {khom.name}",
                phone=f"09{rng.randint(10000000, 99999999)}" if rng.random() < 0.6 else "",
                occupation=rng.choice(OCCUPATIONS),
            )
            person.search_text = person.build_search_text()
            people.append(person)
        # Data outside the bench (demo, real) may hold the same CCCD: that person goes without one.
        taken = set(Person.objects.filter(cccd__in=[p.cccd for p in people if p.cccd])
                    .values_list("cccd", flat=True))
        for person in people:
            if person.cccd in taken:
                person.cccd = None
                person.search_text = person.build_search_text()
        self.people = people
        self.counts["person"] += len(people)

    def make_episodes(self):
        rng = self.rng
        episodes = []
        self.episodes_of = defaultdict(list)  # keyed by id(person): people have no primary key yet
        for person in self.people:
            career = rng.choice(CAREERS)
            steps = career[:rng.randint(1, len(career))]
            start = day_between(rng, HISTORY_START, AS_OF - dt.timedelta(days=20))
            for position, code in enumerate(steps):
                kind = self.kinds[code]
                term = kind.default_term_months or rng.choice([6, 12, 18])
                planned = add_months(start, kind.default_term_months) if kind.default_term_months else None
                natural_end = add_months(start, term)
                last = position == len(steps) - 1
                end = reason = None
                if not last:
                    end = min(natural_end, AS_OF) if natural_end > start else start
                    reason = EndReason.TRANSFERRED if code != "illegal_user" else EndReason.ADDICTION_FOUND
                elif natural_end <= AS_OF and rng.random() < 0.5:
                    end, reason = natural_end, rng.choice([EndReason.TERM_COMPLETED] * 6 + [
                        EndReason.MOVED_AWAY, EndReason.DETAINED, EndReason.DIED])
                if end is not None and end > AS_OF:
                    end = AS_OF
                episode = Episode(
                    person=person, kind=kind, started_on=start, planned_end=planned, actual_end=end,
                    end_reason=reason or "", decision_date=start,
                    decision_number=f"{rng.randint(1, 999)}/QĐ-UBND" if code != "custody" else "",
                    decision_signer="Chủ tịch UBND phường" if code != "custody" else "",
                )
                episodes.append(episode)
                self.episodes_of[id(person)].append(episode)
                if end is None or end >= AS_OF:
                    break
                start = end + dt.timedelta(days=rng.randint(0, 10))
                if start > AS_OF:
                    break
        self.episodes = episodes
        self.counts["episode"] += len(episodes)

    def make_tests(self):
        rng = self.rng
        # People with an open episode are tested more often than those whose management has ended.
        weights = [3 if any(e.actual_end is None for e in self.episodes_of[id(p)]) else 1 for p in self.people]
        tests = []
        self.last_test = {}
        for person in rng.choices(self.people, weights=weights, k=self.tests_count):
            episodes = self.episodes_of[id(person)]
            first = episodes[0].started_on
            last_end = episodes[-1].actual_end or AS_OF
            day = day_between(rng, first, min(AS_OF, last_end + dt.timedelta(days=60)))
            covering = next((e for e in episodes if e.started_on <= day and (e.actual_end is None
                                                                              or day <= e.actual_end)), None)
            result = weighted(rng, [(TestResult.NEGATIVE, 82), (TestResult.POSITIVE, 16), (TestResult.INVALID, 2)])
            tests.append(DrugTest(
                person=person, episode=covering, tested_on=day,
                sample_type=weighted(rng, [(SampleType.URINE, 90), (SampleType.SALIVA, 6), (SampleType.BLOOD, 4)]),
                result=result, substances=rng.choice(SUBSTANCES[:3]) if result == TestResult.POSITIVE else "",
                tested_by="Công an phường",
            ))
            self.last_test[id(person)] = max(day, self.last_test.get(id(person), day))
        self.tests = tests
        self.counts["drugtest"] += len(tests)

    def derive_status(self):
        """The denormalised status and next test date, by the rule of subjects.services.person_sync_status."""
        for person in self.people:
            open_episodes = sorted((e for e in self.episodes_of[id(person)] if e.actual_end is None),
                                   key=lambda e: (e.kind.priority, e.started_on), reverse=True)
            person.status = open_episodes[0].kind if open_episodes else None
            last_test = self.last_test.get(id(person))
            due = None
            for episode in open_episodes:
                if episode.kind.test_interval_days:
                    base = max(episode.started_on, last_test) if last_test else episode.started_on
                    candidate = base + dt.timedelta(days=episode.kind.test_interval_days)
                    due = candidate if due is None else min(due, candidate)
            person.next_test_due = due

    def make_moves_and_support(self):
        rng = self.rng
        moves, supports = [], []
        for person in self.people:
            if rng.random() < 0.05:
                moved = day_between(rng, CASES_START, AS_OF)
                target = rng.choice([k for k in self.khoms if k.pk != person.khom_id])
                moves.append(ResidenceMove(
                    person=person, kind=MoveKind.WITHIN_WARD, moved_on=moved, from_khom_id=target.pk,
                    to_khom_id=person.khom_id, notified_on=moved + dt.timedelta(days=rng.choice([0, 1, 1, 3]))))
            if any(e.kind.code == "post_rehab" for e in self.episodes_of[id(person)]) and rng.random() < 0.5:
                supports.append(SupportRecord(
                    person=person, kind=rng.choice(SupportKind.values), given_on=day_between(rng, CASES_START, AS_OF),
                    provider=rng.choice(["Trung tâm Dịch vụ việc làm An Giang", "Ngân hàng Chính sách xã hội",
                                         "Hội Liên hiệp Phụ nữ phường", "Trạm Y tế phường"]),
                    outcome=rng.choice(["Đã có việc làm ổn định", "Đang học nghề", "Được vay 30 triệu đồng", ""])))
        bulk(ResidenceMove, moves)
        bulk(SupportRecord, supports)
        self.counts["residencemove"] += len(moves)
        self.counts["supportrecord"] += len(supports)

    def make_cases(self):
        rng = self.rng
        days = sorted(day_between(rng, CASES_START, AS_OF) for _ in range(self.cases_count))
        numbers = defaultdict(int)
        cases, participants_of = [], []
        for day in days:
            kind = weighted(rng, CASE_KINDS)
            numbers[day.year] += 1
            khom = rng.choice(self.khoms)
            case = Case(
                ward=self.ward, khom=khom, year=day.year, number=numbers[day.year], detected_on=day, kind=kind,
                place=f"{rng.randint(1, 399)} {rng.choice(STREETS)}, {khom.name}",
                handling=weighted(rng, [(CaseHandling.ADMINISTRATIVE, 55), (CaseHandling.CRIMINAL, 25),
                                        (CaseHandling.VERIFYING, 12), (CaseHandling.TRANSFERRED, 8)]),
                summary=f"Phát hiện {CaseKind(kind).label.lower()} tại {khom.name}.", officer=rng.choice(self.police),
            )
            if kind == CaseKind.CULTIVATION:
                case.plants_destroyed = rng.randint(5, 4000)
                case.area_destroyed_m2 = rng.randint(2, 900)
            people = []
            for _ in range(rng.choice([1, 1, 2, 2, 3])):
                role = weighted(rng, [(ParticipantRole.SUSPECT, 50), (ParticipantRole.USER, 35),
                                      (ParticipantRole.ACCOMPLICE, 10), (ParticipantRole.WITNESS, 5)])
                outcome = weighted(rng, [(ParticipantOutcome.ADMINISTRATIVE_FINE, 40), (ParticipantOutcome.ARRESTED, 20),
                                         (ParticipantOutcome.PROSECUTED, 15), (ParticipantOutcome.REHAB_REFERRED, 15),
                                         (ParticipantOutcome.PENDING, 10)])
                person = rng.choice(self.people)
                if rng.random() < 0.6 and all(p.person_id != person.pk for p in people):
                    people.append(Participant(person=person, role=role, outcome=outcome))
                else:
                    people.append(Participant(outsider_name=person_name(rng, rng.random() < 0.1), role=role,
                                              outcome=outcome, outsider_birth_year=rng.randint(1970, 2007),
                                              outsider_residence=rng.choice(["Phường Long Xuyên", "Phường Bình Đức",
                                                                             "Xã Mỹ Hòa Hưng", "TP Cần Thơ"])))
            case.search_text = case.build_search_text([p.person.full_name if p.person_id else p.outsider_name
                                                       for p in people])
            cases.append(case)
            participants_of.append(people)
        cases = bulk(Case, cases)
        participants, items = [], []
        for case, people in zip(cases, participants_of):
            for participant in people:
                participant.case = case
                participants.append(participant)
            if case.kind in SEIZING_KINDS:
                for _ in range(rng.randint(1, 2)):
                    items.append(SeizedItem(case=case, substance=rng.choice(SUBSTANCES),
                                            quantity=round(rng.uniform(0.05, 50), 3),
                                            unit=rng.choice([SeizedUnit.GRAM, SeizedUnit.GRAM, SeizedUnit.TABLET])))
        bulk(Participant, participants)
        bulk(SeizedItem, items)
        CaseNumberCounter.objects.bulk_create([CaseNumberCounter(ward=self.ward, year=year, last_number=last)
                                               for year, last in numbers.items()])
        self.counts["case"] += len(cases)
        self.counts["participant"] += len(participants)
        self.counts["seizeditem"] += len(items)

    def make_hotspots(self):
        rng = self.rng
        hotspots = []
        for _ in range(HOTSPOTS_PER_WARD):
            khom = rng.choice(self.khoms)
            found = day_between(rng, CASES_START, AS_OF)
            cleared = day_between(rng, found, AS_OF) if rng.random() < 0.6 else None
            hotspots.append(Hotspot(ward=self.ward, khom=khom, kind=rng.choice(HotspotKind.values), found_on=found,
                                    cleared_on=cleared, address=f"{rng.randint(1, 399)} {rng.choice(STREETS)}"))
        bulk(Hotspot, hotspots)
        self.counts["hotspot"] += len(hotspots)

    def make_activities(self):
        rng = self.rng
        activities, signings, models_ = [], [], []
        quarter_starts = [dt.date(y, m, 1) for y in (2025, 2026) for m in (1, 4, 7, 10) if dt.date(y, m, 1) <= AS_OF]
        for start in quarter_starts:
            end = min(AS_OF, add_months(start, 3) - dt.timedelta(days=1))
            # One session per khóm per quarter, and a few for the whole ward.
            for khom in [*self.khoms, None, None]:
                activities.append(Activity(
                    ward=self.ward, khom=khom, kind=rng.choice(ActivityKind.values), held_on=day_between(rng, start, end),
                    topic=rng.choice(TOPICS), audience=rng.choice(Audience.values),
                    participants=rng.randint(20, 250), organiser=rng.choice(ORGANISERS),
                    location="Nhà văn hóa " + (khom.name if khom else "phường")))
        for khom in self.khoms:
            for year in (2025, 2026):
                signings.append(CommitmentSigning(
                    khom=khom, signed_on=dt.date(year, rng.randint(1, 9), rng.randint(1, 28)),
                    households_signed=rng.randint(int(khom.households * 0.85), khom.households),
                    households_total=khom.households))
        for index in range(REINTEGRATION_MODELS_PER_WARD):
            started = day_between(rng, CASES_START, AS_OF)
            models_.append(ReintegrationModel(
                ward=self.ward, khom=rng.choice([None, *self.khoms]), started_on=started,
                name=rng.choice(["Câu lạc bộ", "Tổ hợp tác", "Mô hình"]) + f" hòa nhập số {index + 1}",
                organiser=rng.choice(ORGANISERS), people_supported=rng.randint(3, 40)))
        bulk(Activity, activities)
        bulk(CommitmentSigning, signings)
        bulk(ReintegrationModel, models_)
        self.counts["activity"] += len(activities)
        self.counts["commitmentsigning"] += len(signings)
        self.counts["reintegrationmodel"] += len(models_)


def province_users(password: str, groups: dict) -> int:
    """The province viewer and the administrator the benchmark signs in as (created once)."""
    created = 0
    for username, role, superuser in ((PROVINCE_VIEWER, Role.PROVINCE, False), (ADMINISTRATOR, Role.ADMINISTRATOR, True)):
        if not User.objects.filter(username=username).exists():
            user = User(username=username, role=role, is_superuser=superuser, first_name="Bench")
            user.password = password
            user.save()
            created += 1
    return created


class Command(BaseCommand):
    help = "Province-scale synthetic data: --wards N wards of 20 khóm, 500 people, 1,500 tests, 100 cases each."

    def add_arguments(self, parser):
        parser.add_argument("--wards", type=int, required=True, help="number of bench wards wanted (100 = province)")
        parser.add_argument("--seed", type=int, default=2025, help="random seed (same seed, same data)")
        parser.add_argument("--people-per-ward", type=int, default=PEOPLE_PER_WARD,
                            help="people per ward (default 500, DESIGN §5); the benchmark's growth baseline uses 10")

    def handle(self, *args, wards, seed, people_per_ward, **options):
        if not 1 <= wards <= 999:
            raise CommandError("--wards must be between 1 and 999.")
        if not 1 <= people_per_ward <= 999:
            raise CommandError("--people-per-ward must be between 1 and 999 (the CCCD numbering holds 3 digits).")
        started = time.monotonic()
        kinds = {k.code: k for k in EpisodeKind.objects.all()}
        missing = {code for career in CAREERS for code in career} - set(kinds)
        if missing:
            raise CommandError(f"Episode kinds missing (run migrate): {', '.join(sorted(missing))}")
        groups = {g.name: g.pk for g in Group.objects.filter(name__in=Role.values)}
        # Bench accounts cannot sign in with a password: the benchmark logs in with force_login.
        password = "!bench-no-password"
        existing = set(Ward.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True))
        places = place_names(seed)
        totals = defaultdict(int)
        with transaction.atomic():
            totals["user"] += province_users(password, groups)
        for number in range(1, wards + 1):
            if bench_ward_code(number) in existing:
                continue
            # One transaction per ward: an interrupted run keeps whole wards and resumes after them.
            with transaction.atomic():
                # Synthetic data that can be rebuilt: no need to wait for the WAL flush at each commit.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                counts = WardBuilder(number=number, seed=seed, kinds=kinds, groups=groups, password=password,
                                     place=places[(number - 1) % len(places)], people=people_per_ward).build()
            for key, value in counts.items():
                totals[key] += value
            if number % 10 == 0 or number == wards:
                self.stdout.write(f"  {number}/{wards} wards ({time.monotonic() - started:.0f} s)")
        # Fresh statistics, or the planner guesses a handful of rows in tables of 150,000 (and
        # chooses nested loops) until autovacuum comes by — if it is on at all.
        with connection.cursor() as cursor:
            for model in (Ward, Khom, User, Person, Episode, DrugTest, ResidenceMove, SupportRecord, Case,
                          Participant, SeizedItem, Hotspot, Activity, CommitmentSigning, ReintegrationModel):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        elapsed = time.monotonic() - started
        with audit_context(source="command:seed_bench"):
            audit(AuditAction.IMPORT, object_type="seed_bench", object_repr=f"seed_bench --wards {wards} --seed {seed}",
                  extra={"wards": wards, "seed": seed, "created": dict(totals), "seconds": round(elapsed, 1)})
        summary = ", ".join(f"{key} {value}" for key, value in sorted(totals.items())) or "nothing new"
        self.stdout.write(self.style.SUCCESS(f"Bench data for {wards} wards ready in {elapsed:.1f} s: {summary}."))
