"""Admin: criteria sets and their criteria are edited here (a new version without code); all scoped and audited."""
from django import forms
from django.contrib import admin

from apps.core.admin import AdministratorsEditMixin, ScopedAdmin, ScopedInline

from . import services
from .models import (
    Assessment, AssessmentItem, ClassificationSet, ClassificationThreshold, ClassificationType, CriteriaSet, Criterion,
    Evidence, ProvinceTarget, ProvinceYearData, Recognition, WardSelfAssessment, WardTarget, WardYearData,
)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.indicators.registry import choices

        # The indicator is a registry code: offer the registry, not free text.
        self.fields["indicator"] = forms.ChoiceField(
            label=self.fields["indicator"].label, required=False, choices=[("", "—")] + choices())


class CriterionInline(ScopedInline, admin.TabularInline):
    model = Criterion
    form = CriterionForm
    extra = 0
    fields = ["order", "code", "text", "kind", "indicator", "operator", "threshold", "group", "evidence_hint"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ScopedAdmin):
    list_display = ["code", "version", "name", "scope", "valid_from", "valid_to", "min_groups", "checked"]
    list_filter = ["scope", "checked"]
    search_fields = ["code", "name", "legal_basis"]
    inlines = [CriterionInline]  # each criterion created, changed or deleted is audited (ScopedAdmin.save_formset)


class AssessmentItemInline(ScopedInline, admin.TabularInline):
    model = AssessmentItem
    extra = 0
    fields = ["criterion", "passed", "figure", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    """Read-mostly: the workflow (submit, approve, return) runs through the pages and their services."""

    list_display = ["__str__", "year", "ward", "khom", "criteria_set", "status", "passed"]
    list_filter = ["year", "status", ("ward", admin.RelatedOnlyFieldListFilter),
                   ("criteria_set", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["ward", "khom", "criteria_set"]
    search_fields = ["khom__name", "ward__name"]
    readonly_fields = ["criteria_set", "ward", "khom", "year", "status", "comments", "passed", "snapshot",
                       "submitted_by", "submitted_at", "decided_by", "decided_at"]
    inlines = [AssessmentItemInline]

    def has_add_permission(self, request):
        return False


@admin.register(Evidence)
class EvidenceAdmin(ScopedAdmin):
    list_display = ["filename", "content_type", "size", "item", "created_at"]
    list_select_related = ["item__criterion", "item__assessment"]
    list_filter = ["content_type"]
    exclude = ["data"]
    readonly_fields = ["item", "filename", "content_type", "size", "sha256"]

    def get_queryset(self, request):
        return super().get_queryset(request).without_data()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Recognition)
class RecognitionAdmin(ScopedAdmin):
    list_display = ["decision_number", "khom", "year", "decided_on", "valid_until", "revoked_on"]
    list_filter = ["year", ("khom", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["khom", "khom__ward"]
    search_fields = ["decision_number", "khom__name"]
    raw_id_fields = ["assessment"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The khóm's status follows its recognitions however they were edited.
        services.recognition_sync_khom(user=request.user, khom=obj.khom)


@admin.register(ProvinceTarget)
class ProvinceTargetAdmin(AdministratorsEditMixin, ScopedAdmin):
    """The province's yearly targets (QĐ 1209/QĐ-UBND): data, changed by administrators only."""

    list_display = ["year", "percent", "legal_basis"]


@admin.register(WardSelfAssessment)
class WardSelfAssessmentAdmin(ScopedAdmin):
    """Read only: the workflow (submit, review, decide, revoke) runs through the pages and their services."""

    list_display = ["ward", "year", "status", "classification_type", "decision_number", "submitted_at"]
    list_filter = ["year", "status"]
    list_select_related = ["ward"]
    search_fields = ["ward__name", "ward__code", "decision_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WardTarget)
class WardTargetAdmin(ScopedAdmin):
    """Read only: the province assigns and the units register on the province roadmap page."""

    list_display = ["ward", "year", "assigned", "registered"]
    list_filter = ["year", "assigned", "registered"]
    list_select_related = ["ward"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------- classification (QĐ 28/2025/QĐ-TTg, Điều 4–5)
class ClassificationThresholdForm(CriterionForm):
    class Meta:
        model = ClassificationThreshold
        fields = "__all__"


class ClassificationThresholdInline(ScopedInline, admin.TabularInline):
    model = ClassificationThreshold
    form = ClassificationThresholdForm
    extra = 0
    fields = ["order", "letter", "text", "basis", "indicator", "minimum", "strict"]


class ClassificationTypeInline(ScopedInline, admin.TabularInline):
    model = ClassificationType
    extra = 0
    fields = ["rank", "code", "label", "min_criteria", "route_min_criteria", "route_counts_type", "route_letter",
              "counts_for_province"]
    show_change_link = True  # its thresholds are edited on the type's own page


@admin.register(ClassificationSet)
class ClassificationSetAdmin(AdministratorsEditMixin, ScopedAdmin):
    """The Điều 4 and Điều 5 classifications as data: types with their route rule, each type's thresholds."""

    list_display = ["code", "version", "name", "level", "valid_from", "valid_to", "checked"]
    list_filter = ["level", "checked"]
    search_fields = ["code", "name"]
    inlines = [ClassificationTypeInline]


@admin.register(ClassificationType)
class ClassificationTypeAdmin(AdministratorsEditMixin, ScopedAdmin):
    list_display = ["__str__", "rank", "min_criteria", "route_min_criteria", "route_counts_type"]
    list_select_related = ["classification_set", "route_counts_type"]
    inlines = [ClassificationThresholdInline]


@admin.register(WardYearData)
class WardYearDataAdmin(ScopedAdmin):
    """Each unit's residents (nhân khẩu hiện đang cư trú) and route flag per kỳ đánh giá."""

    list_display = ["ward", "year", "residents", "on_drug_route", "note"]
    list_filter = ["year", "on_drug_route"]
    list_select_related = ["ward"]
    search_fields = ["ward__name", "ward__code"]


@admin.register(ProvinceYearData)
class ProvinceYearDataAdmin(AdministratorsEditMixin, ScopedAdmin):
    list_display = ["year", "on_interprovincial_route", "note"]
