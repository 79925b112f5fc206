"""The scoped admin base class, and the read-only audit log in the admin."""
from django.contrib import admin
from django.http import Http404

from .audit import AuditAction, audit, diff, snapshot
from .models import AuditEvent


class ScopedAdmin(admin.ModelAdmin):
    """ModelAdmin that shows, offers and changes only what the user may see, and audits every change."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.for_user(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Out of scope and missing look the same: 404, never a hint that the row exists.
            raise Http404
        return obj

    def _limit(self, formfield, request):
        if formfield is not None and hasattr(getattr(formfield, "queryset", None), "for_user"):
            formfield.queryset = formfield.queryset.for_user(request.user)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._limit(super().formfield_for_foreignkey(db_field, request, **kwargs), request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._limit(super().formfield_for_manytomany(db_field, request, **kwargs), request)

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            stored = type(obj)._base_manager.filter(pk=obj.pk).first()
            before = snapshot(stored) if stored else None
        elif hasattr(obj, "created_by_id") and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        audit(AuditAction.UPDATE if change else AuditAction.CREATE, request=request, obj=obj,
              changes=diff(before, snapshot(obj)), extra={"via": "admin"})

    def delete_model(self, request, obj):
        audit(AuditAction.DELETE, request=request, obj=obj, changes=diff(snapshot(obj), {}), extra={"via": "admin"})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ScopedInline:
    """Mixin for inlines: related choices limited to the user's scope."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(getattr(formfield, "queryset", None), "for_user"):
            formfield.queryset = formfield.queryset.for_user(request.user)
        return formfield


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "object_type", "object_repr", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_repr", "object_id"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
