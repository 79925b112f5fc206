"""About 150 fictional people across the demo khóm, with episodes, tests, moves and support.

Everything is derived from a fixed random seed and dates relative to the day
of seeding, so some people are near their deadlines. Idempotent: a person
already present (same name, birth date and khóm) is left as it is.
"""
import datetime as dt
import random

from apps.core.management.commands.seed_demo import ensure_reference_data
from apps.khom.models import Khom

from .choices import EndReason, Gender, MoveKind, SampleType, SupportKind, TestResult
from .models import DrugTest, Episode, EpisodeKind, Person, ResidenceMove, SupportRecord
from .services import person_sync_status

PEOPLE = 150
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương",
          "Phan", "Châu", "Lâm", "Tô", "Quách", "Đinh", "Đoàn"]
MIDDLE_MALE = ["Văn", "Hoàng", "Minh", "Thành", "Quốc", "Hữu", "Đức", "Công"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Kim", "Mỹ", "Bích"]
GIVEN_MALE = ["Đức", "Đạt", "Đông", "Định", "Đăng", "Dũng", "Hùng", "Tâm", "Phước", "Lộc", "Nghĩa", "Sang", "Tài",
              "Thắng", "Khoa", "Toàn", "Vũ", "Hải", "Nhân", "Trí", "Điền", "Đạo"]
GIVEN_FEMALE = ["Đào", "Điệp", "Hồng", "Lan", "Mai", "Ngọc", "Thu", "Yến", "Diễm", "Bích", "Hạnh", "Trâm"]
STREETS = ["Trần Hưng Đạo", "Tôn Đức Thắng", "Hà Hoàng Hổ", "Lý Thái Tổ", "Nguyễn Thái Học", "Đinh Tiên Hoàng",
           "Phạm Cự Lượng", "Trần Quang Khải"]
OCCUPATIONS = ["Lao động tự do", "Thợ hồ", "Buôn bán nhỏ", "Chạy xe ôm", "Công nhân", "Không nghề nghiệp",
               "Làm thuê", "Thợ sửa xe", "Phụ quán ăn", "Đánh bắt cá"]
SUBSTANCES = ["Methamphetamine", "MDMA", "Ketamine", "Heroin", "Cần sa", "Methamphetamine, MDMA"]
SIGNER = "Chủ tịch UBND phường Mỹ Thới"
# Scenario weights: what kind of history a person gets.
SCENARIOS = [("illegal_user", 30), ("addict", 12), ("voluntary_home", 10), ("methadone", 10),
             ("compulsory_rehab", 10), ("awaiting_compulsory", 4), ("post_rehab", 16), ("window", 12),
             ("custody", 5), ("positive_pending", 5), ("history", 10)]
# Khóm planned drug-free in 2025 only hold people in treatment or after it, as the criteria allow.
CLEAN_SCENARIOS = [("methadone", 3), ("post_rehab", 3), ("window", 3), ("history", 3)]


def official_names() -> set[str]:
    """The names of the demo's officials (users, khóm heads): no person under management may carry one."""
    from apps.accounts.demo import DEMO_USERS
    from apps.khom.demo import HEADS

    return {last_name for _username, _role, _title, last_name in DEMO_USERS} | set(HEADS)


def _name(rng, female, taken=frozenset()):
    """A fictional name, drawn again (rarely) while it is one of *taken*."""
    while True:
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        name = f"{rng.choice(FAMILY)} {middle} {given}"
        if name not in taken:
            return name


def _cccd(rng, index, born, female):
    century = (born.year // 100 - 19) * 2 + (1 if female else 0)
    province = "089" if rng.random() < 0.85 else rng.choice(["079", "087", "091", "092"])
    return f"{province}{century}{born.year % 100:02d}{index:06d}"


def _pick(rng, weighted):
    return rng.choices([name for name, _w in weighted], weights=[w for _n, w in weighted])[0]


# The QĐ 13/2019 fields, as An Giang's mix might be: mostly Kinh, some Khmer, Hoa and Chăm.
ETHNICITIES = [("kinh", 80), ("khmer", 10), ("hoa", 5), ("cham", 3), ("", 2)]
EDUCATION = [("none", 4), ("primary", 25), ("lower_secondary", 40), ("upper_secondary", 20), ("higher", 5), ("", 6)]


def _qd13_fields(person, rng) -> None:
    """Fill the person's QĐ 13/2019 fields (ethnicity, education, residence, prior records) when none is set:
    people seeded before these fields existed get them on the next run too."""
    fields = ("ethnicity", "education", "stable_residence", "prior_criminal", "prior_administrative")
    if person.ethnicity or person.education or any(getattr(person, f) is not None for f in fields[2:]):
        return
    values = {"ethnicity": _pick(rng, ETHNICITIES), "education": _pick(rng, EDUCATION),
              "stable_residence": rng.random() < 0.85, "prior_criminal": rng.random() < 0.15,
              "prior_administrative": rng.random() < 0.3}
    # A queryset update: the demo's own data, no version bump or audit of an edit nobody made.
    Person.objects.filter(pk=person.pk).update(**values)


class _Builder:
    """Writes the records of one person's scenario."""

    def __init__(self, rng, kinds, today, khoms):
        self.rng, self.kinds, self.today, self.khoms = rng, kinds, today, khoms

    def days_ago(self, low, high):
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def episode(self, person, code, started_on, ended_on=None, reason=""):
        number = f"{self.rng.randint(1, 400)}/QĐ-UBND"
        return Episode.objects.create(person=person, kind=self.kinds[code], started_on=started_on,
                                      decision_number=number, decision_date=started_on, decision_signer=SIGNER,
                                      actual_end=ended_on, end_reason=reason if ended_on else "")

    def tests(self, person, episode, every_days, positive_share=0.15, skip_last=False):
        """Tests every *every_days* since the episode started; *skip_last* leaves the person overdue."""
        day = episode.started_on
        end = episode.actual_end or self.today
        dates = []
        while day <= end:
            dates.append(day)
            day += dt.timedelta(days=every_days)
        if skip_last and len(dates) > 1:
            dates = dates[:-2] or dates[:1]
        for tested_on in dates:
            self.test(person, tested_on, self.rng.random() < positive_share, episode)

    def test(self, person, tested_on, positive, episode=None):
        DrugTest.objects.create(
            person=person, episode=episode, tested_on=tested_on, sample_type=SampleType.URINE,
            result=TestResult.POSITIVE if positive else TestResult.NEGATIVE,
            substances=self.rng.choice(SUBSTANCES) if positive else "", tested_by="Công an phường Mỹ Thới")

    def support(self, person, after):
        kind = self.rng.choice(SupportKind.values)
        providers = {SupportKind.JOB: "Trung tâm Dịch vụ việc làm An Giang",
                     SupportKind.VOCATIONAL: "Trường Cao đẳng nghề An Giang",
                     SupportKind.LOAN: "Ngân hàng Chính sách xã hội", SupportKind.COUNSELLING: "Tổ tư vấn phường",
                     SupportKind.OTHER: "Hội Liên hiệp Phụ nữ phường"}
        # A fact: never after the day of seeding (issue 18 §4).
        given_on = min(after + dt.timedelta(days=self.rng.randint(5, 60)), self.today)
        SupportRecord.objects.create(person=person, kind=kind, given_on=given_on,
                                     provider=providers[kind], outcome=self.rng.choice(
                                         ["Đang tham gia", "Đã hoàn thành", "Có việc làm ổn định", ""]))

    def move(self, person, notified):
        moved_on = self.days_ago(2, 200)
        target = self.rng.choice([k for k in self.khoms if k.pk != person.khom_id])
        ResidenceMove.objects.create(person=person, kind=MoveKind.WITHIN_WARD, moved_on=moved_on,
                                     from_khom=target, to_khom=person.khom,
                                     notified_on=moved_on if notified else None)

    def build(self, person, scenario):
        rng = self.rng
        if scenario == "illegal_user":
            # Spread over the year so some terms end within the next 30 days.
            episode = self.episode(person, "illegal_user", self.days_ago(20, 360))
            self.test(person, episode.started_on - dt.timedelta(days=2), True)
            self.tests(person, episode, 85, skip_last=rng.random() < 0.3)
        elif scenario in ("addict", "methadone", "awaiting_compulsory"):
            episode = self.episode(person, scenario, self.days_ago(15, 300))
            self.tests(person, episode, 28, positive_share=0.4 if scenario == "addict" else 0.1,
                       skip_last=rng.random() < 0.3)
        elif scenario == "voluntary_home":
            episode = self.episode(person, "voluntary_home", self.days_ago(20, 175))
            self.tests(person, episode, 28, positive_share=0.05)
            self.support(person, episode.started_on)
        elif scenario == "compulsory_rehab":
            self.episode(person, "compulsory_rehab", self.days_ago(30, 700))
        elif scenario == "post_rehab":
            rehab_end = self.days_ago(10, 340)
            self.episode(person, "compulsory_rehab", rehab_end - dt.timedelta(days=rng.randint(365, 700)),
                         rehab_end, EndReason.TERM_COMPLETED)
            episode = self.episode(person, "post_rehab", rehab_end)
            self.tests(person, episode, 88, positive_share=0.02, skip_last=rng.random() < 0.2)
            self.support(person, rehab_end)
        elif scenario == "window":
            # Post-rehab management ended less than 2 years ago: inside the art. 256a window.
            ended = self.days_ago(20, 700)
            started = ended - dt.timedelta(days=365)
            episode = self.episode(person, "post_rehab", started, ended, EndReason.TERM_COMPLETED)
            self.tests(person, episode, 90, positive_share=0)
            self.support(person, started)
        elif scenario == "custody":
            self.episode(person, "illegal_user", self.days_ago(200, 400), self.days_ago(30, 150), EndReason.DETAINED)
            self.episode(person, "custody", self.days_ago(10, 150))
        elif scenario == "positive_pending":
            # A positive test in the last few days and no decision yet: due within 3 working days.
            self.test(person, self.days_ago(0, 4), True)
        else:  # history: an old episode, long over.
            started = self.today - dt.timedelta(days=rng.randint(1200, 1800))
            self.episode(person, "illegal_user", started, started + dt.timedelta(days=365), EndReason.TERM_COMPLETED)
        if rng.random() < 0.12:
            self.move(person, notified=rng.random() < 0.5)


def seed(context):
    ward = context.get("ward")
    khoms = list(Khom.objects.filter(ward=ward).order_by("code")) if ward else []
    if not khoms:
        return
    ensure_reference_data("apps.subjects.migrations.0002_seed_episode_kinds")
    ensure_reference_data("apps.subjects.migrations.0011_seed_management_rules")
    rng = random.Random(2025)
    today = dt.date.today()
    kinds = {kind.code: kind for kind in EpisodeKind.objects.all()}
    builder = _Builder(rng, kinds, today, khoms)
    officials = official_names()
    created = 0
    for index in range(PEOPLE):
        khom = khoms[index % len(khoms)]
        female = rng.random() < 0.12
        born = dt.date(rng.randint(1965, 2007), rng.randint(1, 12), rng.randint(1, 28))
        # The first person shows the folded search ("doan van duc"); no one shares an official's name.
        name = "Đoàn Văn Đức" if index == 0 else _name(rng, female, officials)
        scenario = _pick(rng, CLEAN_SCENARIOS if khom.target_year == 2025 else SCENARIOS)
        has_cccd = rng.random() < 0.85
        street, number = rng.choice(STREETS), rng.randint(1, 300)
        occupation, phone = rng.choice(OCCUPATIONS), f"09{rng.randint(10000000, 99999999)}"
        # Every random draw above happens whether or not the person exists, so reruns stay aligned.
        person, is_new = Person.objects.get_or_create(
            full_name=name, date_of_birth=born, khom=khom,
            defaults={"gender": Gender.FEMALE if female else Gender.MALE,
                      "cccd": _cccd(rng, index, born, female) if has_cccd else None,
                      "address": f"{number} {street}, {khom.name}", "phone": phone, "occupation": occupation,
                      "notes": "Dữ liệu hư cấu dùng để trình diễn."})
        _qd13_fields(person, random.Random(f"qd13-{index}-{name}"))
        if not is_new:
            continue
        # A separate generator per person keeps its history independent of who already exists.
        builder.rng = random.Random(f"{index}-{name}")
        builder.build(person, scenario)
        person_sync_status(person=person, today=today)
        created += 1
    context["stdout"].write(f"Subjects: {created} people created, {Person.objects.filter(khom__ward=ward).count()} in the ward.")
