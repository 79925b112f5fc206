"""Filters of the assessment list."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import FilterSet
from apps.khom.filtersets import KhomFilter, WardFilter

from .choices import AssessmentStatus, CriteriaScope, SelfAssessmentStatus


class AssessmentFilter(FilterSet):
    year = django_filters.NumberFilter(label=_("Năm"))
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=AssessmentStatus.choices)
    khom = KhomFilter()
    scope = django_filters.ChoiceFilter(label=_("Loại đánh giá"), field_name="criteria_set__scope",
                                        choices=CriteriaScope.choices)
    waiting = django_filters.BooleanFilter(label=_("Chờ tôi phê duyệt"), method="filter_waiting",
                                           widget=forms.CheckboxInput)

    def filter_waiting(self, queryset, name, value):
        """Submitted by someone else, for a leader who may approve it (four-eyes); nothing for anyone else."""
        if not value:
            return queryset
        user = self.request.user
        if not (user.is_leadership and user.has_perm("criteria.approve_assessment")):
            return queryset.none()
        return queryset.filter(status=AssessmentStatus.SUBMITTED).exclude(submitted_by=user)


class SelfAssessmentFilter(FilterSet):
    year = django_filters.NumberFilter(label=_("Năm"))
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=SelfAssessmentStatus.choices)
    ward = WardFilter(label=_("Đơn vị"))
    waiting = django_filters.BooleanFilter(label=_("Chờ tôi xử lý"), method="filter_waiting",
                                           widget=forms.CheckboxInput)

    def filter_waiting(self, queryset, name, value):
        """Submitted ones for the province officer, forwarded ones for province leadership; nothing for others."""
        if not value:
            return queryset
        from .selectors import self_assessments_waiting_status

        status = self_assessments_waiting_status(self.request.user)
        return queryset.filter(status=status) if status else queryset.none()
