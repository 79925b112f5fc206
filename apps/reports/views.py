"""Reports pages: list, page (printable), create/edit a draft, workflow buttons, workbooks."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from apps.core.audit import AuditAction, audit
from apps.core.mixins import ScopedFormMixin, ScopedViewMixin

from . import services
from .filters import ReportFilter
from .forms import ProvincePeriodForm, ReportForm, default_period
from .models import Report
from .selectors import province_rows, report_figures
from .tables import report_tables
from .workbook import province_workbook, report_workbook

SAVED = _("Đã lưu báo cáo.")
SUBMITTED = _("Đã nộp báo cáo. Số liệu đã được chốt.")
REOPENED = _("Đã trả lại báo cáo về bản nháp để chỉnh sửa.")
LOCKED = _("Đã khoá báo cáo.")
LOCKED_NO_EDIT = _("Báo cáo đã nộp hoặc đã khoá: không thể sửa.")


class ReportListView(ScopedViewMixin, ListView):
    """Reports in the user's scope, newest period first, with the province workbook form."""

    model = Report
    permission_required = "reports.view_report"
    paginate_by = 50
    template_name = "reports/report_list.html"

    def get_queryset(self):
        queryset = super().get_queryset().with_people().order_by("-period_start", "ward__name", "period_kind")
        self.filterset = ReportFilter(self.request.GET, queryset=queryset, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        period = default_period()
        context["province_form"] = ProvincePeriodForm(initial={"kind": period.kind, "start": period.start})
        return context


class ReportDetailView(ScopedViewMixin, DetailView):
    """The report page: frozen figures of a submitted report, live ones of a draft; prints on A4."""

    model = Report
    permission_required = "reports.view_report"
    template_name = "reports/report_detail.html"
    audit_view = True

    def get_queryset(self):
        return super().get_queryset().with_people()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        snapshot = report_figures(report)
        context["snapshot"] = snapshot
        context["tables"] = report_tables(snapshot)
        context["report_date"] = timezone.localdate(report.submitted_at) if report.submitted_at else timezone.localdate()
        user = self.request.user
        context["can_edit"] = report.is_draft and user.has_perm("reports.change_report")
        context["can_submit"] = report.is_draft and user.has_perm("reports.submit_report")
        context["can_reopen"] = report.can_reopen and user.has_perm("reports.lock_report")
        context["can_lock"] = not report.is_draft and report.status != "locked" and user.has_perm("reports.lock_report")
        return context


class ReportFormMixin(ScopedFormMixin):
    form_class = ReportForm
    template_name = "reports/report_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            self.object = self.write(form)
        except ValidationError as error:
            # Nothing was written; the form comes back with everything the user typed.
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, SAVED)
        return redirect(self.object.get_absolute_url())


class ReportCreateView(ReportFormMixin, ScopedViewMixin, CreateView):
    """Open a draft report for a ward and a period."""

    model = Report
    permission_required = "reports.add_report"

    def write(self, form):
        return services.report_create(user=self.request.user, **form.service_data())


class ReportUpdateView(ReportFormMixin, ScopedViewMixin, UpdateView):
    """Edit the dates and texts of a draft; submitted and locked reports are refused."""

    model = Report
    permission_required = "reports.change_report"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            report = self.get_object()
            if not report.is_draft:
                messages.error(request, LOCKED_NO_EDIT)
                return redirect(report.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def write(self, form):
        return services.report_update(user=self.request.user, report=form.instance,
                                      expected_version=form.cleaned_data.get("version"), **form.service_data())


class ReportTransitionView(ScopedViewMixin, SingleObjectMixin, View):
    """POST-only workflow step (submit, reopen, lock); a refusal comes back as a message, nothing changes."""

    model = Report
    http_method_names = ["post"]
    service = None
    done_message = ""

    def post(self, request, *args, **kwargs):
        report = self.get_object()
        try:
            type(self).service(user=request.user, report=report)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.done_message)
        return redirect(report.get_absolute_url())


class ReportSubmitView(ReportTransitionView):
    permission_required = "reports.submit_report"
    service = services.report_submit
    done_message = SUBMITTED


class ReportReopenView(ReportTransitionView):
    permission_required = "reports.lock_report"
    service = services.report_reopen
    done_message = REOPENED


class ReportLockView(ReportTransitionView):
    permission_required = "reports.lock_report"
    service = services.report_lock
    done_message = LOCKED


class ReportExportView(ScopedViewMixin, SingleObjectMixin, View):
    """The provincial workbook of one report, from the same snapshot as the page."""

    model = Report
    permission_required = "reports.view_report"

    def get_queryset(self):
        return super().get_queryset().select_related("ward")

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        snapshot = report_figures(report)
        book = report_workbook(report, snapshot)
        rows = sum(len(table.rows) for table in report_tables(snapshot))
        audit(AuditAction.EXPORT, obj=report,
              extra={"format": "xlsx", "rows": rows, "frozen": not report.is_draft})
        period = report.period
        filename = f"bao-cao-{report.ward.code}-{period.kind}-{period.start:%Y-%m}.xlsx"
        return book.response(filename)


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
        return book.response(f"tong-hop-tinh-{period.kind}-{period.start:%Y-%m}.xlsx")


