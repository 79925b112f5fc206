"""The scoped admin base class, and the read-only audit log in the admin."""
import re

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404

from .audit import AuditAction, audit, diff, snapshot
from .locking import STALE_VERSION, check_and_bump_version
from .models import AuditEvent

# The hidden admin form field that carries the version a change form was opened with.
LOCK_FIELD = "lock_version"


class VersionLockedFormMixin:
    """Admin form part for versioned models: refuses a save when the record changed since the form was opened."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[LOCK_FIELD].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            stored = type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if cleaned_data.get(LOCK_FIELD) is None or cleaned_data.get(LOCK_FIELD) != stored:
                # Nothing is saved; the page shows what was typed, with this message on top.
                raise ValidationError(STALE_VERSION, code="stale_version")
        return cleaned_data


def is_versioned(model) -> bool:
    try:
        model._meta.get_field("version")
    except FieldDoesNotExist:
        return False
    return True


# The date drill-down's parts: a year whose next year and next day exist, a month, a day.
DRILLDOWN_BOUNDS = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}


class BoundedDateChangeList(ChangeList):
    """A changelist that refuses date drill-down values beyond the calendar instead of answering 500.

    Django turns `<field>__year/__month/__day` into a datetime and catches only ValueError from it:
    `?year=99999999999999999999` raised OverflowError and `?year=9999` failed one step later. Such
    values become IncorrectLookupParameters, which the changelist answers with its usual redirect.
    """

    def get_filters(self, request):
        if self.date_hierarchy:
            for part, (low, high) in DRILLDOWN_BOUNDS.items():
                values = self.params.get(f"{self.date_hierarchy}__{part}")
                value = (values[-1] if isinstance(values, list) else values) if values else None
                if value is not None and not (re.fullmatch(r"[0-9]{1,4}", value) and low <= int(value) <= high):
                    raise IncorrectLookupParameters(f"{self.date_hierarchy}__{part}={value[:20]!r}")
        return super().get_filters(request)


class BoundedChangeListMixin:
    """ModelAdmin part: its changelist (list page and import-export's export alike) is a BoundedDateChangeList."""

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)
        if issubclass(base, BoundedDateChangeList):
            return base
        return type(f"Bounded{base.__name__}", (BoundedDateChangeList, base), {})


def bound_every_changelist(site=admin.site):
    """Give every registered ModelAdmin, third-party ones too (axes, OTP), the bounded changelist.

    Called once the registry is complete (myhoi/urls.py); admins already bounded are left alone.
    """
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, BoundedChangeListMixin):
            continue
        base = type(model_admin)
        site.unregister(model)
        site.register(model, type(base.__name__, (BoundedChangeListMixin, base), {"__module__": base.__module__}))


class ScopedAdmin(BoundedChangeListMixin, admin.ModelAdmin):
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

    # Optimistic locking for models with a `version` (apps.core.models.VersionedModel): the change
    # form carries the version it was opened with, and a stale save is refused, as on the pages.
    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" not in kwargs:
            # What ModelAdmin.get_form would do, minus the lock field that get_fieldsets adds.
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != LOCK_FIELD]
        form = super().get_form(request, obj, change=change, **kwargs)
        if not is_versioned(self.model):
            return form
        lock_field = forms.IntegerField(widget=forms.HiddenInput, required=False)
        return type(form.__name__, (VersionLockedFormMixin, form), {LOCK_FIELD: lock_field})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if is_versioned(self.model) and LOCK_FIELD not in flatten_fieldsets(fieldsets):
            fieldsets = [*fieldsets, (None, {"fields": [LOCK_FIELD]})]
        return fieldsets

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            stored = type(obj)._base_manager.filter(pk=obj.pk).first()
            before = snapshot(stored) if stored else None
            if is_versioned(type(obj)):
                # Re-checked under a row lock: two saves that both passed the form check cannot both win.
                # Forms without the field (list_editable) were built from the current row.
                expected = form.cleaned_data.get(LOCK_FIELD) if LOCK_FIELD in form.fields else obj.version
                check_and_bump_version(obj, expected)
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
class AuditEventAdmin(BoundedChangeListMixin, admin.ModelAdmin):
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
