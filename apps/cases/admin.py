"""Admin of cases and hotspots: scoped like the pages, numbering and audit through the same rules."""
from django.contrib import admin
from django.db import transaction

from apps.core.admin import ScopedAdmin, ScopedInline
from apps.core.audit import AuditAction, audit, diff
from apps.imports.admin import ScopedImportExportMixin

from .models import Case, Hotspot, Participant, SeizedItem
from .resources import CaseResource
from .services import case_number_allocate, case_rows_snapshot


class SeizedItemInline(ScopedInline, admin.TabularInline):
    model = SeizedItem
    extra = 0


class ParticipantInline(ScopedInline, admin.TabularInline):
    model = Participant
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


@admin.register(Case)
class CaseAdmin(ScopedImportExportMixin, ScopedAdmin):
    resource_classes = [CaseResource]
    audit_views = True
    audit_inlines = False  # save_related logs the rows' changes into the case's own event, as the pages do
    list_display = ["code", "detected_on", "ward", "khom", "kind", "handling", "officer"]
    list_filter = [("ward", admin.RelatedOnlyFieldListFilter), ("khom", admin.RelatedOnlyFieldListFilter),
                   "kind", "handling", "detected_on"]
    list_select_related = ["ward", "khom", "officer"]
    search_fields = ["search_text", "place"]
    date_hierarchy = "detected_on"
    readonly_fields = ["ward", "year"]
    inlines = [SeizedItemInline, ParticipantInline]

    @admin.display(description=Case._meta.get_field("number").verbose_name, ordering="number")
    def code(self, obj):
        return obj.code

    def get_readonly_fields(self, request, obj=None):
        # The number comes from the ward's counter, as on the pages, so the admin cannot hand one out twice.
        return [*self.readonly_fields, "number"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            obj.derive()
            stored = Case._base_manager.filter(pk=obj.pk).values_list("ward_id", "year").first() if change else None
            if stored != (obj.ward_id, obj.year):
                obj.number = case_number_allocate(ward_id=obj.ward_id, year=obj.year)
            if change:
                request._case_children_before = case_rows_snapshot(obj)
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """Save the inlines, then refresh the search text and log what changed in the rows."""
        super().save_related(request, form, formsets, change)
        case = form.instance
        names = [p.name for p in case.participants.select_related("person")]
        case.search_text = case.build_search_text(names)
        case.save(update_fields=["search_text"])
        before = getattr(request, "_case_children_before", {"seized_items": [], "participants": []})
        changes = diff(before, case_rows_snapshot(case))
        if changes:
            audit(AuditAction.UPDATE, obj=case, changes=changes, extra={"via": "admin"})


@admin.register(Hotspot)
class HotspotAdmin(ScopedAdmin):
    audit_views = True
    list_display = ["address", "ward", "khom", "kind", "found_on", "cleared_on"]
    list_filter = [("ward", admin.RelatedOnlyFieldListFilter), ("khom", admin.RelatedOnlyFieldListFilter),
                   "kind", "found_on"]
    list_select_related = ["ward", "khom"]
    search_fields = ["address", "notes"]
    readonly_fields = ["ward"]

    def save_model(self, request, obj, form, change):
        obj.derive()
        super().save_model(request, obj, form, change)
