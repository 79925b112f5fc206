"""Indicators over cases, offenders and hotspots, counted where the case happened.

Autodiscovered by apps.indicators. A case or hotspot outside any khóm counts
for its ward only (``ward_path="ward"``).
"""
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from apps.core.periods import Period
from apps.indicators.registry import (
    CASE, PERSON, PLACE, PLANT, SQUARE_METRE, Indicator, counter, dated_in, place_counter, register,
    share_of_population,
)

from .choices import OFFENDER_ROLES, CaseHandling, HotspotKind


def _detected_in(p: Period, prefix: str = "") -> Q:
    return dated_in(p, f"{prefix}detected_on")


register(Indicator(
    code="cases_detected",
    label=_("Vụ việc về ma túy phát hiện"),
    unit=CASE,
    description=_("Số vụ việc có ngày phát hiện trong kỳ; vụ không gắn khóm chỉ tính cho phường."),
    numerator=place_counter("cases.Case", aggregate=Count("pk"), where=_detected_in),
))

for handling, label in ((CaseHandling.ADMINISTRATIVE, _("Vụ việc xử phạt vi phạm hành chính")),
                        (CaseHandling.CRIMINAL, _("Vụ việc khởi tố hình sự"))):
    register(Indicator(
        code=f"cases_{handling.value}",
        label=label,
        unit=CASE,
        description=_("Số vụ việc phát hiện trong kỳ có hình thức xử lý này; vụ không gắn khóm chỉ tính cho phường."),
        numerator=place_counter("cases.Case", aggregate=Count("pk"),
                                where=lambda p, h=handling: _detected_in(p) & Q(handling=h)),
    ))


def _offenders(p: Period) -> Q:
    return _detected_in(p, "case__") & Q(role__in=OFFENDER_ROLES)


# People, not participations: someone in two cases of the period counts once. A register
# person is keyed by person_id; each outsider row is a person of its own (keyed by -pk).
OFFENDERS = counter("cases.Participant", khom_path="case__khom", ward_path="case__ward",
                    aggregate=Count(Coalesce(F("person_id"), -F("pk")), distinct=True), where=_offenders)

register(Indicator(
    code="offenders_arrested",
    label=_("Người phạm tội, vi phạm về ma túy bị bắt giữ, xử lý"),
    unit=PERSON,
    description=_("Số người (mỗi người tính một lần) tham gia vụ việc với vai trò đối tượng vi phạm hoặc "
                  "đồng phạm, trong các vụ phát hiện trong kỳ, tính theo nơi xảy ra vụ việc."),
    numerator=OFFENDERS,
))

register(share_of_population(
    code="offenders_arrested_percent",
    label=_("Tỷ lệ người phạm tội về ma túy bị bắt trên dân số"),
    description=_("Chỉ tiêu “Người phạm tội, vi phạm về ma túy bị bắt giữ, xử lý” chia cho dân số, nhân 100, "
                  "làm tròn 2 chữ số thập phân."),
    numerator=OFFENDERS,
))


def _hotspot_active_in(p: Period) -> Q:
    # Active at any time in the period: found before its end, not cleared before its start.
    return Q(found_on__lte=p.end) & (Q(cleared_on__isnull=True) | Q(cleared_on__gt=p.start))


register(Indicator(
    code="active_hotspots",
    label=_("Điểm, tụ điểm phức tạp về ma túy còn hoạt động"),
    unit=PLACE,
    description=_("Số điểm, tụ điểm được phát hiện trước ngày cuối kỳ và chưa triệt xóa trước ngày đầu kỳ "
                  "(có hoạt động vào một lúc nào đó trong kỳ)."),
    numerator=place_counter("cases.Hotspot", aggregate=Count("pk"), where=_hotspot_active_in),
))

register(Indicator(
    code="organising_places",
    label=_("Điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy"),
    unit=PLACE,
    description=_("Như “điểm, tụ điểm còn hoạt động”, chỉ tính các điểm tổ chức hoặc chứa chấp việc sử dụng "
                  "trái phép chất ma túy (tiêu chí b của địa bàn trọng điểm loại I)."),
    numerator=place_counter("cases.Hotspot", aggregate=Count("pk"),
                            where=lambda p: _hotspot_active_in(p)
                            & Q(kind__in=[HotspotKind.ORGANISING_USE, HotspotKind.HARBOURING_USE])),
))

register(Indicator(
    code="plants_destroyed",
    label=_("Số cây có chứa chất ma túy bị phát hiện, triệt phá"),
    unit=PLANT,
    description=_("Tổng số cây ghi nhận trong các vụ việc phát hiện trong kỳ."),
    numerator=place_counter("cases.Case", aggregate=Sum("plants_destroyed"), where=_detected_in),
))

register(Indicator(
    code="plants_area_m2",
    label=_("Diện tích cây có chứa chất ma túy bị triệt phá"),
    unit=SQUARE_METRE,
    description=_("Tổng diện tích (m²) trồng cây có chứa chất ma túy ghi nhận trong các vụ việc phát hiện trong kỳ."),
    numerator=place_counter("cases.Case", aggregate=Sum("area_destroyed_m2"), where=_detected_in),
))
