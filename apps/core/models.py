"""Base models shared by every app, the append-only audit log, and the working-day calendar's exceptions."""
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import AuditAction, CalendarExceptionKind
from .validators import validate_event_date

CALENDAR_EXCEPTION_DUPLICATE = _("Ngày này đã có trong danh sách ngày nghỉ, ngày làm bù.")

# Alerts raised in this many days are shown to administrators (dashboard, list of users).
RECENT_ALERT_DAYS = 7


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed, and by whom."""

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Abstract base for records edited by several people: a version number for optimistic locking."""

    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet):
    def for_user(self, user):
        """Administrators read every event; ward leadership reads the events of its wards."""
        if not user.is_authenticated:
            return self.none()
        if user.is_administrator:
            return self
        if user.is_leadership:
            return self.filter(ward_id__in=user.scope_ward_ids)
        return self.none()

    def recent_alerts(self):
        """Alerts for administrators raised in the last RECENT_ALERT_DAYS days."""
        return self.filter(action=AuditAction.ALERT, at__gte=timezone.now() - dt.timedelta(days=RECENT_ALERT_DAYS))


class AuditEvent(models.Model):
    """One thing someone did: a login, a view of a record, a change, an export.

    Rows are never updated or deleted: a database trigger (migration 0002)
    refuses both, so not even a bug or a shell session can rewrite history.
    """

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    # No foreign-key constraint: deleting a user must not touch the log.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    action = models.CharField(_("hành động"), max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    ward_id = models.BigIntegerField(_("phường"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    extra = models.JSONField(_("chi tiết"), default=dict, blank=True)
    # From the audit context (apps.core.audit): the events of one request or command share its id; the
    # source is "web" or "command:<name>". Database defaults, so rows written by hand still insert.
    request_id = models.CharField(_("mã yêu cầu"), max_length=32, blank=True, db_default="")
    source = models.CharField(_("nguồn"), max_length=64, blank=True, db_default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx")]
        permissions = [("view_all_auditevent", _("Xem toàn bộ nhật ký"))]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"


class CalendarExceptionQuerySet(models.QuerySet):
    def for_user(self, user):
        """The official calendar, not personal data: every signed-in user may read it."""
        return self if user.is_authenticated else self.none()


class CalendarException(TimeStampedModel):
    """One day on which public offices rest or work against the base calendar (apps.core.workdays).

    The ``holidays`` package knows Vietnam's public holidays, Tết included, and
    some of the days off the government swaps in, but not the Saturdays worked
    in exchange, nor a swap announced after its release. Each year's
    announcement is entered here, and a row wins over the package: a day off
    makes a working day free, a working day makes a weekend day or a holiday
    count. Read on every deadline computation, so an edit applies at once.
    """

    # A context: "ngày" alone is translated as "of" elsewhere ("QĐ số … ngày …").
    date = models.DateField(pgettext_lazy("calendar", "ngày"), validators=[validate_event_date])
    kind = models.CharField(_("loại"), max_length=20, choices=CalendarExceptionKind.choices)
    name = models.CharField(_("tên"), max_length=200,
                            help_text=_("Hiển thị cho người dùng, ví dụ “Làm bù cho thứ Hai 31/08/2026”."))
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True,
                                   help_text=_("Văn bản công bố lịch nghỉ, hoán đổi ngày làm việc."))
    checked = models.BooleanField(_("đã đối chiếu văn bản"), default=False,
                                  help_text=_("Bỏ trống khi chưa đối chiếu với văn bản gốc."))

    objects = CalendarExceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date"], name="core_calendar_exception_unique_date",
                                    violation_error_message=CALENDAR_EXCEPTION_DUPLICATE),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"
