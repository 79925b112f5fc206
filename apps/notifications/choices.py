"""The workflow events that notify someone."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What happened. The label is the headline of the notification, translated when it is shown."""

    ASSESSMENT_SUBMITTED = "assessment_submitted", _("Bản đánh giá được trình phê duyệt")
    ASSESSMENT_RETURNED = "assessment_returned", _("Bản đánh giá bị trả lại")
    ASSESSMENT_APPROVED = "assessment_approved", _("Bản đánh giá được phê duyệt")
    RECOGNITION_REFUSED = "recognition_refused", _("Tỉnh không công nhận đạt không ma túy")
    RECOGNITION_REVOKED = "recognition_revoked", _("Quyết định công nhận không ma túy bị thu hồi")
    REPORT_ROUND_ISSUED = "report_round_issued", _("Tỉnh giao kỳ báo cáo mới")
    REPORT_SUBMITTED = "report_submitted", _("Phường đã nộp báo cáo")
    REPORT_REOPENED = "report_reopened", _("Báo cáo được mở lại để chỉnh sửa")
    REPORT_RETURNED = "report_returned", _("Báo cáo bị tỉnh trả lại")
    REPORT_ACCEPTED = "report_accepted", _("Báo cáo được tỉnh chấp nhận")
    TRANSFER_REQUESTED = "transfer_requested", _("Đề nghị chuyển hồ sơ đối tượng")
    TRANSFER_ACCEPTED = "transfer_accepted", _("Hồ sơ chuyển đi đã được tiếp nhận")
    TASK_OVERDUE = "task_overdue", _("Việc quá hạn")
