"""Choice lists of criteria sets, criteria, assessments."""
import operator as op

from django.db import models
from django.utils.translation import gettext_lazy as _


class CriteriaScope(models.TextChoices):
    """What a criteria set assesses."""

    KHOM = "khom", _("Khóm không ma túy")
    WARD = "ward", _("Phường không ma túy")
    HOTSPOT = "hotspot", _("Phân loại địa bàn trọng điểm về ma túy")


class CriterionKind(models.TextChoices):
    COMPUTED = "computed", _("Tính từ số liệu")
    MANUAL = "manual", _("Đánh giá thủ công, có minh chứng")


class Operator(models.TextChoices):
    LT = "<", "<"
    LE = "<=", "≤"
    EQ = "==", "="
    GE = ">=", "≥"
    GT = ">", ">"


OPERATOR_FUNCTIONS = {
    Operator.LT: op.lt, Operator.LE: op.le, Operator.EQ: op.eq, Operator.GE: op.ge, Operator.GT: op.gt,
}


class HotspotGroup(models.TextChoices):
    """The lettered conditions of QĐ 28/2025/QĐ-TTg; criteria sharing a letter are alternatives (any one holds)."""

    A = "a", "a"
    B = "b", "b"
    C = "c", "c"
    D = "d", "d"
    DD = "dd", "đ"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SUBMITTED = "submitted", _("Đã trình")
    APPROVED = "approved", _("Đã phê duyệt")
    RETURNED = "returned", _("Bị trả lại")


# Statuses in which the figures are still live and manual items may be filled.
EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class SelfAssessmentStatus(models.TextChoices):
    """A ward's annual self-assessment on its way to the province (QĐ 28/2025/QĐ-TTg, Điều 7)."""

    DRAFT = "draft", _("Đang lập")
    SUBMITTED = "submitted", _("Đã gửi tỉnh")
    RETURNED = "returned", _("Tỉnh trả lại")
    FORWARDED = "forwarded", _("Đã trình lãnh đạo UBND tỉnh")
    RECOGNISED = "recognised", _("Được công nhận không ma túy")
    REFUSED = "refused", _("Không được công nhận")
    REVOKED = "revoked", _("Bị thu hồi công nhận")


# The ward still edits its self-assessment in these statuses; the province sees every other one.
SELF_ASSESSMENT_EDITABLE = (SelfAssessmentStatus.DRAFT, SelfAssessmentStatus.RETURNED)


class ClassificationLevel(models.TextChoices):
    """Who a classification set classifies: a commune-level unit (Điều 4) or the province (Điều 5)."""

    COMMUNE = "commune", _("Xã, phường, đặc khu (Điều 4)")
    PROVINCE = "province", _("Tỉnh (Điều 5)")


class ClassificationBasis(models.TextChoices):
    """How a classification threshold reads its figure."""

    COUNT = "count", _("Số đếm của chỉ tiêu")
    RESIDENT_PERCENT = "resident_pct", _("Chỉ tiêu trên nhân khẩu hiện đang cư trú (%)")
    HOTSPOT_UNITS_PERCENT = "units_pct", _("Tỉ lệ xã thuộc các loại được tính trên tổng số xã (%)")
    ON_ROUTE = "on_route", _("Nằm trên tuyến, địa bàn trung chuyển ma túy liên tỉnh")
