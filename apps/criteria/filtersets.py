"""Filters of the assessment list."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import BaseFilterSet
from apps.core.forms import BootstrapForm
from apps.khom.models import Khom

from .choices import AssessmentStatus, CriteriaScope
from .models import Assessment


def _khoms(request):
    if request is None:
        return Khom.objects.none()
    return Khom.objects.for_user(request.user).order_by("ward__name", "code")


class AssessmentFilter(BaseFilterSet):
    year = django_filters.NumberFilter(label=_("Năm"))
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=AssessmentStatus.choices)
    khom = django_filters.ModelChoiceFilter(label=_("Khóm"), queryset=_khoms)
    scope = django_filters.ChoiceFilter(label=_("Loại đánh giá"), field_name="criteria_set__scope",
                                        choices=CriteriaScope.choices)

    class Meta:
        model = Assessment
        fields = []
        form = BootstrapForm
