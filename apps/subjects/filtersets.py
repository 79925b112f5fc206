"""Filters of the person list; the export applies the very same FilterSet."""
import datetime as dt
import re

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import BaseFilterSet
from apps.core.forms import BootstrapForm
from apps.core.periods import add_months
from apps.core.text import fold
from apps.khom.models import Khom, Ward

from .choices import AgeBand, Gender
from .models import EpisodeKind, Person

# Age bands as [min age, max age] in whole years (None = open end).
AGE_BANDS = {
    AgeBand.UNDER_18: (None, 17),
    AgeBand.FROM_18_TO_30: (18, 30),
    AgeBand.FROM_31_TO_45: (31, 45),
    AgeBand.OVER_45: (46, None),
}


def spans_wards(user) -> bool:
    """Whether the user's scope covers more than one ward (administrators and province staff do)."""
    return user.is_administrator or user.is_province or len(user.scope_ward_ids) > 1


def _wards(request):
    return Ward.objects.for_user(request.user) if request else Ward.objects.none()


def _khoms(request):
    """The khóm a user may pick. Across a province that is 2,000 options, so a user whose scope spans
    several wards first picks the ward and is then offered its khóm only (or the khóm already chosen)."""
    if request is None:
        return Khom.objects.none()
    khoms = Khom.objects.for_user(request.user).select_related("ward")
    if not spans_wards(request.user):
        return khoms
    ward, khom = _pk(request.GET.get("ward", "")), _pk(request.GET.get("khom", ""))
    if ward is not None:
        return khoms.filter(ward_id=ward)
    if khom is not None:
        return khoms.filter(pk=khom)
    return khoms.none()


def _pk(value: str) -> int | None:
    """A primary key typed in the query string, or None (str.isdigit() also accepts '²', which int() refuses)."""
    return int(value) if re.fullmatch(r"[0-9]{1,18}", value) else None


def _kinds(request):
    return EpisodeKind.objects.for_user(request.user) if request else EpisodeKind.objects.none()


class PersonFilter(BaseFilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên hoặc CCCD"), method="filter_search")
    ward = django_filters.ModelChoiceFilter(label=_("Phường"), field_name="khom__ward", queryset=_wards)
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

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or not spans_wards(request.user):
            # One ward: the khóm list is short and a ward choice would be noise.
            del self.filters["ward"]

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
