"""Indicators over the register of people: who is under management, in treatment, tested, overdue.

Autodiscovered by apps.indicators; each counts with one grouped query per area
level, by the person's current khóm (one person counts once).
"""
import datetime as dt
import re

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apps.core.periods import Period
from apps.indicators.registry import (
    KHOM, PERSON, TEST, Indicator, counter, dated_in, register, running_in, share_of_population,
)

from apps.core.text import fold

from .choices import AGE_GROUP_BOUNDS, AgeGroup, EducationLevel, Ethnicity, Gender, StatusCategory, TestResult
from .models import DrugTest, Episode, Person

# Keys of the cross-tabulations: "<episode kind code or status category>|<gender>|<age group>".
BREAKDOWN_SEPARATOR = "|"


def open_at(day: dt.date, prefix: str = "") -> Q:
    """Episodes running on *day*: started on or before it, not ended before it."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}actual_end__isnull": True}) | Q(**{f"{prefix}actual_end__gte": day})
    )


def _in_treatment_at(day: dt.date):
    return Exists(Episode._base_manager.filter(open_at(day), person=OuterRef("person"), kind__in_treatment=True))


def _people_with_episodes(where):
    """People (each once) with an episode matching ``where(period)``, by their current khóm."""
    return counter("subjects.Episode", khom_path="person__khom", aggregate=Count("person", distinct=True),
                   where=where)


def _tests(where):
    """Drug tests matching ``where(period)``, by the current khóm of the person tested."""
    return counter("subjects.DrugTest", khom_path="person__khom", aggregate=Count("pk"), where=where)


def _area_lookup(level: str, prefix: str = "") -> str:
    """The lookup from a row to its area at *level*: *prefix* + the khóm, or the khóm's ward."""
    return f"{prefix}khom" if level == KHOM else f"{prefix}khom__ward"


def _by_area(rows) -> dict:
    """{area id: {key: number}} from (area id, key, number) rows."""
    result: dict = {}
    for area_id, key, number in rows:
        result.setdefault(area_id, {})[key] = number
    return result


register(Indicator(
    code="persons_managed",
    label=_("Người có hồ sơ quản lý"),
    unit=PERSON,
    description=_("Số người có ít nhất một đợt quản lý (mọi loại) còn hiệu lực vào ngày cuối kỳ; "
                  "tính theo khóm cư trú hiện tại của người đó, mỗi người một lần."),
    numerator=_people_with_episodes(lambda p: open_at(p.end)),
))

# Shared by the count and its share of residents, so both always count the same people.
USERS_ADDICTS = _people_with_episodes(lambda p: open_at(p.end) & Q(kind__counts_as_user_addict=True))

register(Indicator(
    code="users_addicts",
    label=_("Người sử dụng trái phép và người nghiện có hồ sơ quản lý"),
    unit=PERSON,
    description=_("Số người có đợt quản lý còn hiệu lực vào ngày cuối kỳ thuộc loại được đánh dấu "
                  "“tính là người sử dụng/nghiện”; mỗi người một lần."),
    numerator=USERS_ADDICTS,
))

register(share_of_population(
    code="users_addicts_percent",
    label=_("Tỷ lệ người sử dụng và người nghiện có hồ sơ trên dân số"),
    description=_("Chỉ tiêu “Người sử dụng trái phép và người nghiện có hồ sơ quản lý” chia cho số nhân khẩu "
                  "của khóm (hoặc dân số của phường), nhân 100, làm tròn 2 chữ số thập phân."),
    numerator=USERS_ADDICTS,
))

register(Indicator(
    code="users_addicts_not_in_treatment",
    label=_("Người sử dụng, người nghiện đang sống tại địa bàn (không kể người đang cai nghiện, điều trị)"),
    unit=PERSON,
    description=_("Người sử dụng/nghiện có hồ sơ còn hiệu lực vào ngày cuối kỳ, trừ người cùng lúc có đợt "
                  "cai nghiện hoặc điều trị thay thế còn hiệu lực; mỗi người một lần."),
    numerator=_people_with_episodes(
        lambda p: open_at(p.end) & Q(kind__counts_as_user_addict=True, kind__in_treatment=False)
        & ~Q(_in_treatment_at(p.end)),
    ),
))

register(Indicator(
    code="in_treatment",
    label=_("Người đang cai nghiện, điều trị thay thế"),
    unit=PERSON,
    description=_("Số người có đợt quản lý thuộc loại “đang cai nghiện/điều trị” còn hiệu lực vào ngày cuối kỳ."),
    numerator=_people_with_episodes(lambda p: open_at(p.end) & Q(kind__in_treatment=True)),
))

register(Indicator(
    code="drug_tests",
    label=_("Lượt xét nghiệm ma túy"),
    unit=TEST,
    description=_("Số lượt xét nghiệm (mọi kết quả) có ngày xét nghiệm trong kỳ."),
    numerator=_tests(lambda p: dated_in(p, "tested_on")),
))

register(Indicator(
    code="positive_tests",
    label=_("Lượt xét nghiệm dương tính"),
    unit=TEST,
    description=_("Số lượt xét nghiệm có kết quả dương tính với ngày xét nghiệm trong kỳ."),
    numerator=_tests(lambda p: Q(result="positive") & dated_in(p, "tested_on")),
))


def _overdue_reference(period: Period) -> dt.date:
    # A test cannot be overdue on a day that has not come yet.
    return min(period.end, timezone.localdate())


register(Indicator(
    code="overdue_tests",
    label=_("Người quá hạn xét nghiệm"),
    unit=PERSON,
    description=_("Số người có hạn xét nghiệm tiếp theo (theo chu kỳ của loại đợt quản lý đang mở) "
                  "trước ngày cuối kỳ, hoặc trước hôm nay nếu kỳ chưa kết thúc."),
    numerator=counter("subjects.Person", khom_path="khom", aggregate=Count("pk"),
                      where=lambda p: Q(next_test_due__lt=_overdue_reference(p))),
))


# ---------------------------------------------------------------- QĐ 13/2019/QĐ-TTg breakdowns (issue 16 §5)
# Every breakdown counts the people under management on the period's last day (those ``persons_managed``
# counts), each once, by their current khóm, except the substances and rehab measures, which count what
# happened during the period. Age is in full years on the period's last day: a person born on 14/12/2012
# is 14 on 14/12/2026 (group 14–<16), one born on 15/12/2012 is still 13 (under 14).
def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none: one turns a year older on 1 March
        return day.replace(year=day.year - years, day=28)


def age_group_at(day: dt.date, prefix: str = ""):
    """SQL expression: the QĐ 13/2019 age group of a person (by date_of_birth) on *day*."""
    whens = [When(**{f"{prefix}date_of_birth__gt": _years_before(day, upper)}, then=Value(group.value))
             for group, upper in AGE_GROUP_BOUNDS if upper is not None]
    return Case(*whens, default=Value(AgeGroup.FROM_30.value), output_field=CharField())


def age_group_q(group: AgeGroup, day: dt.date) -> Q:
    """People whose age on *day* is in *group*: at least its lower bound, under its upper bound."""
    bounds = dict(AGE_GROUP_BOUNDS)
    groups = [g for g, _upper in AGE_GROUP_BOUNDS]
    index = groups.index(group)
    condition = Q()
    if index > 0:  # at least the previous group's upper bound, i.e. born on or before that birthday
        condition &= Q(date_of_birth__lte=_years_before(day, bounds[groups[index - 1]]))
    if bounds[group] is not None:
        condition &= Q(date_of_birth__gt=_years_before(day, bounds[group]))
    return condition


def _managed_at(day: dt.date) -> Q:
    return Q(Exists(Episode._base_manager.filter(open_at(day), person=OuterRef("pk"))))


def _top_open_kind(day: dt.date, field: str):
    """Subquery: *field* of the person's highest-priority episode open on *day* (how the status is chosen)."""
    return (Episode._base_manager.filter(open_at(day), person=OuterRef("pk"))
            .order_by("-kind__priority", "kind__code").values(field)[:1])


def _managed_person_counter(condition):
    """People under management at the period's end matching ``condition(period)``; all such counters share one query."""
    return counter("subjects.Person", khom_path="khom", aggregate=Count("pk"),
                   where=lambda p: _managed_at(p.end) & condition(p))


def _register_people(code: str, label, description, condition) -> None:
    register(Indicator(code=code, label=label, unit=PERSON, description=description,
                       numerator=_managed_person_counter(condition)))


MANAGED_NOTE = _("Trong số người có hồ sơ quản lý còn hiệu lực vào ngày cuối kỳ, mỗi người một lần")

AGE_GROUP_CODES = {
    AgeGroup.UNDER_14: "persons_age_under_14",
    AgeGroup.FROM_14_TO_16: "persons_age_14_to_16",
    AgeGroup.FROM_16_TO_18: "persons_age_16_to_18",
    AgeGroup.FROM_18_TO_30: "persons_age_18_to_30",
    AgeGroup.FROM_30: "persons_age_30_over",
}
for _group, _code in AGE_GROUP_CODES.items():
    _register_people(_code, format_lazy(_("Người có hồ sơ quản lý: {group}"), group=_group.label),
                     format_lazy(_("{note}: tuổi tròn vào ngày cuối kỳ thuộc nhóm “{group}” (QĐ 13/2019/QĐ-TTg)."), note=MANAGED_NOTE, group=_group.label),
                     lambda p, group=_group: age_group_q(group, p.end))

SEX_CODES = {Gender.MALE: "persons_male", Gender.FEMALE: "persons_female"}
for _gender, _code in SEX_CODES.items():
    _register_people(_code, format_lazy(_("Người có hồ sơ quản lý: {sex}"), sex=_gender.label),
                     format_lazy(_("{note}: giới tính {sex}."), note=MANAGED_NOTE, sex=_gender.label),
                     lambda p, gender=_gender: Q(gender=gender))

_register_people("persons_ethnicity_kinh", _("Người có hồ sơ quản lý: dân tộc Kinh"),
                 format_lazy(_("{note}: dân tộc Kinh."), note=MANAGED_NOTE), lambda p: Q(ethnicity=Ethnicity.KINH))
_register_people("persons_ethnicity_other", _("Người có hồ sơ quản lý: dân tộc khác"),
                 format_lazy(_("{note}: dân tộc khác Kinh (Khmer, Hoa, Chăm, dân tộc khác)."), note=MANAGED_NOTE),
                 lambda p: ~Q(ethnicity=Ethnicity.KINH) & ~Q(ethnicity=""))
_register_people("persons_ethnicity_unknown", _("Người có hồ sơ quản lý: chưa ghi dân tộc"),
                 format_lazy(_("{note}: hồ sơ chưa ghi dân tộc."), note=MANAGED_NOTE), lambda p: Q(ethnicity=""))

_register_people("persons_stable_residence", _("Người có hồ sơ quản lý: có nơi cư trú ổn định"),
                 format_lazy(_("{note}: hồ sơ ghi có nơi cư trú ổn định."), note=MANAGED_NOTE),
                 lambda p: Q(stable_residence=True))
_register_people("persons_unstable_residence", _("Người có hồ sơ quản lý: không có nơi cư trú ổn định"),
                 format_lazy(_("{note}: hồ sơ ghi không có nơi cư trú ổn định."), note=MANAGED_NOTE),
                 lambda p: Q(stable_residence=False))
_register_people("persons_residence_unknown", _("Người có hồ sơ quản lý: chưa ghi nơi cư trú ổn định"),
                 format_lazy(_("{note}: hồ sơ chưa ghi có hay không có nơi cư trú ổn định."), note=MANAGED_NOTE),
                 lambda p: Q(stable_residence__isnull=True))

EDUCATION_CODES = {level: f"persons_education_{level.value}" for level in EducationLevel}
for _level, _code in EDUCATION_CODES.items():
    _register_people(_code, format_lazy(_("Người có hồ sơ quản lý: học vấn {level}"), level=_level.label),
                     format_lazy(_("{note}: trình độ học vấn “{level}”."), note=MANAGED_NOTE, level=_level.label),
                     lambda p, level=_level: Q(education=level))
_register_people("persons_education_unknown", _("Người có hồ sơ quản lý: chưa ghi trình độ học vấn"),
                 format_lazy(_("{note}: hồ sơ chưa ghi trình độ học vấn."), note=MANAGED_NOTE), lambda p: Q(education=""))

_register_people("persons_prior_criminal", _("Người có hồ sơ quản lý: có tiền án"),
                 format_lazy(_("{note}: hồ sơ ghi có tiền án."), note=MANAGED_NOTE), lambda p: Q(prior_criminal=True))
_register_people("persons_prior_administrative", _("Người có hồ sơ quản lý: có tiền sự"),
                 format_lazy(_("{note}: hồ sơ ghi có tiền sự (đã bị xử lý vi phạm hành chính)."), note=MANAGED_NOTE),
                 lambda p: Q(prior_administrative=True))

# The four-way status split: the category of the person's highest-priority open episode (the kind the
# register shows as the person's status), as EpisodeKind.status_category maps it.
STATUS_CODES = {
    StatusCategory.OUTSIDE_SOCIETY: "persons_status_outside_society",
    StatusCategory.COMPULSORY_REHAB: "persons_status_compulsory_rehab",
    StatusCategory.OTHER_FACILITY: "persons_status_other_facility",
    StatusCategory.DETENTION: "persons_status_detention",
}
for _category, _code in STATUS_CODES.items():
    _register_people(
        _code, format_lazy(_("Người có hồ sơ quản lý: {status}"), status=_category.label),
        format_lazy(_("{note}, theo nhóm tình trạng (QĐ 13/2019) của loại đợt quản lý có mức ưu tiên cao nhất đang mở: "
          "“{status}”. Nhóm của mỗi loại đợt do quản trị viên đặt."), note=MANAGED_NOTE, status=_category.label),
        lambda p, category=_category: Q(Exact(Subquery(_top_open_kind(p.end, "kind__status_category")),
                                              Value(category.value))))


def _cross_tab(kind_field: str):
    """A counter: {area id: {"<kind field>|gender|age group": people}}, each person once, under the
    highest-priority episode open at the end, age on the period's last day; one query."""
    def count(level: str, ids: list, period: Period) -> dict:
        group = _area_lookup(level)
        rows = (
            Person._base_manager.filter(**{f"{group}__in": ids})
            .annotate(_key=Subquery(_top_open_kind(period.end, kind_field)), _group=age_group_at(period.end))
            .filter(_key__isnull=False)
            .order_by()
            .values_list(group, "_key", "gender", "_group")
            .annotate(_n=Count("pk"))
        )
        return _by_area((area_id, BREAKDOWN_SEPARATOR.join((key, gender, age_group)), number)
                        for area_id, key, gender, age_group, number in rows)
    return count


register(Indicator(
    code="persons_by_status_sex_age",
    label=_("Người có hồ sơ quản lý theo tình trạng, giới tính, độ tuổi"),
    unit=PERSON,
    description=_("Mỗi người một lần, theo loại đợt quản lý có mức ưu tiên cao nhất còn hiệu lực vào ngày cuối kỳ, "
                  "giới tính và nhóm tuổi của QĐ 13/2019/QĐ-TTg vào ngày cuối kỳ. "
                  "Giá trị là bảng {loại đợt|giới tính|nhóm tuổi: số người}."),
    numerator=_cross_tab("kind__code"),
))

register(Indicator(
    code="persons_by_category_sex_age",
    label=_("Người có hồ sơ quản lý theo nhóm tình trạng (QĐ 13/2019), giới tính, độ tuổi"),
    unit=PERSON,
    description=_("Như chỉ tiêu theo tình trạng, giới tính, độ tuổi, nhưng gộp loại đợt quản lý theo bốn nhóm tình "
                  "trạng của QĐ 13/2019/QĐ-TTg (ngoài xã hội, cai nghiện bắt buộc, trong cơ sở khác, bị tạm giữ/tạm "
                  "giam). Giá trị là bảng {nhóm tình trạng|giới tính|nhóm tuổi: số người}."),
    numerator=_cross_tab("kind__status_category"),
))


def _spelling(text: str) -> tuple[str, str]:
    """A free-text entry's key (spellings that differ only in case, accents or spaces are one) and its name."""
    text = " ".join(text.split())
    return fold(text), text[:1].upper() + text[1:]


def _by_text(rows) -> dict:
    """{area id: {text: people}} from (area id, text, people) rows: spellings that differ only in case,
    accents or spaces are one entry, named by the first spelling in alphabetical order; blank is ""."""
    result: dict = {}
    names: dict = {}
    for area_id, text, number in sorted(rows, key=lambda row: (row[0], row[1] or "")):
        key, name = _spelling(text or "")
        name = names.setdefault(key, name)
        area = result.setdefault(area_id, {})
        area[name] = area.get(name, 0) + number
    return result


def _persons_by_occupation(level: str, ids: list, period: Period) -> dict:
    group = _area_lookup(level)
    rows = (Person._base_manager.filter(_managed_at(period.end), **{f"{group}__in": ids})
            .order_by().values_list(group, "occupation").annotate(_n=Count("pk")))
    return _by_text(rows)


register(Indicator(
    code="persons_by_occupation",
    label=_("Người có hồ sơ quản lý theo nghề nghiệp"),
    unit=PERSON,
    description=_("Mỗi người có hồ sơ còn hiệu lực vào ngày cuối kỳ một lần, theo nghề nghiệp ghi trong hồ sơ "
                  "(viết khác nhau chỉ ở chữ hoa, dấu hoặc khoảng trắng được gộp). Giá trị là bảng "
                  "{nghề nghiệp: số người}; nghề để trống là “”."),
    numerator=_persons_by_occupation,
))

# "Heroin, Ma túy đá", "MDMA + Ketamine", "Cần sa; Methamphetamine", "heroin và ketamine".
_SUBSTANCE_SPLIT = re.compile(r"\s*(?:[,;+/]|\bvà\b|&)\s*", re.IGNORECASE)


def _persons_by_substance(level: str, ids: list, period: Period) -> dict:
    group = _area_lookup(level, "person__")
    tests = (DrugTest._base_manager.filter(dated_in(period, "tested_on"), result=TestResult.POSITIVE,
                                           **{f"{group}__in": ids})
             .order_by().values_list(group, "person_id", "substances").distinct())
    people: dict = {}  # {(area id, substance key): {person ids}}
    names: dict = {}
    for area_id, person_id, substances in sorted(tests, key=lambda row: (row[0], row[2] or "", row[1])):
        parts = [" ".join(part.split()) for part in _SUBSTANCE_SPLIT.split(substances or "")]
        for part in [part for part in parts if part] or [""]:
            key, name = _spelling(part)
            names.setdefault(key, name)
            people.setdefault((area_id, key), set()).add(person_id)
    return _by_area((area_id, names[key], len(persons)) for (area_id, key), persons in people.items())


register(Indicator(
    code="persons_by_substance",
    label=_("Người có kết quả xét nghiệm dương tính theo chất ma túy"),
    unit=PERSON,
    description=_("Số người có ít nhất một lần xét nghiệm dương tính trong kỳ với từng chất ghi ở “Chất phát hiện” "
                  "(các chất cách nhau bằng dấu phẩy, chấm phẩy, “+”, “/” hoặc “và”); một người dương tính với "
                  "hai chất được tính ở cả hai. Giá trị là bảng {chất: số người}; không ghi chất là “”."),
    numerator=_persons_by_substance,
))


def _persons_by_rehab_measure(level: str, ids: list, period: Period) -> dict:
    group = _area_lookup(level, "person__")
    rows = (Episode._base_manager.filter(running_in(period, "started_on", "actual_end"), kind__in_treatment=True,
                                         **{f"{group}__in": ids})
            .order_by().values_list(group, "kind__code").annotate(_n=Count("person", distinct=True)))
    return _by_area(rows)


register(Indicator(
    code="persons_by_rehab_measure",
    label=_("Người được áp dụng biện pháp cai nghiện, điều trị theo từng biện pháp"),
    unit=PERSON,
    description=_("Số người có đợt quản lý thuộc loại “đang cai nghiện/điều trị” (cai nghiện bắt buộc, tự nguyện, "
                  "điều trị thay thế…) diễn ra ít nhất một ngày trong kỳ, theo từng loại. Giá trị là bảng "
                  "{mã loại đợt: số người}."),
    numerator=_persons_by_rehab_measure,
))
