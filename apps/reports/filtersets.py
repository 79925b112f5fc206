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
    # The year a period is named for is the year of its last day: cut on the 15th, Năm 2026 and Quý I/2026
    # begin on 15/12/2025.
    year = django_filters.NumberFilter(label=_("Năm"), field_name="period_end", lookup_expr="year")
