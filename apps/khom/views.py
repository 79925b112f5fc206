"""Khóm list and detail pages."""
from apps.core.views import ScopedDetailView, ScopedListView

from .models import Khom
from .selectors import khom_profile


class KhomListView(ScopedListView):
    """Every khóm in the user's scope with its roadmap year and status."""

    queryset = Khom.objects.with_ward()
    permission_required = "khom.view_khom"
    paginate_by = 100
    count_cap = None  # no filters to narrow it: every khóm stays reachable, and a province's few thousand count fast


class KhomDetailView(ScopedDetailView):
    """One khóm's profile: its record, people in charge, figures of the year, criteria, recognitions, its lists."""

    queryset = Khom.objects.with_ward()
    permission_required = "khom.view_khom"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["profile"] = khom_profile(self.request.user, self.object)
        return context
