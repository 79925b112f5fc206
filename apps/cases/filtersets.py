"""Filters of the case and hotspot lists (the exports use the same ones)."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import FilterSet, SearchFilter
from apps.khom.filtersets import KhomFilter

from .choices import CaseHandling, CaseKind, HotspotKind, HotspotStatus


def _date_widget():
    return forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class CaseFilter(FilterSet):
    q = SearchFilter(label=_("Tìm kiếm"), widget=forms.TextInput(attrs={"placeholder": _("số vụ, nơi, tên người…")}))
    date_from = django_filters.DateFilter(label=_("Phát hiện từ ngày"), field_name="detected_on", lookup_expr="gte",
                                          widget=_date_widget())
    date_to = django_filters.DateFilter(label=_("đến ngày"), field_name="detected_on", lookup_expr="lte",
                                        widget=_date_widget())
    khom = KhomFilter()
    kind = django_filters.ChoiceFilter(label=_("Loại vụ việc"), choices=CaseKind.choices)
    handling = django_filters.ChoiceFilter(label=_("Xử lý"), choices=CaseHandling.choices)


class HotspotFilter(FilterSet):
    q = SearchFilter(label=_("Tìm kiếm"))
    khom = KhomFilter()
    kind = django_filters.ChoiceFilter(label=_("Loại tụ điểm"), choices=HotspotKind.choices)
    status = django_filters.ChoiceFilter(label=_("Tình trạng"), choices=HotspotStatus.choices, method="by_status")
    # Active at some time between the two days, as the indicator "active_hotspots" counts a period's hotspots.
    active_from = django_filters.DateFilter(label=_("Còn hoạt động từ ngày"), method="active_between",
                                          widget=_date_widget())
    active_to = django_filters.DateFilter(label=_("đến ngày"), method="active_between", widget=_date_widget())

    def active_between(self, queryset, name, value):
        if name == "active_from":
            return queryset.filter(Q(cleared_on__isnull=True) | Q(cleared_on__gt=value))
        return queryset.filter(found_on__lte=value)

    def by_status(self, queryset, name, value):
        today = timezone.localdate()
        active = queryset.active_on(today)
        if value == HotspotStatus.ACTIVE:
            return active
        return queryset.exclude(pk__in=active.values("pk"))
