from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã nộp")
    LOCKED = "locked", _("Đã khoá")
    # Accepted by the province (issue 16 §3): locked; only the province reopens it, with a reason.
    ACCEPTED = "accepted", _("Tỉnh đã chấp nhận")


class ComplianceStatus(models.TextChoices):
    """A ward's standing in a reporting round, as the province's compliance board shows it."""

    NOT_STARTED = "not_started", _("Chưa lập")
    DRAFT = "draft", _("Đang soạn")
    ON_TIME = "on_time", _("Đã nộp đúng hạn")
    LATE = "late", _("Đã nộp trễ hạn")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class VersionOutcome(models.TextChoices):
    """What the province did with one submission of a report."""

    PENDING = "pending", _("Chờ tỉnh xem xét")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    WITHDRAWN = "withdrawn", _("Phường rút lại để sửa")
    REOPENED = "reopened", _("Tỉnh mở lại")
