"""Indicators of prevention work: propaganda sessions, commitments signed, reintegration models.

Autodiscovered by apps.indicators. A session or model held for the whole
ward (no khóm) counts for the ward only.
"""
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from apps.core.periods import Period
from apps.indicators.registry import (
    MODEL_UNIT, PERCENT, PERSON, SESSION, Indicator, counter, dated_in, place_counter, register, running_in,
)

from .models import CommitmentSigning


def _held_in(p: Period) -> Q:
    return dated_in(p, "held_on")


register(Indicator(
    code="propaganda_sessions",
    label=_("Buổi tuyên truyền, giáo dục"),
    unit=SESSION,
    description=_("Số buổi tuyên truyền, giáo dục (mọi loại) tổ chức trong kỳ; buổi tổ chức cho toàn phường "
                  "chỉ tính cho phường, không tính cho từng khóm."),
    numerator=place_counter("activities.Activity", aggregate=Count("pk"), where=_held_in),
))

register(Indicator(
    code="propaganda_attendance",
    label=_("Lượt người tham dự tuyên truyền, giáo dục"),
    unit=PERSON,
    description=_("Tổng số người tham dự các buổi tuyên truyền, giáo dục tổ chức trong kỳ."),
    numerator=place_counter("activities.Activity", aggregate=Sum("participants"), where=_held_in),
))


def _latest_signing_in(p: Period) -> Q:
    # Each khóm's latest signing round in the period is its current figure; earlier rounds are history.
    latest = (CommitmentSigning._base_manager.filter(khom=OuterRef("khom"), signed_on__range=(p.start, p.end))
              .order_by("-signed_on").values("signed_on")[:1])
    return dated_in(p, "signed_on") & Q(signed_on=Subquery(latest))


register(Indicator(
    code="commitment_percent",
    label=_("Tỷ lệ hộ gia đình ký cam kết không ma túy"),
    unit=PERCENT,
    description=_("Số hộ đã ký chia cho tổng số hộ, theo đợt ký gần nhất trong kỳ của mỗi khóm, nhân 100, "
                  "làm tròn 1 chữ số thập phân; phường cộng các khóm có đợt ký. Khóm chưa có đợt ký: không có số liệu."),
    numerator=counter("activities.CommitmentSigning", khom_path="khom", aggregate=Sum("households_signed"),
                      where=_latest_signing_in),
    denominator=counter("activities.CommitmentSigning", khom_path="khom", aggregate=Sum("households_total"),
                        where=_latest_signing_in),
    scale=100, decimals=1,
))

register(Indicator(
    code="reintegration_models_active",
    label=_("Mô hình hỗ trợ tái hòa nhập cộng đồng đang hoạt động"),
    unit=MODEL_UNIT,
    description=_("Số mô hình bắt đầu trước ngày cuối kỳ và chưa kết thúc trước ngày đầu kỳ."),
    numerator=place_counter("activities.ReintegrationModel", aggregate=Count("pk"),
                            where=lambda p: running_in(p, "started_on", "ended_on")),
))
