from django.contrib import admin

from apps.core.admin import ScopedAdmin

from .models import Activity, CommitmentSigning, ReintegrationModel


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ["held_on", "kind", "topic", "ward", "khom", "audience", "participants", "organiser"]
    list_filter = ["kind", "audience", ("ward", admin.RelatedOnlyFieldListFilter),
                   ("khom", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["ward", "khom"]
    search_fields = ["topic", "organiser", "location"]
    date_hierarchy = "held_on"


@admin.register(CommitmentSigning)
class CommitmentSigningAdmin(ScopedAdmin):
    list_display = ["signed_on", "khom", "households_signed", "households_total"]
    list_filter = [("khom", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["khom", "khom__ward"]
    date_hierarchy = "signed_on"


@admin.register(ReintegrationModel)
class ReintegrationModelAdmin(ScopedAdmin):
    list_display = ["name", "ward", "khom", "started_on", "ended_on", "people_supported"]
    list_filter = [("ward", admin.RelatedOnlyFieldListFilter), ("khom", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["ward", "khom"]
    search_fields = ["name", "organiser", "description"]
