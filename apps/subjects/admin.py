"""The register in the admin: scoped like every page, with search and scoped filters."""
from django.contrib import admin

from apps.core.admin import AdministratorsEditMixin, ScopedAdmin, ScopedInline
from apps.imports.admin import ScopedImportExportMixin

from .models import DrugTest, Episode, EpisodeKind, ManagementRule, Person, ResidenceMove, SupportRecord
from .resources import DrugTestResource, PersonResource
from .services import cccd_lookups_record, is_cccd_refusal, person_sync_status


class CCCDRefusalRecordedForm:
    """Admin form part: a CCCD refused because another record holds it is recorded as a sensitive lookup.

    The admin saves inside a transaction that commits when the form comes back with its errors, so
    the record written during validation stays.
    """

    request = None

    def full_clean(self):
        super().full_clean()
        if self.is_bound and is_cccd_refusal(self.errors.as_data().get("cccd")) and self.instance.cccd:
            cccd_lookups_record(user=self.request.user, cccds=[self.instance.cccd], source="admin")


@admin.register(EpisodeKind)
class EpisodeKindAdmin(ScopedAdmin):
    list_display = ["name", "name_en", "code", "default_term_months", "test_interval_days", "counts_as_user_addict",
                    "in_treatment", "status_category", "window_after_end_months", "priority", "is_active"]
    # The four-way status split of QĐ 13/2019 is data: an administrator maps each kind from the list.
    list_editable = ["status_category"]
    list_filter = ["counts_as_user_addict", "in_treatment", "restarts_on_positive_test", "status_category",
                   "is_active"]
    search_fields = ["name", "code"]
    filter_horizontal = ["excludes"]
    list_select_related = ["followed_by"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A new term or test interval changes every open episode's deadlines.
        for person in Person.objects.filter(episodes__kind=obj, episodes__actual_end__isnull=True).distinct():
            person_sync_status(person=person)


@admin.register(ManagementRule)
class ManagementRuleAdmin(AdministratorsEditMixin, ScopedAdmin):
    """The working-day figures of managing people, by the date they apply from (issue 18 §2)."""

    list_display = ["effective_from", "decision_working_days", "transfer_working_days", "source", "needs_checking"]
    list_filter = ["needs_checking"]
    fields = ["effective_from", "decision_working_days", "transfer_working_days", "source", "needs_checking"]


class EpisodeInline(ScopedInline, admin.TabularInline):
    model = Episode
    extra = 0
    fields = ["kind", "decision_number", "decision_date", "started_on", "planned_end", "actual_end", "end_reason"]


class DrugTestInline(ScopedInline, admin.TabularInline):
    model = DrugTest
    extra = 0
    fields = ["tested_on", "sample_type", "result", "substances", "tested_by"]


@admin.register(Person)
class PersonAdmin(ScopedImportExportMixin, ScopedAdmin):
    resource_classes = [PersonResource]
    audit_views = True
    list_display = ["full_name", "gender", "date_of_birth", "cccd", "khom", "status", "next_test_due"]
    list_filter = [("khom", admin.RelatedOnlyFieldListFilter), ("status", admin.RelatedOnlyFieldListFilter), "gender",
                   # Not the yes/no/unknown fields: Django's filter names their unknown "Chưa xác định", a raw word.
                   "ethnicity", "education"]
    list_select_related = ["khom", "status"]
    search_fields = ["search_text", "full_name", "cccd"]
    readonly_fields = ["status", "next_test_due", "version"]
    inlines = [EpisodeInline, DrugTestInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (CCCDRefusalRecordedForm, form), {"request": request})

    def get_search_results(self, request, queryset, search_term):
        from apps.core.text import fold

        # Search the folded column so "nguyen van duc" finds "Nguyễn Văn Đức" here too.
        return super().get_search_results(request, queryset, fold(search_term))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        person_sync_status(person=form.instance)


class PersonRecordAdmin(ScopedAdmin):
    """Admin of a record attached to a person: keeps the person's derived status in sync."""

    audit_views = True

    list_select_related = ["person", "person__khom"]
    search_fields = ["person__search_text", "person__cccd"]
    autocomplete_fields = ["person"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        person_sync_status(person=obj.person)

    def delete_model(self, request, obj):
        person = obj.person
        super().delete_model(request, obj)
        person_sync_status(person=person)


@admin.register(Episode)
class EpisodeAdmin(PersonRecordAdmin):
    list_display = ["person", "kind", "decision_number", "started_on", "planned_end", "actual_end", "end_reason"]
    list_filter = [("kind", admin.RelatedOnlyFieldListFilter), ("person__khom", admin.RelatedOnlyFieldListFilter),
                   "end_reason"]
    list_select_related = PersonRecordAdmin.list_select_related + ["kind"]
    date_hierarchy = "started_on"


@admin.register(DrugTest)
class DrugTestAdmin(ScopedImportExportMixin, PersonRecordAdmin):
    resource_classes = [DrugTestResource]
    list_display = ["person", "tested_on", "sample_type", "result", "substances", "tested_by"]
    list_filter = ["result", "sample_type", ("person__khom", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "tested_on"


@admin.register(ResidenceMove)
class ResidenceMoveAdmin(PersonRecordAdmin):
    list_display = ["person", "kind", "moved_on", "from_khom", "to_khom", "other_place", "notified_on"]
    list_filter = ["kind", ("to_khom", admin.RelatedOnlyFieldListFilter),
                   ("from_khom", admin.RelatedOnlyFieldListFilter)]
    list_select_related = PersonRecordAdmin.list_select_related + ["from_khom", "to_khom"]


@admin.register(SupportRecord)
class SupportRecordAdmin(PersonRecordAdmin):
    list_display = ["person", "kind", "given_on", "provider", "outcome"]
    list_filter = ["kind", ("person__khom", admin.RelatedOnlyFieldListFilter)]
