"""Base models shared by every app, the append-only audit log, and the working-day calendar's exceptions."""
import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import AuditAction, CalendarExceptionKind, ConventionCode, PeriodKind
from .periods import Period, year_of
from .scoping import ReferenceQuerySet
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


def _checked_field():
    """Whether a row of reference data entered from a legal text has been checked against that text."""
    return models.BooleanField(_("đã đối chiếu văn bản"), default=False,
                               help_text=_("Bỏ trống khi chưa đối chiếu với văn bản gốc."))


class CalendarExceptionQuerySet(ReferenceQuerySet):
    """The official calendar, not personal data: every signed-in user may read it."""


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
    checked = _checked_field()

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


PERIOD_CONVENTION_START_DAY = _("Ngày bắt đầu kỳ phải từ 1 đến 28 (mọi tháng đều có ngày đó).")
PERIOD_CONVENTION_NO_KINDS = _("Chọn ít nhất một loại kỳ.")


class PeriodConventionQuerySet(ReferenceQuerySet):
    """Reference data, not personal data: every signed-in user may read it."""


class PeriodConvention(TimeStampedModel):
    """How a reporting regime cuts its periods: the day a period starts on and the kinds it offers.

    The state's drug reports cut on the 15th (a quarter runs 15/09–14/12; Nghị
    định 09/2019/NĐ-CP, QĐ 127/2009/QĐ-TTg as amended by QĐ 13/2019/QĐ-TTg);
    the assessment year of QĐ 28/2025/QĐ-TTg runs 15/12–14/12. Other regimes cut
    by calendar (day 1). Kept as data because the law is still moving; code asks
    for a convention by its ``code`` and passes ``start_day`` to apps.core.periods.
    """

    code = models.CharField(_("mã"), max_length=30, unique=True, choices=ConventionCode.choices)
    start_day = models.PositiveSmallIntegerField(
        _("ngày bắt đầu kỳ"), default=1, validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("15: kỳ từ ngày 15 tháng trước đến ngày 14; 1: theo tháng dương lịch."))
    kinds = ArrayField(models.CharField(max_length=20, choices=PeriodKind.choices), verbose_name=_("loại kỳ"))
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    checked = _checked_field()

    objects = PeriodConventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy ước kỳ báo cáo")
        verbose_name_plural = _("quy ước kỳ báo cáo")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start_day__gte=1, start_day__lte=28),
                                   name="core_period_convention_start_day_1_28",
                                   violation_error_message=PERIOD_CONVENTION_START_DAY),
            models.CheckConstraint(condition=~models.Q(kinds=[]), name="core_period_convention_has_kinds",
                                   violation_error_message=PERIOD_CONVENTION_NO_KINDS),
        ]

    def __str__(self):
        return self.get_code_display()

    @classmethod
    def get(cls, code: str) -> "PeriodConvention":
        """The convention named *code*; seeded by migration, so a missing row is a deployment error."""
        return cls.objects.get(code=code)

    def period(self, kind: str, year: int, number: int = 1) -> Period:
        """The *number*-th period of *kind* in *year* under this convention."""
        return Period.of(kind, year, number, start_day=self.start_day)

    def containing(self, kind: str, day) -> Period:
        """The period of *kind* that *day* falls in under this convention."""
        return Period.containing(kind, day, start_day=self.start_day)

    def year_of(self, day) -> int:
        """The year (assessment year, report year) that *day* counts in under this convention."""
        return year_of(day, start_day=self.start_day)
