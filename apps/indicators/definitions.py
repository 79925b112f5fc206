"""The indicators of the drug-free programme, each counted by one grouped query per area level.

Models of other apps are named by label ("subjects.Episode") and resolved at
compute time, so this module imports nothing from apps above it.
"""
import datetime as dt

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import Indicator, Period, counter, register

PERSON = _("người")
PERCENT = "%"
CASE = _("vụ")
PLACE = _("điểm")
PLANT = _("cây")
SQUARE_METRE = "m²"
SESSION = _("buổi")
TEST = _("lượt")


# ---------------------------------------------------------------- people under management
def open_at(day: dt.date, prefix: str = "") -> Q:
    """Episodes running on *day*: started on or before it, not ended before it."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}actual_end__isnull": True}) | Q(**{f"{prefix}actual_end__gte": day})
    )


def _in_treatment_at(day: dt.date):
    Episode = apps.get_model("subjects", "Episode")
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


# ---------------------------------------------------------------- cases and hotspots
def _detected_in(p: Period, prefix: str = "") -> Q:
    return Q(**{f"{prefix}detected_on__range": (p.start, p.end)})


register(Indicator(
    code="cases_detected",
    label=_("Vụ việc về ma túy phát hiện"),
    unit=CASE,
    description=_("Số vụ việc có ngày phát hiện trong kỳ; vụ không gắn khóm chỉ tính cho phường."),
    numerator=counter("cases.Case", khom_path="khom", ward_path="ward", aggregate=Count("pk"),
                      where=_detected_in),
))


def _offenders(p: Period) -> Q:
    from apps.cases.choices import OFFENDER_ROLES

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

register(Indicator(
    code="offenders_arrested_percent",
    label=_("Tỷ lệ người phạm tội về ma túy bị bắt trên dân số"),
    unit=PERCENT,
    description=_("Chỉ tiêu “Người phạm tội, vi phạm về ma túy bị bắt giữ, xử lý” chia cho dân số, nhân 100, "
                  "làm tròn 2 chữ số thập phân."),
    numerator=OFFENDERS,
    denominator="population", scale=100, decimals=2,
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
    numerator=counter("cases.Hotspot", khom_path="khom", ward_path="ward", aggregate=Count("pk"),
                      where=_hotspot_active_in),
))

register(Indicator(
    code="organising_places",
    label=_("Điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy"),
    unit=PLACE,
    description=_("Như “điểm, tụ điểm còn hoạt động”, chỉ tính các điểm tổ chức hoặc chứa chấp việc sử dụng "
                  "trái phép chất ma túy (tiêu chí b của địa bàn trọng điểm loại I)."),
    numerator=counter("cases.Hotspot", khom_path="khom", ward_path="ward", aggregate=Count("pk"),
                      where=lambda p: _hotspot_active_in(p) & Q(kind__in=["organising_use", "harbouring_use"])),
))

register(Indicator(
    code="plants_destroyed",
    label=_("Số cây có chứa chất ma túy bị phát hiện, triệt phá"),
    unit=PLANT,
    description=_("Tổng số cây ghi nhận trong các vụ việc phát hiện trong kỳ."),
    numerator=counter("cases.Case", khom_path="khom", ward_path="ward", aggregate=Sum("plants_destroyed"),
                      where=_detected_in),
    lower_is_better=True,
))

register(Indicator(
    code="plants_area_m2",
    label=_("Diện tích cây có chứa chất ma túy bị triệt phá"),
    unit=SQUARE_METRE,
    description=_("Tổng diện tích (m²) trồng cây có chứa chất ma túy ghi nhận trong các vụ việc phát hiện trong kỳ."),
    numerator=counter("cases.Case", khom_path="khom", ward_path="ward", aggregate=Sum("area_destroyed_m2"),
                      where=_detected_in),
))


# ---------------------------------------------------------------- prevention
def _held_in(p: Period) -> Q:
    return Q(held_on__range=(p.start, p.end))


register(Indicator(
    code="propaganda_sessions",
    label=_("Buổi tuyên truyền, giáo dục"),
    unit=SESSION,
    description=_("Số buổi tuyên truyền, giáo dục (mọi loại) tổ chức trong kỳ; buổi tổ chức cho toàn phường "
                  "chỉ tính cho phường, không tính cho từng khóm."),
    numerator=counter("activities.Activity", khom_path="khom", ward_path="ward", aggregate=Count("pk"),
                      where=_held_in),
    lower_is_better=False,
))

register(Indicator(
    code="propaganda_attendance",
    label=_("Lượt người tham dự tuyên truyền, giáo dục"),
    unit=PERSON,
    description=_("Tổng số người tham dự các buổi tuyên truyền, giáo dục tổ chức trong kỳ."),
    numerator=counter("activities.Activity", khom_path="khom", ward_path="ward", aggregate=Sum("participants"),
                      where=_held_in),
    lower_is_better=False,
))


def _latest_signing_in(p: Period) -> Q:
    # Each khóm's latest signing round in the period is its current figure; earlier rounds are history.
    Signing = apps.get_model("activities", "CommitmentSigning")
    latest = (Signing._base_manager.filter(khom=OuterRef("khom"), signed_on__range=(p.start, p.end))
              .order_by("-signed_on").values("signed_on")[:1])
    return Q(signed_on__range=(p.start, p.end)) & Q(signed_on=Subquery(latest))


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
    scale=100, decimals=1, lower_is_better=False,
))

