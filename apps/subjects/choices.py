"""Fixed choice lists of the register of people under management."""
from django.db import models
from django.utils.translation import gettext_lazy as _


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
