"""The base of every list's filters (query-string values bounded before they reach a query), the scoped
choice filter, the folded search and the audit log's filters."""
import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.widgets import BooleanWidget
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction
from .forms import BootstrapForm
from .text import fold

# Longer than any name, CCCD or place anyone searches for; a 10,000-character search would only make
# the trigram index work for nothing.
FILTER_TEXT_MAX = 200
# Years and dates a filter can mean. Outside them Python's calendar or the year lookup give out
# (`?year=0`, `?year=99999` answered 500), and a date filter has nothing to find anyway.
FILTER_YEAR_MIN, FILTER_YEAR_MAX = 1900, 2100
FILTER_DATE_MIN, FILTER_DATE_MAX = dt.date(FILTER_YEAR_MIN, 1, 1), dt.date(FILTER_YEAR_MAX, 12, 31)
# Integer filters (ids, counts) fit PostgreSQL's bigint.
FILTER_NUMBER_MAX = 2**63 - 1

FILTER_DATE_RANGE = _("Ngày lọc phải từ 01/01/1900 đến 31/12/2100.")
FILTER_YEAR_RANGE = _("Năm lọc phải từ 1900 đến 2100.")
FILTER_NUMBER_RANGE = _("Số quá lớn.")


def validate_filter_date(value: dt.date) -> None:
    if not FILTER_DATE_MIN <= value <= FILTER_DATE_MAX:
        raise ValidationError(FILTER_DATE_RANGE, code="filter_date_range")


def validate_filter_year(value) -> None:
    if not FILTER_YEAR_MIN <= value <= FILTER_YEAR_MAX:
        raise ValidationError(FILTER_YEAR_RANGE, code="filter_year_range")


def validate_filter_number(value) -> None:
    if abs(value) > FILTER_NUMBER_MAX:
        raise ValidationError(FILTER_NUMBER_RANGE, code="filter_number_range")


class YesNoSelect(BooleanWidget):
    """A yes/no filter that opens on "Tất cả" (no filter), not on Django's "Chưa xác định"."""

    def __init__(self, attrs=None):
        forms.Select.__init__(self, attrs, (("", _("Tất cả")), ("true", _("Có")), ("false", _("Không"))))


def _is_year(flt) -> bool:
    return flt.lookup_expr.endswith("year") or flt.field_name.rsplit("__", 1)[-1] == "year"


class FilterSet(django_filters.FilterSet):
    """A FilterSet with Bootstrap's form whose text, number and date filters refuse values no person types.

    A refused value is one invalid field of the filter form: the page shows it with its message and
    filters by the other fields, as for any typing error. Bounds are added here, once, to every
    filter of every subclass, so a filter added later is bounded without anyone remembering to.
    """

    class Meta:
        form = BootstrapForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for flt in self.filters.values():
            extra = flt.extra
            if isinstance(flt, django_filters.CharFilter):
                extra.setdefault("max_length", FILTER_TEXT_MAX)
            elif isinstance(flt, django_filters.NumberFilter):
                extra["validators"] = [*extra.get("validators", []),
                                       validate_filter_year if _is_year(flt) else validate_filter_number]
            elif isinstance(flt, django_filters.DateFilter):
                extra["validators"] = [*extra.get("validators", []), validate_filter_date]
            elif isinstance(flt, django_filters.BooleanFilter):
                extra.setdefault("widget", YesNoSelect)
            flt.__dict__.pop("_field", None)  # a field built before the bounds were added is rebuilt


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among the rows of *queryset* that the requesting user may see (``queryset.for_user(user)``).

    A choice out of scope is simply not offered, and typed into the URL it is refused by the form
    as any unknown value is.
    """

    def __init__(self, *args, queryset, **kwargs):
        self.scoped_queryset = queryset
        super().__init__(*args, queryset=self.choices_for, **kwargs)

    def choices_for(self, request):
        if request is None:
            return self.scoped_queryset.none()
        return self.scoped_queryset.all().for_user(request.user)


class SearchFilter(django_filters.CharFilter):
    """Accent-insensitive search: every word must occur in the row's folded ``search_text``
    ("nguyen van duc" finds "Nguyễn Văn Đức"; the trigram index serves the LIKE)."""

    def filter(self, queryset, value):
        for word in fold(value or "").split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset


# A name matches at most this many people: the events of more are not "about that person" any more.
AUDIT_PERSON_MATCHES = 50


def _object_type_choices():
    from .audit_display import object_type_choices

    return object_type_choices()


class AuditEventFilter(FilterSet):
    """The audit log's filters: who, what, which kind of object, about which person, when."""

    username = django_filters.CharFilter(label=_("Người dùng"), lookup_expr="icontains")
    action = django_filters.ChoiceFilter(label=_("Hành động"), choices=AuditAction.choices)
    object_type = django_filters.ChoiceFilter(label=_("Loại đối tượng"), choices=_object_type_choices,
                                              method="filter_object_type")
    person = django_filters.CharFilter(label=_("Về đối tượng (tên hoặc CCCD)"), method="filter_person")
    date_from = django_filters.DateFilter(label=_("Từ ngày"), field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label=_("Đến ngày"), field_name="at", lookup_expr="date__lte")

    def filter_object_type(self, queryset, name, value):
        return queryset.filter(object_type="" if value == "-" else value)

    def filter_person(self, queryset, name, value):
        """Events about the people the reader may see whose name or CCCD matches: their records, what was
        recorded under them, and the CCCD look-ups of that number."""
        from django.apps import apps
        from django.db.models import Q

        words = fold(value or "").split()
        if not words:
            return queryset
        people = apps.get_model("subjects", "Person").objects.for_user(self.request.user)
        for word in words:
            people = people.filter(search_text__contains=word)
        ids = list(people.order_by("pk").values_list("pk", flat=True)[:AUDIT_PERSON_MATCHES])
        about = Q(object_type="subjects.person", object_id__in=[str(pk) for pk in ids]) | Q(extra__person__in=ids)
        number = value.strip()
        if number.isdigit():
            about |= Q(action=AuditAction.LOOKUP, extra__cccd=number)
        return queryset.filter(about) if ids or number.isdigit() else queryset.none()
