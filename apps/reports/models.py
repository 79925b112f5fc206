"""Periodic reports of a ward to the province, frozen when submitted."""
import datetime as dt

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
from apps.core.validators import today_in_vietnam
from apps.core.scoping import ScopedQuerySet
from apps.core.validators import validate_event_date, validate_programme_date

from .choices import ComplianceStatus, ReportStatus, VersionOutcome

PERIOD_END_BEFORE_START = _("Ngày cuối kỳ không được trước ngày đầu kỳ.")
PERIOD_NOT_CALENDAR = _("Ngày đầu kỳ phải là ngày đầu tiên của tháng, quý, 6 tháng hoặc năm đã chọn.")
EDITABLE_BEFORE_DUE = _("Hạn chỉnh sửa không được trước hạn nộp.")
DUE_BEFORE_PERIOD_END = _("Hạn nộp không được trước ngày cuối kỳ báo cáo.")
DUPLICATE_REPORT = _("Phường này đã có báo cáo cho kỳ này.")
SUBMITTED_WITHOUT_SNAPSHOT = _("Báo cáo đã nộp phải có số liệu chốt và thời điểm nộp.")
DUPLICATE_ROUND = _("Đã có kỳ báo cáo được giao cho kỳ này.")
ROUND_WITHOUT_WARDS = _("Chọn ít nhất một phường, hoặc giao cho tất cả các phường.")
DUPLICATE_VERSION = _("Lần nộp này đã được ghi.")


class PeriodDatesMixin(models.Model):
    """The period and due dates of a round or a report: ``period_kind``, ``period_start``, ``period_start_day``
    (the day periods are cut on), ``period_end``, ``due_on`` and ``editable_until``, declared by each model."""

    class Meta:
        abstract = True

    @property
    def period(self) -> Period:
        return Period.starting(self.period_kind, self.period_start, start_day=self.period_start_day)

    def sync_period_end(self):
        """The last day follows from kind, first day and the day the period is cut on; nobody types it.

        None while they give no period (a first day at the calendar's end has no last day either)."""
        self.period_end = None
        if self.period_start and self.period_kind in PeriodKind.values:
            try:
                self.period_end = self.period.end
            except (ValueError, OverflowError):
                pass  # period_start's validator says why

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
        if self.period_end is not None and not is_period_start(self.period_kind, self.period_start,
                                                               start_day=self.period_start_day):
            errors["period_start"] = PERIOD_NOT_CALENDAR
        if self.due_on and self.period_end and self.due_on < self.period_end:
            errors["due_on"] = DUE_BEFORE_PERIOD_END
        if self.due_on and self.editable_until and self.editable_until < self.due_on:
            errors["editable_until"] = EDITABLE_BEFORE_DUE
        if errors:
            raise ValidationError(errors)


class ReportingRoundQuerySet(ScopedQuerySet):
    """The province reads every round; ward leadership and police the rounds issued to their wards."""

    ward_path = "wards"
    province_sees_all = True

    def for_user(self, user):
        # A round reaches a user through any of its wards: once, whichever of them.
        return super().for_user(user).distinct()


class ReportingRound(PeriodDatesMixin, TimeStampedModel):
    """A reporting round issued by the province (PC04): one period, its due dates, the wards that must report.

    Issuing it opens each ward's draft with the round's dates (``services.round_issue``); the
    wards cannot change them. ``wards`` holds the wards it was issued to (every ward of the province
    when ``all_wards``).
    """

    period_kind = models.CharField(_("loại kỳ"), max_length=20, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    period_start = models.DateField(_("từ ngày"), validators=[validate_programme_date])
    period_start_day = models.PositiveSmallIntegerField(_("ngày bắt đầu kỳ"), default=1, editable=False)
    period_end = models.DateField(_("đến ngày"), editable=False)
    due_on = models.DateField(_("hạn nộp (đúng hạn)"), validators=[validate_event_date],
                              help_text=_("Nộp đến hết ngày này được tính là đúng hạn."))
    editable_until = models.DateField(_("hạn chỉnh sửa"), validators=[validate_event_date],
                                      help_text=_("Sau ngày này phường không tự rút lại báo cáo đã nộp để sửa."))
    all_wards = models.BooleanField(_("giao cho tất cả các phường, xã"), default=True)
    wards = models.ManyToManyField("khom.Ward", verbose_name=_("phường, xã được giao"), related_name="reporting_rounds",
                                   blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo được giao")
        verbose_name_plural = _("kỳ báo cáo được giao")
        ordering = ["-period_start", "period_kind", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["period_kind", "period_start"], name="reporting_round_unique_period",
                                    violation_error_message=DUPLICATE_ROUND),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="reporting_round_period_end_after_start",
                                   violation_error_message=PERIOD_END_BEFORE_START),
            models.CheckConstraint(condition=Q(editable_until__gte=models.F("due_on")),
                                   name="reporting_round_editable_after_due",
                                   violation_error_message=EDITABLE_BEFORE_DUE),
        ]

    def __str__(self):
        return str(self.period.label) if self.period_start else str(self._meta.verbose_name)

    def get_absolute_url(self):
        return reverse("reports:round_detail", args=[self.pk])



class ReportQuerySet(ScopedQuerySet):
    """Ward staff see their wards' reports; the province every submitted report; administrators all."""

    def province_rows(self, user):
        # Drafts are the ward's working copy; the province reads what was submitted.
        return self.exclude(status=ReportStatus.DRAFT)

    def with_people(self):
        return self.select_related("ward", "submitted_by", "locked_by", "created_by", "returned_by", "round")


class Report(PeriodDatesMixin, TimeStampedModel, VersionedModel):
    """A ward's progress report for one period (month, quarter, half-year, year).

    Draft → submitted → accepted by the province (locked), or returned to the ward as a draft with
    comments. Submitting freezes every figure into ``snapshot`` and keeps it as a ``ReportVersion``;
    the page and the provincial workbook of a submitted report read only that snapshot, so later
    corrections of the underlying records never change what was sent to the province.
    ``period_start_day`` is the day the period was cut on when the report was opened (the drug
    reports' convention, 15 by default); reports opened before conventions existed keep 1.
    """

    ward = models.ForeignKey("khom.Ward", verbose_name=_("phường"), on_delete=models.PROTECT, related_name="reports")
    period_kind = models.CharField(_("loại kỳ"), max_length=20, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    period_start = models.DateField(_("từ ngày"), validators=[validate_programme_date])
    period_start_day = models.PositiveSmallIntegerField(_("ngày bắt đầu kỳ"), default=1, editable=False)
    period_end = models.DateField(_("đến ngày"), editable=False)
    round = models.ForeignKey(ReportingRound, verbose_name=_("kỳ báo cáo được giao"), on_delete=models.PROTECT,
                              null=True, blank=True, editable=False, related_name="reports")
    status = models.CharField(_("trạng thái"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    due_on = models.DateField(_("hạn nộp (đúng hạn)"), validators=[validate_event_date],
                              help_text=_("Nộp đến hết ngày này được tính là đúng hạn."))
    editable_until = models.DateField(
        _("hạn chỉnh sửa"),
        validators=[validate_event_date],
        help_text=_("Đến hết ngày này lãnh đạo phường còn có thể rút lại báo cáo đã nộp để sửa."),
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
    first_submitted_at = models.DateTimeField(_("nộp lần đầu lúc"), null=True, blank=True, editable=False)
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True, editable=False)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người trả lại"), on_delete=models.PROTECT,
        null=True, blank=True, editable=False, related_name="+",
    )
    return_comment = models.TextField(_("ý kiến của tỉnh"), blank=True, editable=False)
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
            ("review_report", _("Chấp nhận, trả lại hoặc mở lại báo cáo của phường")),
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

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])


    # Workflow state, read by views, templates and services alike.
    @property
    def is_draft(self):
        return self.status == ReportStatus.DRAFT

    @property
    def sendable_from(self):
        """The first day the report may be sent while its period is not over yet (the day after its last), else None:
        figures frozen before the period's end would be sent as the whole period's."""
        first = self.period.end + dt.timedelta(days=1)
        return first if today_in_vietnam() < first else None

    @property
    def is_locked(self):
        """Locked by the ward (before rounds existed) or accepted by the province; nothing locks by the calendar."""
        return self.status in (ReportStatus.LOCKED, ReportStatus.ACCEPTED)

    @property
    def is_accepted(self):
        return self.status == ReportStatus.ACCEPTED

    @property
    def is_returned(self):
        """A draft the province sent back with comments (shown to the ward until it submits again)."""
        return self.status == ReportStatus.DRAFT and self.returned_at is not None

    @property
    def can_reopen(self):
        """The ward may pull back its own submission, not yet reviewed, up to its editable-until date."""
        return self.status == ReportStatus.SUBMITTED and timezone.localdate() <= self.editable_until

    @property
    def can_review(self):
        return self.status == ReportStatus.SUBMITTED

    @property
    def sent_at(self):
        """When the ward first sent the report: what on time or late is judged by."""
        return self.first_submitted_at or self.submitted_at

    @property
    def days_late(self) -> int | None:
        """Days after the due date the report was first sent (0 on time); None while never sent."""
        if self.sent_at is None:
            return None
        return max(0, (timezone.localdate(self.sent_at) - self.due_on).days)

    @property
    def submitted_on_time(self):
        if self.sent_at is None:
            return None
        return self.days_late == 0

    @property
    def compliance(self) -> str:
        """The report's standing on the compliance board (ComplianceStatus)."""
        if self.status in (ReportStatus.ACCEPTED, ReportStatus.LOCKED):
            return ComplianceStatus.ACCEPTED
        if self.is_returned:
            return ComplianceStatus.RETURNED
        if self.status == ReportStatus.DRAFT:
            # The draft a round opened, untouched by the ward (never edited, never sent): not started.
            untouched = self.version == 1 and self.sent_at is None
            return ComplianceStatus.NOT_STARTED if untouched else ComplianceStatus.DRAFT
        return ComplianceStatus.ON_TIME if self.submitted_on_time else ComplianceStatus.LATE


class ReportVersionQuerySet(ScopedQuerySet):
    """A submission is read with its report: the report's scope (the province reads every one)."""

    ward_path = "report__ward_id"
    province_sees_all = True


class ReportVersion(models.Model):
    """One submission of a report: the frozen figures and texts sent, and what the province did with them."""

    report = models.ForeignKey(Report, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("lần nộp"))
    snapshot = models.JSONField(_("số liệu chốt"), default=dict)
    summary = models.TextField(_("đánh giá chung"), blank=True)
    next_steps = models.TextField(_("phương hướng, nhiệm vụ kỳ tới"), blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nộp"), on_delete=models.PROTECT,
                                     related_name="+")
    outcome = models.CharField(_("kết quả"), max_length=20, choices=VersionOutcome.choices,
                               default=VersionOutcome.PENDING)
    comment = models.TextField(_("ý kiến"), blank=True)
    decided_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người xem xét"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nộp báo cáo")
        verbose_name_plural = _("các lần nộp báo cáo")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique_number",
                                    violation_error_message=DUPLICATE_VERSION),
        ]

    def __str__(self):
        return f"{self.report} — {self.number}"
