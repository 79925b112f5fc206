"""The base of every list's filters, the scoped choice filter, and the audit log's filters."""
import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction
from .forms import BootstrapForm
from .text import fold


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose form has Bootstrap's classes; subclasses declare their filters and nothing else."""

    class Meta:
        form = BootstrapForm


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


class AuditEventFilter(FilterSet):
    username = django_filters.CharFilter(label=_("Người dùng"), lookup_expr="icontains")
    action = django_filters.ChoiceFilter(label=_("Hành động"), choices=AuditAction.choices)
    object_type = django_filters.CharFilter(label=_("Loại đối tượng"), lookup_expr="icontains")
    object_id = django_filters.CharFilter(label=_("Mã đối tượng"))
    date_from = django_filters.DateFilter(label=_("Từ ngày"), field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label=_("Đến ngày"), field_name="at", lookup_expr="date__lte")
