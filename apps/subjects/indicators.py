"""Indicators over the register of people: who is under management, in treatment, tested, overdue.

Autodiscovered by apps.indicators; each counts with one grouped query per area
level, by the person's current khóm (one person counts once).
"""
import datetime as dt

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.periods import Period
from apps.indicators.registry import KHOM, PERCENT, PERSON, TEST, Indicator, counter, register

from .choices import AgeBand
from .models import Episode, Person

# Keys of the breakdown: "<episode kind code>|<gender>|<age band>".
BREAKDOWN_SEPARATOR = "|"
# (band, first age outside it), youngest first; older than the last is AgeBand.OVER_45.
AGE_BANDS = ((AgeBand.UNDER_18, 18), (AgeBand.FROM_18_TO_30, 31), (AgeBand.FROM_31_TO_45, 46))


def open_at(day: dt.date, prefix: str = "") -> Q:
    """Episodes running on *day*: started on or before it, not ended before it."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}actual_end__isnull": True}) | Q(**{f"{prefix}actual_end__gte": day})
    )


def _in_treatment_at(day: dt.date):
    return Exists(Episode._base_manager.filter(open_at(day), person=OuterRef("person"), kind__in_treatment=True))


register(Indicator(
    code="persons_managed",
    label=_("Người có hồ sơ quản lý"),
    unit=PERSON,
    description=_("Số người có ít nhất một đợt quản lý (mọi loại) còn hiệu lực vào ngày cuối kỳ; "
                  "tính theo khóm cư trú hiện tại của người đó, mỗi người một lần."),
    numerator=counter("subjects.Episode", khom_path="person__khom", aggregate=Count("person", distinct=True),
                      where=lambda p: open_at(p.end)),
))

# Shared by the count and its share of residents, so both always count the same people.
USERS_ADDICTS = counter("subjects.Episode", khom_path="person__khom", aggregate=Count("person", distinct=True),
                        where=lambda p: open_at(p.end) & Q(kind__counts_as_user_addict=True))

register(Indicator(
    code="users_addicts",
    label=_("Người sử dụng trái phép và người nghiện có hồ sơ quản lý"),
    unit=PERSON,
    description=_("Số người có đợt quản lý còn hiệu lực vào ngày cuối kỳ thuộc loại được đánh dấu "
                  "“tính là người sử dụng/nghiện”; mỗi người một lần."),
    numerator=USERS_ADDICTS,
))

register(Indicator(
    code="users_addicts_percent",
    label=_("Tỷ lệ người sử dụng và người nghiện có hồ sơ trên dân số"),
    unit=PERCENT,
    description=_("Chỉ tiêu “Người sử dụng trái phép và người nghiện có hồ sơ quản lý” chia cho số nhân khẩu "
                  "của khóm (hoặc dân số của phường), nhân 100, làm tròn 2 chữ số thập phân."),
    numerator=USERS_ADDICTS,
    denominator="population", scale=100, decimals=2,
))

register(Indicator(
    code="users_addicts_not_in_treatment",
    label=_("Người sử dụng, người nghiện đang sống tại địa bàn (không kể người đang cai nghiện, điều trị)"),
    unit=PERSON,
    description=_("Người sử dụng/nghiện có hồ sơ còn hiệu lực vào ngày cuối kỳ, trừ người cùng lúc có đợt "
                  "cai nghiện hoặc điều trị thay thế còn hiệu lực; mỗi người một lần."),
    numerator=counter(
        "subjects.Episode", khom_path="person__khom", aggregate=Count("person", distinct=True),
        where=lambda p: open_at(p.end) & Q(kind__counts_as_user_addict=True, kind__in_treatment=False)
        & ~Q(_in_treatment_at(p.end)),
    ),
))

register(Indicator(
    code="in_treatment",
    label=_("Người đang cai nghiện, điều trị thay thế"),
    unit=PERSON,
    description=_("Số người có đợt quản lý thuộc loại “đang cai nghiện/điều trị” còn hiệu lực vào ngày cuối kỳ."),
    numerator=counter("subjects.Episode", khom_path="person__khom", aggregate=Count("person", distinct=True),
                      where=lambda p: open_at(p.end) & Q(kind__in_treatment=True)),
))

register(Indicator(
    code="drug_tests",
    label=_("Lượt xét nghiệm ma túy"),
    unit=TEST,
    description=_("Số lượt xét nghiệm (mọi kết quả) có ngày xét nghiệm trong kỳ."),
    numerator=counter("subjects.DrugTest", khom_path="person__khom", aggregate=Count("pk"),
                      where=lambda p: Q(tested_on__range=(p.start, p.end))),
))

register(Indicator(
    code="positive_tests",
    label=_("Lượt xét nghiệm dương tính"),
    unit=TEST,
    description=_("Số lượt xét nghiệm có kết quả dương tính với ngày xét nghiệm trong kỳ."),
    numerator=counter("subjects.DrugTest", khom_path="person__khom", aggregate=Count("pk"),
                      where=lambda p: Q(result="positive", tested_on__range=(p.start, p.end))),
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


# ---------------------------------------------------------------- the report's people breakdown
def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_band_at(day: dt.date):
    """SQL expression: the age band of a person (by date_of_birth) on *day*."""
    whens = [When(date_of_birth__gt=_years_before(day, upper), then=Value(band.value)) for band, upper in AGE_BANDS]
    return Case(*whens, default=Value(AgeBand.OVER_45.value), output_field=CharField())


def _persons_by_status_sex_age(level: str, ids: list, period: Period) -> dict:
    """{area id: {"kind|gender|band": people}}: each person once, under the highest-priority episode open at the end."""
    group = "khom" if level == KHOM else "khom__ward"
    top_kind = (Episode._base_manager.filter(open_at(period.end), person=OuterRef("pk"))
                .order_by("-kind__priority", "kind__code").values("kind__code")[:1])
    rows = (
        Person._base_manager.filter(**{f"{group}__in": ids})
        .annotate(_kind=Subquery(top_kind), _band=age_band_at(period.end))
        .filter(_kind__isnull=False)
        .order_by()
        .values_list(group, "_kind", "gender", "_band")
        .annotate(_n=Count("pk"))
    )
    result: dict = {}
    for area_id, kind, gender, band, number in rows:
        result.setdefault(area_id, {})[BREAKDOWN_SEPARATOR.join((kind, gender, band))] = number
    return result


register(Indicator(
    code="persons_by_status_sex_age",
    label=_("Người có hồ sơ quản lý theo tình trạng, giới tính, độ tuổi"),
    unit=PERSON,
    description=_("Mỗi người một lần, theo loại đợt quản lý có mức ưu tiên cao nhất còn hiệu lực vào ngày cuối kỳ, "
                  "giới tính và độ tuổi vào ngày cuối kỳ. Giá trị là bảng {tình trạng|giới tính|độ tuổi: số người}."),
    numerator=_persons_by_status_sex_age,
))
