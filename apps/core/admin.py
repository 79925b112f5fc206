"""The scoped admin base class, the read-only audit log, and the working-day calendar's exceptions in the admin."""
from itertools import zip_longest

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import DatabaseError, router, transaction
from django.http import Http404
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import PeriodKind
from .audit import AuditAction, audit, audit_delete, diff, query_filters, snapshot
from .locking import STALE_VERSION, StaleVersionError, check_and_bump_version, lost_race_message
from .models import AuditEvent, CalendarException, PeriodConvention, VersionedModel
from .sites import BoundedChangeListMixin

# The hidden admin form field that carries the version a change form was opened with.
LOCK_FIELD = "lock_version"
# Set on the request when a save lost a race: the form is shown again, refused, with this message.
CONFLICT_ATTRIBUTE = "_myhoi_admin_save_conflict"

# The audit log filter's name for events that touch no object (log-ins): an empty link has no name to read.
NO_OBJECT_TYPE = _("(không gắn với đối tượng)")


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


class SaveConflictFormMixin:
    """Admin form part for the second showing after a lost race: refused, with the conflict message on top."""

    save_conflict = None

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors is not None and str(self.save_conflict) not in self.non_field_errors():
            self.add_error(None, ValidationError(self.save_conflict, code="save_conflict"))


def is_versioned(model) -> bool:
    """Whether *model* carries a lock version: by its base class, not a field's name (a criteria set's
    `version` is the published edition of the set, typed by the administrator, not a lock)."""
    return issubclass(model, VersionedModel)


class ScopedAdmin(BoundedChangeListMixin, admin.ModelAdmin):
    """ModelAdmin that shows, offers and changes only what the user may see, and audits every change.

    ``audit_views = True`` (admins of personal records) also logs what is shown: the list with its
    filters and search, each record opened, the delete confirmation, the autocomplete searches.
    Inline rows are audited one by one (``audit_inlines = False`` for an admin that logs them itself).
    """

    audit_views = False
    audit_inlines = True

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
        if is_versioned(self.model):
            lock_field = forms.IntegerField(widget=forms.HiddenInput, required=False)
            form = type(form.__name__, (VersionLockedFormMixin, form), {LOCK_FIELD: lock_field})
        conflict = getattr(request, CONFLICT_ATTRIBUTE, None)
        if conflict is not None:
            form = type(form.__name__, (SaveConflictFormMixin, form), {"save_conflict": conflict})
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Show the form again, refused and with what was typed, to the loser of two simultaneous saves.

        The form's version check cannot see a save that commits after it ran: both saves pass
        it, the second then fails under the row lock (StaleVersionError), at a unique index
        (IntegrityError) or as a deadlock. Those escape the admin's transaction, which has
        rolled everything back; the view then runs once more on the submitted data, this time
        with the form refused, so the page shows the input, the message, and whatever the
        form's own checks now find against the winner's committed rows.
        """
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (StaleVersionError, DatabaseError) as exc:
            message = lost_race_message(exc)
            if request.method != "POST" or message is None or hasattr(request, CONFLICT_ATTRIBUTE):
                raise
            setattr(request, CONFLICT_ATTRIBUTE, message)
            return super().changeform_view(request, object_id, form_url, extra_context)

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
        audit(AuditAction.UPDATE if change else AuditAction.CREATE, obj=obj,
              changes=diff(before, snapshot(obj)), extra={"via": "admin"})

    def save_formset(self, request, form, formset, change):
        """Save inline rows one by one so that each creation, change and deletion is audited with its values."""
        if not self.audit_inlines:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit_delete(obj, extra={"via": "admin", "inline_of": f"{self.opts.label_lower}:{form.instance.pk}"})
            obj.delete()
        for obj in instances:
            stored = type(obj)._base_manager.filter(pk=obj.pk).first() if obj.pk else None
            if stored is None and hasattr(obj, "created_by_id") and obj.created_by_id is None:
                obj.created_by = request.user
            obj.save()
            audit(AuditAction.UPDATE if stored else AuditAction.CREATE, obj=obj,
                  changes=diff(snapshot(stored) if stored else None, snapshot(obj)),
                  extra={"via": "admin", "inline_of": f"{self.opts.label_lower}:{form.instance.pk}"})
        formset.save_m2m()

    def delete_model(self, request, obj):
        # The deleted values, and one event per row the cascade takes along, in the deletion's transaction.
        with transaction.atomic(using=router.db_for_write(type(obj))):
            audit_delete(obj, extra={"via": "admin"})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    # What the admin shows of personal records ----------------------------------------------------
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if self.audit_views and request.method == "GET" and response.status_code == 200 and changelist is not None:
            audit(AuditAction.VIEW, object_type=self.opts.label_lower,
                  object_repr=gettext("Danh sách %(name)s") % {"name": self.opts.verbose_name_plural},
                  extra={"list": True, "via": "admin", **query_filters(request), "q": changelist.query,
                         "page": changelist.page_num, "rows": len(changelist.result_list),
                         "total": changelist.result_count})
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if self.audit_views and change and obj is not None and request.method == "GET":
            audit(AuditAction.VIEW, obj=obj, extra={"via": "admin"})
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_deleted_objects(self, objs, request):
        # The confirmation page (one object, or the "delete selected" action) names them and what goes with them.
        if self.audit_views and "post" not in request.POST:
            objs = list(objs)
            if len(objs) == 1:
                audit(AuditAction.VIEW, obj=objs[0], extra={"via": "admin", "page": "delete_confirmation"})
            elif objs:
                audit(AuditAction.VIEW, object_type=self.opts.label_lower,
                      object_repr=gettext("Danh sách %(name)s") % {"name": self.opts.verbose_name_plural},
                      extra={"via": "admin", "page": "delete_confirmation", "ids": [str(o.pk) for o in objs]})
        return super().get_deleted_objects(objs, request)

    def get_search_results(self, request, queryset, search_term):
        match = getattr(request, "resolver_match", None)
        if self.audit_views and match is not None and match.url_name == "autocomplete":
            # A picker's search over personal records (e.g. a person by CCCD) is a search like the list's.
            audit(AuditAction.VIEW, object_type=self.opts.label_lower,
                  object_repr=gettext("Danh sách %(name)s") % {"name": self.opts.verbose_name_plural},
                  extra={"list": True, "via": "admin", "autocomplete": True, "q": request.GET.get("term", ""),
                         "field": request.GET.get("field_name", ""), "from": request.GET.get("model_name", "")})
        return super().get_search_results(request, queryset, search_term)


class ScopedInline:
    """Mixin for inlines: related choices limited to the user's scope."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(getattr(formfield, "queryset", None), "for_user"):
            formfield.queryset = formfield.queryset.for_user(request.user)
        return formfield


class ObjectTypeListFilter(admin.AllValuesFieldListFilter):
    """The object types recorded in the audit log; the blank one is named, not shown as an empty link."""

    def choices(self, changelist):
        # Django yields "all" first, then one choice per non-null value in lookup_choices' order.
        values = [None] + [str(value) for value in self.lookup_choices if value is not None]
        for value, choice in zip_longest(values, super().choices(changelist)):
            if choice is None:
                break
            if value == "":
                choice = {**choice, "display": f"{NO_OBJECT_TYPE}{choice['display']}"}
            yield choice


@admin.register(AuditEvent)
class AuditEventAdmin(BoundedChangeListMixin, admin.ModelAdmin):
    list_display = ["at", "username", "action", "object_type", "object_repr", "ip"]
    list_filter = ["action", ("object_type", ObjectTypeListFilter)]
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


class AdministratorsEditMixin:
    """Reference data every deadline or period follows: only administrators change it.

    Even when an administrator lets another role into the admin site and grants it the model's permissions.
    """

    def has_add_permission(self, request):
        return request.user.is_administrator and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_administrator and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_administrator and super().has_delete_permission(request, obj)


@admin.register(CalendarException)
class CalendarExceptionAdmin(AdministratorsEditMixin, ScopedAdmin):
    """Announced days off and make-up working days: the official calendar, edited by administrators only."""

    list_display = ["date", "weekday", "kind", "name", "legal_basis", "checked"]
    list_filter = ["kind", "checked"]
    search_fields = ["name", "legal_basis"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name", "legal_basis", "checked"]

    @admin.display(description=_("thứ"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]



class PeriodConventionForm(forms.ModelForm):
    kinds = forms.TypedMultipleChoiceField(label=_("loại kỳ"), choices=PeriodKind.choices,
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = PeriodConvention
        fields = ["code", "start_day", "kinds", "legal_basis", "checked"]


@admin.register(PeriodConvention)
class PeriodConventionAdmin(AdministratorsEditMixin, ScopedAdmin):
    """How each reporting regime cuts its periods; every report, assessment and figure follows it."""

    form = PeriodConventionForm
    list_display = ["code", "start_day", "kinds_display", "legal_basis", "checked"]
    fields = ["code", "start_day", "kinds", "legal_basis", "checked"]

    @admin.display(description=_("loại kỳ"))
    def kinds_display(self, obj):
        return ", ".join(str(PeriodKind(kind).label) for kind in obj.kinds)
