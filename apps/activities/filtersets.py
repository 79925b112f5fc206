"""Filters of the activities lists (the same querysets feed the pages)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import FilterSet
from apps.khom.filtersets import KhomFilter

from .choices import ActivityKind


class ActivityFilter(FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Loại hoạt động"), choices=ActivityKind.choices)
    khom = KhomFilter()
    date_from = django_filters.DateFilter(label=_("Từ ngày"), field_name="held_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Đến ngày"), field_name="held_on", lookup_expr="lte")
    topic = django_filters.CharFilter(label=_("Chủ đề"), lookup_expr="icontains")


class CommitmentSigningFilter(FilterSet):
    khom = KhomFilter()
    date_from = django_filters.DateFilter(label=_("Từ ngày"), field_name="signed_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Đến ngày"), field_name="signed_on", lookup_expr="lte")


class ReintegrationModelFilter(FilterSet):
    khom = KhomFilter()
    name = django_filters.CharFilter(label=_("Tên mô hình"), lookup_expr="icontains")
