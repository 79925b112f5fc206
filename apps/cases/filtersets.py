"""Filters of the case and hotspot lists (the exports use the same ones)."""
import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import BaseFilterSet
from apps.core.forms import BootstrapForm
from apps.core.text import fold
from apps.khom.models import Khom

from .choices import CaseHandling, CaseKind, HotspotKind, HotspotStatus
from .models import Case, Hotspot


def _khoms_in_scope(request):
    if request is None:
        return Khom.objects.none()
    return Khom.objects.for_user(request.user).select_related("ward")


def _date_widget():
    return forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class CaseFilter(BaseFilterSet):
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("số vụ, nơi, tên người…")}))
    date_from = django_filters.DateFilter(label=_("Phát hiện từ ngày"), field_name="detected_on", lookup_expr="gte",
                                          widget=_date_widget())
    date_to = django_filters.DateFilter(label=_("đến ngày"), field_name="detected_on", lookup_expr="lte",
                                        widget=_date_widget())
    khom = django_filters.ModelChoiceFilter(label=_("Khóm"), queryset=_khoms_in_scope)
    kind = django_filters.ChoiceFilter(label=_("Loại vụ việc"), choices=CaseKind.choices)
    handling = django_filters.ChoiceFilter(label=_("Xử lý"), choices=CaseHandling.choices)

    class Meta:
        model = Case
        fields = []
        form = BootstrapForm

    def search(self, queryset, name, value):
        """Accent-insensitive: "nguyen van duc" finds "Nguyễn Văn Đức" (folded text, trigram index)."""
        words = fold(value).split()
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
        return queryset


class HotspotFilter(BaseFilterSet):
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")
    khom = django_filters.ModelChoiceFilter(label=_("Khóm"), queryset=_khoms_in_scope)
    kind = django_filters.ChoiceFilter(label=_("Loại tụ điểm"), choices=HotspotKind.choices)
    status = django_filters.ChoiceFilter(label=_("Tình trạng"), choices=HotspotStatus.choices, method="by_status")

    class Meta:
        model = Hotspot
        fields = []
        form = BootstrapForm

    def search(self, queryset, name, value):
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def by_status(self, queryset, name, value):
        today = timezone.localdate()
        active = queryset.active_on(today)
        if value == HotspotStatus.ACTIVE:
            return active
        return queryset.exclude(pk__in=active.values("pk"))
