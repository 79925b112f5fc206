from django.contrib import admin

from apps.core.admin import ScopedAdmin

from .models import Report, ReportingRound


@admin.register(Report)
class ReportAdmin(ScopedAdmin):
    """Reports in the admin: readable by scope; the workflow (submit, lock) happens on the report page."""

    list_display = ["ward", "period_kind", "period_start", "period_end", "status", "due_on", "submitted_at"]
    list_filter = [("ward", admin.RelatedOnlyFieldListFilter), "period_kind", "status"]
    list_select_related = ["ward"]
    date_hierarchy = "period_start"
    # A report is opened on /reports/new/ (report_create decides its round, the day its period is cut on and its
    # due dates); its ward, period and dates are never edited here, only a draft's texts.
    readonly_fields = ["ward", "period_kind", "period_start", "period_start_day", "period_end", "round", "status",
                       "due_on", "editable_until", "submitted_at", "submitted_by", "locked_at", "locked_by", "version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A submitted or locked report is a record sent to the province: never edited here.
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ReportingRound)
class ReportingRoundAdmin(ScopedAdmin):
    """Rounds in the admin, to read: the province officer issues them on /reports/rounds/new/ (which opens the drafts)."""

    list_display = ["period_kind", "period_start", "period_end", "due_on", "editable_until", "all_wards", "created_at"]
    list_filter = ["period_kind"]
    readonly_fields = ["period_kind", "period_start", "period_start_day", "period_end", "due_on", "editable_until",
                       "all_wards", "wards", "note", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
