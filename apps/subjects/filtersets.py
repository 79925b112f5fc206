"""Filters of the person list; the export applies the very same FilterSet."""
import datetime as dt

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapForm
from apps.core.text import fold
from apps.khom.models import Khom

from .choices import AgeBand, Gender
from .models import EpisodeKind, Person, add_months

# Age bands as [min age, max age] in whole years (None = open end).
AGE_BANDS = {
    AgeBand.UNDER_18: (None, 17),
    AgeBand.FROM_18_TO_30: (18, 30),
    AgeBand.FROM_31_TO_45: (31, 45),
    AgeBand.OVER_45: (46, None),
}


def _khoms(request):
    return Khom.objects.for_user(request.user).select_related("ward") if request else Khom.objects.none()


def _kinds(request):
    return EpisodeKind.objects.for_user(request.user) if request else EpisodeKind.objects.none()


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên hoặc CCCD"), method="filter_search")
    khom = django_filters.ModelChoiceFilter(label=_("Khóm"), queryset=_khoms)
    status = django_filters.ModelChoiceFilter(label=_("Tình trạng"), queryset=_kinds,
                                              null_label=_("Không còn đợt quản lý nào"))
    gender = django_filters.ChoiceFilter(label=_("Giới tính"), choices=Gender.choices)
    age = django_filters.ChoiceFilter(label=_("Độ tuổi"), choices=AgeBand.choices, method="filter_age")
    overdue = django_filters.BooleanFilter(label=_("Quá hạn xét nghiệm"), method="filter_overdue")
    sort = django_filters.OrderingFilter(
        label=_("Sắp xếp"),
        fields=[("full_name", "name"), ("date_of_birth", "born"), ("khom__code", "khom"),
                ("next_test_due", "due"), ("updated_at", "updated")],
        field_labels={"full_name": _("Họ tên"), "date_of_birth": _("Ngày sinh"), "khom__code": _("Khóm"),
                      "next_test_due": _("Hạn xét nghiệm"), "updated_at": _("Cập nhật")},
    )

    class Meta:
        model = Person
        fields = []
        form = BootstrapForm

    def filter_search(self, queryset, name, value):
        """Every word must occur in the folded name or CCCD; the trigram index serves the LIKE."""
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_age(self, queryset, name, value):
        low, high = AGE_BANDS.get(value, (None, None))
        today = dt.date.today()
        if low is not None:  # at least *low* years old: born on or before today minus low years
            queryset = queryset.filter(date_of_birth__lte=add_months(today, -12 * low))
        if high is not None:  # at most *high*: born after today minus (high + 1) years
            queryset = queryset.filter(date_of_birth__gt=add_months(today, -12 * (high + 1)))
        return queryset

    def filter_overdue(self, queryset, name, value):
        today = dt.date.today()
        if value:
            return queryset.filter(next_test_due__lt=today)
        if value is False:
            return queryset.exclude(next_test_due__lt=today)
        return queryset
