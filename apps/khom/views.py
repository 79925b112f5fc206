"""Khóm list and detail pages."""
from apps.core.views import ScopedDetailView, ScopedListView

from .models import Khom


class KhomListView(ScopedListView):
    """Every khóm in the user's scope with its roadmap year and status."""

    queryset = Khom.objects.with_ward()
    permission_required = "khom.view_khom"
    paginate_by = 100
    count_cap = None  # no filters to narrow it: every khóm stays reachable, and a province's few thousand count fast


class KhomDetailView(ScopedDetailView):
    """One khóm: figures, people in charge, roadmap year."""

    queryset = Khom.objects.with_ward()
    permission_required = "khom.view_khom"
