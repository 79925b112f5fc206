"""Periodic reports of a ward to the province, frozen when submitted."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.choices import PeriodKind
from apps.core.models import TimeStampedModel, VersionedModel
from apps.core.periods import Period, is_period_start
from apps.core.scoping import ScopedQuerySet
from apps.core.validators import validate_event_date, validate_programme_date

from .choices import ReportStatus

PERIOD_END_BEFORE_START = _("Ngày cuối kỳ không được trước ngày đầu kỳ.")
PERIOD_NOT_CALENDAR = _("Ngày đầu kỳ phải là ngày đầu tiên của tháng, quý, 6 tháng hoặc năm đã chọn.")
EDITABLE_BEFORE_DUE = _("Hạn chỉnh sửa không được trước hạn nộp.")
DUE_BEFORE_PERIOD_END = _("Hạn nộp không được trước ngày cuối kỳ báo cáo.")
DUPLICATE_REPORT = _("Phường này đã có báo cáo cho kỳ này.")
SUBMITTED_WITHOUT_SNAPSHOT = _("Báo cáo đã nộp phải có số liệu chốt và thời điểm nộp.")


class ReportQuerySet(ScopedQuerySet):
    """Ward staff see their wards' reports; the province every submitted report; administrators all."""

    def province_rows(self, user):
        # Drafts are the ward's working copy; the province reads what was submitted.
        return self.exclude(status=ReportStatus.DRAFT)

    def with_people(self):
        return self.select_related("ward", "submitted_by", "locked_by", "created_by")


class Report(TimeStampedModel, VersionedModel):
    """A ward's progress report for one period (month, quarter, half-year, year).

    Draft → submitted → locked. Submitting freezes every figure into
    ``snapshot``; the page and the provincial workbook of a submitted report
    read only that snapshot, so later corrections of the underlying records
    never change what was sent to the province.
    """

    ward = models.ForeignKey("khom.Ward", verbose_name=_("phường"), on_delete=models.PROTECT, related_name="reports")
    period_kind = models.CharField(_("loại kỳ"), max_length=20, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    period_start = models.DateField(_("từ ngày"), validators=[validate_programme_date])
    period_end = models.DateField(_("đến ngày"), editable=False)
    status = models.CharField(_("trạng thái"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    due_on = models.DateField(_("hạn nộp (đúng hạn)"), validators=[validate_event_date],
                              help_text=_("Nộp đến hết ngày này được tính là đúng hạn."))
    editable_until = models.DateField(
        _("hạn chỉnh sửa"),
        validators=[validate_event_date],
        help_text=_("Đến hết ngày này lãnh đạo còn có thể trả lại báo cáo đã nộp để sửa; sau đó báo cáo bị khoá."),
    )
    summary = models.TextField(_("đánh giá chung"), blank=True)
    next_steps = models.TextField(_("phương hướng, nhiệm vụ kỳ tới"), blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, default="CHỦ TỊCH", blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=100, blank=True)
    snapshot = models.JSONField(_("số liệu chốt"), default=dict, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nộp"), on_delete=models.PROTECT,
        null=True, blank=True, editable=False, related_name="+",
    )
    locked_at = models.DateTimeField(_("khoá lúc"), null=True, blank=True, editable=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người khoá"), on_delete=models.PROTECT,
        null=True, blank=True, editable=False, related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["-period_start", "ward__name", "period_kind"]
        permissions = [
            ("submit_report", _("Nộp báo cáo")),
            ("lock_report", _("Khoá hoặc trả lại báo cáo")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "period_kind", "period_start"], name="report_unique_ward_period",
                violation_error_message=DUPLICATE_REPORT,
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_end_after_start",
                violation_error_message=PERIOD_END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(editable_until__gte=models.F("due_on")), name="report_editable_after_due",
                violation_error_message=EDITABLE_BEFORE_DUE,
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT) | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="report_submitted_has_submitter",
                violation_error_message=SUBMITTED_WITHOUT_SNAPSHOT,
            ),
        ]

    def __str__(self):
        return f"{self.ward} — {self.period.label}" if self.ward_id else self.period.label

    def audit_ward_id(self):
        return self.ward_id

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def period(self) -> Period:
        return Period.starting(self.period_kind, self.period_start)

    def sync_period_end(self):
        """The last day follows from kind and first day; nobody types it."""
        if self.period_start and self.period_kind in PeriodKind.values:
            try:
                self.period_end = self.period.end
            except (ValueError, OverflowError):
                # A first day at the calendar's end has no last day; period_start's validator says why.
                self.period_end = None

    def clean_fields(self, exclude=None):
        self.sync_period_end()
        if self.period_end is None:
            # Without a valid first day there is no last day: the error belongs to period_start alone.
            exclude = {*(exclude or ()), "period_end"}
        super().clean_fields(exclude)

    def save(self, *args, **kwargs):
        self.sync_period_end()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        # No last day (a first day at the calendar's end): period_start's validator has said why.
        has_period = self.period_start and self.period_kind and self.period_end is not None
        if has_period and not is_period_start(self.period_kind, self.period_start):
            errors["period_start"] = PERIOD_NOT_CALENDAR
        if self.due_on and self.period_end and self.due_on < self.period_end:
            errors["due_on"] = DUE_BEFORE_PERIOD_END
        if self.due_on and self.editable_until and self.editable_until < self.due_on:
            errors["editable_until"] = EDITABLE_BEFORE_DUE
        if errors:
            raise ValidationError(errors)

    # Workflow state, read by views, templates and services alike.
    @property
    def is_draft(self):
        return self.status == ReportStatus.DRAFT

    @property
    def is_locked(self):
        """Locked explicitly, or submitted and past its editable-until date."""
        if self.status == ReportStatus.LOCKED:
            return True
        return self.status == ReportStatus.SUBMITTED and timezone.localdate() > self.editable_until

    @property
    def can_reopen(self):
        return self.status == ReportStatus.SUBMITTED and not self.is_locked

    @property
    def submitted_on_time(self):
        if self.submitted_at is None:
            return None
        return timezone.localdate(self.submitted_at) <= self.due_on
