"""Filter of the reports list."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.choices import PeriodKind
from apps.core.filtersets import FilterSet
from apps.khom.filtersets import WardFilter

from .choices import ReportStatus


class ReportFilter(FilterSet):
    ward = WardFilter()
    period_kind = django_filters.ChoiceFilter(label=_("Loại kỳ"), choices=PeriodKind.choices)
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=ReportStatus.choices)
    year = django_filters.NumberFilter(label=_("Năm"), field_name="period_start", lookup_expr="year")
