"""Khóm list and detail pages."""
from django.views.generic import DetailView, ListView

from apps.core.mixins import ScopedViewMixin

from .models import Khom


class KhomListView(ScopedViewMixin, ListView):
    """Every khóm in the user's scope with its roadmap year and status."""

    model = Khom
    permission_required = "khom.view_khom"
    paginate_by = 100

    def get_queryset(self):
        return super().get_queryset().with_ward().order_by("ward__name", "code")


class KhomDetailView(ScopedViewMixin, DetailView):
    """One khóm: figures, people in charge, roadmap year."""

    model = Khom
    permission_required = "khom.view_khom"

    def get_queryset(self):
        return super().get_queryset().with_ward()
