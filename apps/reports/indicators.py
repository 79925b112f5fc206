"""Indicators the reports and the dashboard need beyond the programme set, added to the one registry.

They are registered from ReportsConfig.ready(), so every consumer of the
registry (criteria, dashboard, reports) sees them; figures are still only
ever read through ``registry.evaluate()``. Each counts with one grouped
query per area level.
"""
import datetime as dt

from django.apps import apps
from django.db.models import Case, CharField, Count, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from apps.indicators.definitions import open_at
from apps.indicators.registry import KHOM, REGISTRY, Indicator, counter
from apps.indicators.registry import register as registry_register

# Keys of the breakdown: "<episode kind code>|<gender>|<age band>".
AGE_BANDS = (("u18", 18), ("18-30", 31), ("31-45", 46))
OLDEST_BAND = "46+"
BREAKDOWN_SEPARATOR = "|"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_band_at(day: dt.date):
    """SQL expression: the age band of a person (by date_of_birth) on *day*."""
    whens = [When(date_of_birth__gt=_years_before(day, upper), then=Value(code)) for code, upper in AGE_BANDS]
    return Case(*whens, default=Value(OLDEST_BAND), output_field=CharField())


def _persons_by_status_sex_age(level: str, ids: list, period) -> dict:
    """{area id: {"kind|gender|band": people}}: each person once, under the highest-priority episode open at the end."""
    Person = apps.get_model("subjects", "Person")
    Episode = apps.get_model("subjects", "Episode")
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


def register(indicator: Indicator) -> None:
    """Add *indicator* unless apps.indicators already defines that code: the registry owner's definition wins."""
    if indicator.code not in REGISTRY:
        registry_register(indicator)


def register_report_indicators():
    register(Indicator(
        code="persons_by_status_sex_age",
        label=_("Người có hồ sơ quản lý theo tình trạng, giới tính, độ tuổi"),
        unit=_("người"),
        description=_("Mỗi người một lần, theo loại đợt quản lý có mức ưu tiên cao nhất còn hiệu lực vào ngày cuối kỳ, "
                      "giới tính và độ tuổi vào ngày cuối kỳ. Giá trị là bảng {tình trạng|giới tính|độ tuổi: số người}."),
        numerator=_persons_by_status_sex_age,
        tags=("breakdown",),
    ))
    register(Indicator(
        code="drug_tests",
        label=_("Lượt xét nghiệm ma túy"),
        unit=_("lượt"),
        description=_("Số lượt xét nghiệm (mọi kết quả) có ngày xét nghiệm trong kỳ."),
        numerator=counter("subjects.DrugTest", khom_path="person__khom", aggregate=Count("pk"),
                          where=lambda p: Q(tested_on__range=(p.start, p.end))),
        lower_is_better=False,
    ))
    for handling, label in (("administrative", _("Vụ việc xử phạt vi phạm hành chính")),
                            ("criminal", _("Vụ việc khởi tố hình sự"))):
        register(Indicator(
            code=f"cases_{handling}",
            label=label,
            unit=_("vụ"),
            description=_("Số vụ việc phát hiện trong kỳ có hình thức xử lý này; vụ không gắn khóm chỉ tính cho phường."),
            numerator=counter("cases.Case", khom_path="khom", ward_path="ward", aggregate=Count("pk"),
                              where=lambda p, h=handling: Q(detected_on__range=(p.start, p.end), handling=h)),
        ))
    register(Indicator(
        code="reintegration_models_active",
        label=_("Mô hình hỗ trợ tái hòa nhập cộng đồng đang hoạt động"),
        unit=_("mô hình"),
        description=_("Số mô hình bắt đầu trước ngày cuối kỳ và chưa kết thúc trước ngày đầu kỳ."),
        numerator=counter("activities.ReintegrationModel", khom_path="khom", ward_path="ward", aggregate=Count("pk"),
                          where=lambda p: Q(started_on__lte=p.end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=p.start))),
        lower_is_better=False,
    ))
    register(Indicator(
        code="khoms_total",
        label=_("Số khóm"),
        unit=_("khóm"),
        description=_("Số khóm của địa bàn."),
        numerator=counter("khom.Khom", khom_path="pk", ward_path="ward", aggregate=Count("pk")),
        lower_is_better=False,
    ))
    register(Indicator(
        code="khoms_planned",
        label=_("Khóm phấn đấu không ma túy theo kế hoạch (lũy kế)"),
        unit=_("khóm"),
        description=_("Số khóm có năm phấn đấu không ma túy đến hết năm của ngày cuối kỳ."),
        numerator=counter("khom.Khom", khom_path="pk", ward_path="ward", aggregate=Count("pk"),
                          where=lambda p: Q(target_year__lte=p.end.year)),
        lower_is_better=False,
    ))
    register(Indicator(
        code="khoms_recognised",
        label=_("Khóm được công nhận không ma túy (lũy kế)"),
        unit=_("khóm"),
        description=_("Số khóm đang được công nhận không ma túy, với ngày công nhận không sau ngày cuối kỳ."),
        numerator=counter("khom.Khom", khom_path="pk", ward_path="ward", aggregate=Count("pk"),
                          where=lambda p: Q(status="recognised")
                          & (Q(recognised_on__isnull=True) | Q(recognised_on__lte=p.end))),
        lower_is_better=False,
    ))
