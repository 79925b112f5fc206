"""Filter of the reports list."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.choices import PeriodKind
from apps.core.filtersets import BaseFilterSet
from apps.core.forms import BootstrapForm
from apps.khom.models import Ward

from .choices import ReportStatus
from .models import Report


def scoped_wards(request):
    if request is None:
        return Ward.objects.none()
    return Ward.objects.for_user(request.user).order_by("name")


class ReportFilter(BaseFilterSet):
    ward = django_filters.ModelChoiceFilter(label=_("Phường"), queryset=scoped_wards)
    period_kind = django_filters.ChoiceFilter(label=_("Loại kỳ"), choices=PeriodKind.choices)
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=ReportStatus.choices)
    year = django_filters.NumberFilter(label=_("Năm"), field_name="period_start", lookup_expr="year")

    class Meta:
        model = Report
        fields = []
        form = BootstrapForm
