"""Filters of the assessment list."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import FilterSet
from apps.khom.filtersets import KhomFilter

from .choices import AssessmentStatus, CriteriaScope


class AssessmentFilter(FilterSet):
    year = django_filters.NumberFilter(label=_("Năm"))
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=AssessmentStatus.choices)
    khom = KhomFilter()
    scope = django_filters.ChoiceFilter(label=_("Loại đánh giá"), field_name="criteria_set__scope",
                                        choices=CriteriaScope.choices)
