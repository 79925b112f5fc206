"""Filters of the person list; the export applies the very same FilterSet."""
import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import FilterSet, ScopedModelChoiceFilter, SearchFilter
from apps.core.mixins import spans_wards
from apps.core.periods import add_months
from apps.khom.filtersets import KhomFilter, WardFilter

from .choices import AgeBand, Gender
from .models import PERSON_ORDER, Episode, EpisodeKind

# The register's headline figures (apps/subjects/indicators.py) as list filters, so that a figure on the
# dashboard or a khóm's page opens the very people it counts: {value: (label, episode condition)}.
MANAGED_CHOICES = [
    ("managed", _("Có hồ sơ quản lý còn hiệu lực")),
    ("user_addict", _("Người sử dụng trái phép, người nghiện có hồ sơ")),
    ("in_treatment", _("Đang cai nghiện, điều trị thay thế")),
]
MANAGED_EPISODES = {
    "managed": {},
    "user_addict": {"kind__counts_as_user_addict": True},
    "in_treatment": {"kind__in_treatment": True},
}

# Age bands as [min age, max age] in whole years (None = open end).
AGE_BANDS = {
    AgeBand.UNDER_18: (None, 17),
    AgeBand.FROM_18_TO_30: (18, 30),
    AgeBand.FROM_31_TO_45: (31, 45),
    AgeBand.OVER_45: (46, None),
}


class PersonOrderingFilter(django_filters.OrderingFilter):
    """Sort options in Vietnamese; "name" is the register's order (tên, tên đệm, họ, in Vietnamese collation)."""

    descending_fmt = _("%s (giảm dần)")

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        ordering = []
        for param in value:
            field = self.get_ordering_value(param)
            if field.lstrip("-") == "given_name":
                sign = "-" if field.startswith("-") else ""
                ordering += [sign + name for name in PERSON_ORDER]
            else:
                ordering += [field, *PERSON_ORDER]
        return qs.order_by(*ordering)


class PersonFilter(FilterSet):
    q = SearchFilter(label=_("Tìm theo tên hoặc CCCD"))
    ward = WardFilter(field_name="khom__ward")
    khom = KhomFilter()
    status = ScopedModelChoiceFilter(label=_("Tình trạng"), queryset=EpisodeKind.objects.all(),
                                     null_label=_("Không còn đợt quản lý nào"))
    gender = django_filters.ChoiceFilter(label=_("Giới tính"), choices=Gender.choices)
    age = django_filters.ChoiceFilter(label=_("Độ tuổi"), choices=AgeBand.choices, method="filter_age")
    overdue = django_filters.BooleanFilter(label=_("Quá hạn xét nghiệm"), method="filter_overdue")
    window_256a = django_filters.BooleanFilter(label=_("Trong thời gian theo dõi theo Điều 256a BLHS"),
                                               method="filter_window_256a")
    managed = django_filters.ChoiceFilter(label=_("Diện quản lý"), choices=MANAGED_CHOICES, method="filter_managed")
    managed_on = django_filters.DateFilter(label=_("Tính tại ngày"), method="filter_nothing")
    sort = PersonOrderingFilter(
        label=_("Sắp xếp"),
        fields=[("given_name", "name"), ("date_of_birth", "born"), ("khom__code", "khom"),
                ("next_test_due", "due"), ("updated_at", "updated")],
        field_labels={"given_name": _("Tên"), "date_of_birth": _("Ngày sinh"), "khom__code": _("Khóm"),
                      "next_test_due": _("Hạn xét nghiệm"), "updated_at": _("Cập nhật")},
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or not spans_wards(request.user):
            # One ward: the khóm list is short and a ward choice would be noise.
            del self.filters["ward"]

    def filter_age(self, queryset, name, value):
        low, high = AGE_BANDS.get(value, (None, None))
        today = dt.date.today()
        if low is not None:  # at least *low* years old: born on or before today minus low years
            queryset = queryset.filter(date_of_birth__lte=add_months(today, -12 * low))
        if high is not None:  # at most *high*: born after today minus (high + 1) years
            queryset = queryset.filter(date_of_birth__gt=add_months(today, -12 * (high + 1)))
        return queryset

    def filter_managed(self, queryset, name, value):
        """People with an episode of that sort open on ``managed_on`` (today by default), as the indicators count."""
        from django.db.models import Exists, OuterRef

        from .indicators import open_at

        day = self.form.cleaned_data.get("managed_on") or timezone.localdate()
        episodes = Episode._base_manager.filter(open_at(day), person=OuterRef("pk"), **MANAGED_EPISODES[value])
        return queryset.filter(Exists(episodes))

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_managed

    def filter_window_256a(self, queryset, name, value):
        """People with an ended episode whose art. 256a window runs today (the badge on their record)."""
        from django.db.models import Exists, OuterRef

        from .selectors import window_256a_condition

        if value is None:
            return queryset
        inside = Exists(Episode._base_manager.filter(window_256a_condition(timezone.localdate()), person=OuterRef("pk")))
        return queryset.filter(inside) if value else queryset.exclude(inside)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()  # the day the indicator "overdue_tests" counts on
        if value:
            return queryset.filter(next_test_due__lt=today)
        if value is False:
            return queryset.exclude(next_test_due__lt=today)
        return queryset


class DeadlineFilter(FilterSet):
    """The work list's filters (issue 18 §6): ``?category=<code>&khom=<pk>&overdue=1``; the export uses them too.

    The work list is built from several querysets, not filtered as one: the view reads the valid values
    (``deadline_filters()``) and the selector applies them to each category.
    """

    ward = WardFilter(field_name="person__khom__ward", label=_("Phường"))
    khom = KhomFilter()
    category = django_filters.ChoiceFilter(label=_("Việc"), method="filter_nothing")
    overdue = django_filters.BooleanFilter(label=_("Chỉ việc quá hạn"), method="filter_nothing")

    def __init__(self, *args, request=None, **kwargs):
        from .selectors import DEADLINE_CATEGORIES

        super().__init__(*args, request=request, **kwargs)
        self.filters["category"].extra["choices"] = list(DEADLINE_CATEGORIES.items())
        if request is None or not spans_wards(request.user):
            del self.filters["ward"]

    def filter_nothing(self, queryset, name, value):
        return queryset

    def deadline_filters(self):
        """The valid values as the selector's DeadlineFilters (an invalid field filters nothing, as on any list)."""
        from .selectors import DeadlineFilters

        self.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        return DeadlineFilters(category=data.get("category") or None, ward=data.get("ward"), khom=data.get("khom"),
                               overdue=bool(data.get("overdue")))
