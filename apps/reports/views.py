"""Reports pages: the dashboard, list, page (printable), create/edit a draft, workflow buttons, workbooks."""
from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.detail import SingleObjectMixin

from apps.core.audit import AuditAction, audit
from apps.core.mixins import ScopedViewMixin
from apps.core.models import RECENT_ALERT_DAYS, AuditEvent
from apps.core.views import ActionView, ScopedDetailView, ScopedListView, ServiceFormView, ServiceUpdateView

from . import services
from .dashboard import dashboard_data, selection
from .filtersets import ReportFilter
from .forms import CommentForm, ProvincePeriodForm, ReportForm, RoundForm, default_period
from .models import Report, ReportingRound
from .round_workbook import round_workbook
from .selectors import open_rounds_compliance, province_rows, report_figures, report_versions, round_board
from .tables import report_tables
from .workbook import period_slug, province_workbook, report_filename, report_workbook

SAVED = _("Đã lưu báo cáo.")
SUBMITTED = _("Đã nộp báo cáo. Số liệu đã được chốt.")
REOPENED = _("Đã trả lại báo cáo về bản nháp để chỉnh sửa.")
LOCKED = _("Đã khoá báo cáo.")
LOCKED_NO_EDIT = _("Báo cáo đã nộp hoặc đã khoá: không thể sửa.")
ACCEPTED = _("Đã chấp nhận báo cáo. Báo cáo đã được khoá.")
RETURNED = _("Đã trả lại báo cáo cho phường kèm ý kiến.")
PROVINCE_REOPENED = _("Đã mở lại báo cáo cho phường chỉnh sửa.")
# File names in Vietnamese (no English word): the kind of period as a ward would say it.
KIND_SLUGS = {"month": "thang", "quarter": "quy", "half_year": "6-thang", "nine_months": "9-thang", "year": "nam"}
ROUND_ISSUED = _("Đã giao kỳ báo cáo. Mỗi phường, xã đã có bản nháp với hạn nộp đã giao.")


class DashboardView(ScopedViewMixin, TemplateView):
    """The landing page: key figures, charts and deadline counts for the user's scope, all from the indicators registry.

    Province viewers see every ward, aggregated; nothing on it names a person.
    """

    template_name = "reports/dashboard.html"
    permission_required = "khom.view_khom"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = selection(self.request.user, self.request.GET)
        context["dashboard"] = dashboard_data(self.request.user, chosen=chosen)
        context["roadmap"] = context["dashboard"]["roadmap"]
        if self.request.user.is_province and self.request.user.has_perm("reports.view_reportinground"):
            context["open_rounds"] = open_rounds_compliance(self.request.user)
        if self.request.user.is_administrator:
            # Users flagged lately (e.g. too many CCCD lookups in a day): the administrators' to-do.
            context["recent_alerts"] = AuditEvent.objects.recent_alerts().count()
            context["recent_alert_days"] = RECENT_ALERT_DAYS
        return context


class ReportListView(ScopedListView):
    """Reports in the user's scope, newest period first, with the province workbook form."""

    queryset = Report.objects.with_people()
    permission_required = "reports.view_report"
    filterset_class = ReportFilter
    ordering = ("-period_start", "ward__name", "period_kind")

    def get_context_data(self, **kwargs):
        period = default_period()
        return super().get_context_data(
            province_form=ProvincePeriodForm(initial={"kind": period.kind, "start": period.start}), **kwargs)


class ReportDetailView(ScopedDetailView):
    """The report page: frozen figures of a submitted report, live ones of a draft; prints on A4."""

    queryset = Report.objects.with_people()
    permission_required = "reports.view_report"
    audit_view = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        snapshot = report_figures(report)
        context["snapshot"] = snapshot
        context["tables"] = report_tables(snapshot)
        context["report_date"] = timezone.localdate(report.submitted_at) if report.submitted_at else timezone.localdate()
        user = self.request.user
        context["can_edit"] = report.is_draft and user.has_perm("reports.change_report")
        # Sent once its period is over (services.report_submit refuses earlier): until then the day it can be.
        context["sendable_from"] = report.sendable_from if report.is_draft else None
        context["can_submit"] = (report.is_draft and context["sendable_from"] is None
                                 and user.has_perm("reports.submit_report"))
        context["can_reopen"] = report.can_reopen and user.has_perm("reports.lock_report")
        # The ward locks only a report outside rounds; a round's report is accepted by the province.
        context["can_lock"] = (report.status == "submitted" and report.round_id is None
                               and user.has_perm("reports.lock_report"))
        reviewer = user.has_perm("reports.review_report")
        context["can_review"] = reviewer and report.can_review
        context["can_accept"] = context["can_review"] and report.submitted_by_id != user.pk
        context["can_province_reopen"] = reviewer and report.is_accepted
        context["comment_form"] = CommentForm()
        context["versions"] = report_versions(report)
        return context


class ReportFormMixin:
    """The report's form page, to open a draft or to edit one: the same form, and the same message."""

    model = Report
    form_class = ReportForm
    success_message = SAVED


class ReportCreateView(ReportFormMixin, ServiceFormView):
    """Open a draft report for a ward and a period."""

    permission_required = "reports.add_report"
    service = services.report_create


class ReportUpdateView(ReportFormMixin, ServiceUpdateView):
    """Edit the dates and texts of a draft; submitted and locked reports are refused."""

    permission_required = "reports.change_report"
    service = services.report_update

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            report = self.get_object()
            if not report.is_draft:
                messages.error(request, LOCKED_NO_EDIT)
                return redirect(report.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)


class ReportTransitionView(ActionView):
    """A workflow step (submit, reopen, lock); a refusal comes back as a message, nothing changes."""

    model = Report


class ReportSubmitView(ReportTransitionView):
    permission_required = "reports.submit_report"
    service = services.report_submit
    success_message = SUBMITTED


class ReportReopenView(ReportTransitionView):
    permission_required = "reports.lock_report"
    service = services.report_reopen
    success_message = REOPENED


class ReportLockView(ReportTransitionView):
    permission_required = "reports.lock_report"
    service = services.report_lock
    success_message = LOCKED


class ReportReviewView(ReportTransitionView):
    """A province officer's step on a round's report: accept it, or return or reopen it with a comment."""

    permission_required = "reports.review_report"


class ReportAcceptView(ReportReviewView):
    service = services.report_accept
    success_message = ACCEPTED


class ReportReturnView(ReportReviewView):
    service = services.report_return
    form_class = CommentForm
    success_message = RETURNED


class ReportProvinceReopenView(ReportReviewView):
    service = services.report_province_reopen
    form_class = CommentForm
    success_message = PROVINCE_REOPENED


class ReportExportView(ScopedViewMixin, SingleObjectMixin, View):
    """The provincial workbook of one report, from the same snapshot as the page."""

    queryset = Report.objects.select_related("ward")
    permission_required = "reports.view_report"

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        snapshot = report_figures(report)
        book = report_workbook(report, snapshot)
        rows = sum(len(table.rows) for table in report_tables(snapshot))
        audit(AuditAction.EXPORT, obj=report,
              extra={"format": "xlsx", "rows": rows, "frozen": not report.is_draft})
        return book.response(report_filename(report))


class ProvinceExportView(ScopedViewMixin, View):
    """One row per ward in the user's scope: the submitted reports' frozen figures for one period."""

    permission_required = "reports.view_report"

    def get(self, request, *args, **kwargs):
        form = ProvincePeriodForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(" ".join(str(m) for errors in form.errors.values() for m in errors),
                                          content_type="text/plain; charset=utf-8")
        period = form.period
        wards, reports_by_ward, codes, meta = province_rows(request.user, period)
        book = province_workbook(period, wards, reports_by_ward, codes, meta)
        audit(AuditAction.EXPORT, object_type="reports.province",
              object_repr=f"{period.kind} {period.start:%d/%m/%Y}",
              extra={"format": "xlsx", "rows": len(wards), "kind": period.kind, "start": period.start.isoformat()})
        return book.response(f"tong-hop-tinh-{period_slug(period)}.xlsx")


class RoundListView(ScopedListView):
    """The reporting rounds the province issued (a ward sees those issued to it)."""

    queryset = ReportingRound.objects.select_related("created_by")
    permission_required = "reports.view_reportinground"
    ordering = ("-period_start", "period_kind", "-pk")
    count_cap = None

    def get_queryset(self):
        from django.db.models import Count

        return super().get_queryset().annotate(ward_count=Count("wards", distinct=True))


class RoundCreateView(ServiceFormView):
    """The province officer issues a round: period, due dates, wards."""

    model = ReportingRound
    form_class = RoundForm
    permission_required = "reports.add_reportinground"
    service = services.round_issue
    success_message = ROUND_ISSUED


class RoundDetailView(ScopedDetailView):
    """The compliance board of a round: each ward's standing, when it sent, days late, figures and totals."""

    queryset = ReportingRound.objects.select_related("created_by")
    permission_required = "reports.view_reportinground"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["board"] = round_board(self.request.user, self.object)
        return context


class RoundExportView(ScopedViewMixin, SingleObjectMixin, View):
    """The round's workbook: the board's rows, a totals row, values only."""

    queryset = ReportingRound.objects.all()
    permission_required = "reports.view_reportinground"

    def get(self, request, *args, **kwargs):
        round_ = self.get_object()
        board = round_board(request.user, round_)
        book = round_workbook(board)
        audit(AuditAction.EXPORT, obj=round_, extra={"format": "xlsx", "rows": board["wards"]})
        period = round_.period
        kind = KIND_SLUGS.get(period.kind, "ky")
        return book.response(f"tinh-hinh-nop-bao-cao-{kind}-{period.number}-{period.first_month.year}.xlsx")
