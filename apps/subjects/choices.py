"""Fixed choice lists of the register of people under management."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class EndReason(models.TextChoices):
    TERM_COMPLETED = "term_completed", _("Hết thời hạn")
    ADDICTION_FOUND = "addiction_found", _("Xác định là người nghiện")
    TRANSFERRED = "transferred", _("Chuyển hình thức quản lý/cai nghiện")
    # A new use during the term: a new decision, the term starts again (issue 18 §2).
    NEW_DECISION = "new_decision", _("Có quyết định quản lý mới (sử dụng lại trong thời hạn)")
    DETAINED = "detained", _("Bị tạm giữ, tạm giam, chấp hành án")
    MOVED_AWAY = "moved_away", _("Chuyển nơi cư trú")
    DIED = "died", _("Chết")
    OTHER = "other", _("Lý do khác")


class SampleType(models.TextChoices):
    URINE = "urine", _("Nước tiểu")
    BLOOD = "blood", _("Máu")
    SALIVA = "saliva", _("Nước bọt")
    HAIR = "hair", _("Tóc")
    OTHER = "other", _("Khác")


class TestResult(models.TextChoices):
    POSITIVE = "positive", _("Dương tính")
    NEGATIVE = "negative", _("Âm tính")
    INVALID = "invalid", _("Không xác định được")


class MoveKind(models.TextChoices):
    WITHIN_WARD = "within_ward", _("Chuyển khóm trong phường")
    MOVE_IN = "move_in", _("Chuyển đến phường")
    MOVE_OUT = "move_out", _("Chuyển đi khỏi phường")


class SupportKind(models.TextChoices):
    JOB = "job", _("Giới thiệu việc làm")
    VOCATIONAL = "vocational", _("Học nghề")
    LOAN = "loan", _("Vay vốn")
    COUNSELLING = "counselling", _("Tư vấn, hỗ trợ tâm lý")
    OTHER = "other", _("Hỗ trợ khác")


class AgeBand(models.TextChoices):
    UNDER_18 = "u18", _("Dưới 18 tuổi")
    FROM_18_TO_30 = "18-30", _("Từ 18 đến 30 tuổi")
    FROM_31_TO_45 = "31-45", _("Từ 31 đến 45 tuổi")
    OVER_45 = "46+", _("Trên 45 tuổi")


class TransferStatus(models.TextChoices):
    """Where a record transfer between two wards of the installation stands (issue 18 §3)."""

    REQUESTED = "requested", _("Phường mới đề nghị chuyển")
    TO_SEND = "to_send", _("Chờ gửi hồ sơ")
    SENT = "sent", _("Đã gửi, chờ tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    REFUSED = "refused", _("Không thực hiện")


# The transfers that still hold the record in between two wards: one at a time per person.
OPEN_TRANSFER_STATUSES = (TransferStatus.REQUESTED, TransferStatus.TO_SEND, TransferStatus.SENT)
# The transfers whose file the holding ward still has to send ("gửi hồ sơ trong 5 ngày làm việc").
TRANSFER_TO_SEND_STATUSES = (TransferStatus.REQUESTED, TransferStatus.TO_SEND)


# ---------------------------------------------------------------- QĐ 13/2019/QĐ-TTg breakdowns (issue 16 §5)
class Ethnicity(models.TextChoices):
    """Dân tộc: the statistics count Kinh and the other peoples; An Giang's larger ones are named."""

    KINH = "kinh", _("Kinh")
    # With a context: Django's own Vietnamese catalog has "Khmer" as the language ("Tiếng Khơ-me").
    KHMER = "khmer", pgettext_lazy("dân tộc", "Khmer")
    HOA = "hoa", _("Hoa")
    CHAM = "cham", _("Chăm")
    OTHER = "other", _("Dân tộc khác")


class EducationLevel(models.TextChoices):
    """Trình độ học vấn, the levels of the drug-statistics forms."""

    NONE = "none", _("Không biết chữ")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    HIGHER = "higher", _("Trung cấp, cao đẳng, đại học trở lên")


class StatusCategory(models.TextChoices):
    """Where a person is, in the four-way split of QĐ 13/2019: each episode kind maps to one (admin data)."""

    OUTSIDE_SOCIETY = "outside_society", _("Ngoài xã hội")
    COMPULSORY_REHAB = "compulsory_rehab", _("Cai nghiện bắt buộc")
    OTHER_FACILITY = "other_facility", _("Trong cơ sở khác")
    DETENTION = "detention", _("Bị tạm giữ, tạm giam")


class AgeGroup(models.TextChoices):
    """The age groups of QĐ 13/2019/QĐ-TTg, age counted in full years on the period's last day."""

    UNDER_14 = "u14", _("Dưới 14 tuổi")
    FROM_14_TO_16 = "14-16", _("Từ 14 đến dưới 16 tuổi")
    FROM_16_TO_18 = "16-18", _("Từ 16 đến dưới 18 tuổi")
    FROM_18_TO_30 = "18-30", _("Từ 18 đến dưới 30 tuổi")
    FROM_30 = "30+", _("Từ 30 tuổi trở lên")


# (group, first age outside it), youngest first; the last group has no upper bound.
AGE_GROUP_BOUNDS = ((AgeGroup.UNDER_14, 14), (AgeGroup.FROM_14_TO_16, 16), (AgeGroup.FROM_16_TO_18, 18),
                    (AgeGroup.FROM_18_TO_30, 30), (AgeGroup.FROM_30, None))
