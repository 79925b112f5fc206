"""Filters of the activities lists (the same querysets feed the pages)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import BaseFilterSet
from apps.core.forms import BootstrapForm
from apps.khom.models import Khom

from .choices import ActivityKind
from .models import Activity, CommitmentSigning, ReintegrationModel


def scoped_khoms(request):
    if request is None:
        return Khom.objects.none()
    return Khom.objects.for_user(request.user).order_by("code")


class ActivityFilter(BaseFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Loại hoạt động"), choices=ActivityKind.choices)
    khom = django_filters.ModelChoiceFilter(label=_("Khóm"), queryset=scoped_khoms)
    date_from = django_filters.DateFilter(label=_("Từ ngày"), field_name="held_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Đến ngày"), field_name="held_on", lookup_expr="lte")
    topic = django_filters.CharFilter(label=_("Chủ đề"), lookup_expr="icontains")

    class Meta:
        model = Activity
        fields = []
        form = BootstrapForm


class CommitmentSigningFilter(BaseFilterSet):
    khom = django_filters.ModelChoiceFilter(label=_("Khóm"), queryset=scoped_khoms)
    date_from = django_filters.DateFilter(label=_("Từ ngày"), field_name="signed_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Đến ngày"), field_name="signed_on", lookup_expr="lte")

    class Meta:
        model = CommitmentSigning
        fields = []
        form = BootstrapForm


class ReintegrationModelFilter(BaseFilterSet):
    khom = django_filters.ModelChoiceFilter(label=_("Khóm"), queryset=scoped_khoms)
    name = django_filters.CharFilter(label=_("Tên mô hình"), lookup_expr="icontains")

    class Meta:
        model = ReintegrationModel
        fields = []
        form = BootstrapForm
