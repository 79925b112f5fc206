"""Admin of cases and hotspots: scoped like the pages, numbering and audit through the same rules."""
from django.contrib import admin
from django.db import transaction

from apps.core.admin import ScopedAdmin, ScopedInline

from .models import Case, Hotspot, Participant, SeizedItem
from .services import case_number_allocate


class SeizedItemInline(ScopedInline, admin.TabularInline):
    model = SeizedItem
    extra = 0


class ParticipantInline(ScopedInline, admin.TabularInline):
    model = Participant
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    list_display = ["code", "detected_on", "ward", "khom", "kind", "handling", "officer"]
    list_filter = [("ward", admin.RelatedOnlyFieldListFilter), ("khom", admin.RelatedOnlyFieldListFilter),
                   "kind", "handling", "detected_on"]
    list_select_related = ["ward", "khom", "officer"]
    search_fields = ["search_text", "place"]
    date_hierarchy = "detected_on"
    readonly_fields = ["ward", "year", "version"]
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
                obj.version += 1
            super().save_model(request, obj, form, change)


@admin.register(Hotspot)
class HotspotAdmin(ScopedAdmin):
    list_display = ["address", "ward", "khom", "kind", "found_on", "cleared_on"]
    list_filter = [("ward", admin.RelatedOnlyFieldListFilter), ("khom", admin.RelatedOnlyFieldListFilter),
                   "kind", "found_on"]
    list_select_related = ["ward", "khom"]
    search_fields = ["address", "notes"]
    readonly_fields = ["ward", "version"]

    def save_model(self, request, obj, form, change):
        obj.derive()
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
