"""Site-wide pages: health check, dashboard, audit log."""
import django_filters
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from .choices import AuditAction
from .filtersets import BaseFilterSet
from .forms import BootstrapForm
from .mixins import ScopedViewMixin
from .models import RECENT_ALERT_DAYS, AuditEvent


def healthz(request):
    """'ok' when the database answers a query, 503 otherwise; no login, no session."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


class DashboardView(ScopedViewMixin, TemplateView):
    """The landing page: key figures, charts and deadline counts for the user's scope, all from the indicators registry.

    Province viewers see every ward, aggregated; nothing on it names a person.
    """

    template_name = "core/dashboard.html"
    permission_required = "khom.view_khom"

    def get_context_data(self, **kwargs):
        from apps.reports.dashboard import dashboard_data

        context = super().get_context_data(**kwargs)
        context["dashboard"] = dashboard_data(self.request.user)
        context["roadmap"] = context["dashboard"]["roadmap"]
        if self.request.user.is_administrator:
            # Users flagged lately (e.g. too many CCCD lookups in a day): the administrators' to-do.
            context["recent_alerts"] = AuditEvent.objects.recent_alerts().count()
            context["recent_alert_days"] = RECENT_ALERT_DAYS
        return context


class AuditEventFilter(BaseFilterSet):
    username = django_filters.CharFilter(label=_("Người dùng"), lookup_expr="icontains")
    action = django_filters.ChoiceFilter(label=_("Hành động"), choices=AuditAction.choices)
    object_type = django_filters.CharFilter(label=_("Loại đối tượng"), lookup_expr="icontains")
    object_id = django_filters.CharFilter(label=_("Mã đối tượng"))
    date_from = django_filters.DateFilter(label=_("Từ ngày"), field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label=_("Đến ngày"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields = []
        form = BootstrapForm


class AuditEventListView(ScopedViewMixin, ListView):
    """The audit log, newest first, for ward leadership (own ward) and administrators."""

    model = AuditEvent
    permission_required = "core.view_auditevent"
    template_name = "core/audit_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = AuditEventFilter(self.request.GET, queryset=super().get_queryset())
        return self.filterset.qs.order_by("-at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context
