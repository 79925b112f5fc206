"""The batch log in the admin, and the mixin that gives other apps' admins our import/export buttons."""
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from apps.core.admin import ScopedAdmin
from apps.core.audit import AuditAction, audit, query_filters
from apps.core.safe_formats import SafeXLSX

from .models import ImportBatch

EXPORT_FILTERS_INVALID = _("Bộ lọc trong địa chỉ trang không hợp lệ nên chưa xuất được: "
                           "hãy chọn lại bộ lọc trong danh sách.")


@admin.register(ImportBatch)
class ImportBatchAdmin(ScopedAdmin):
    list_display = ["created_at", "kind", "file_name", "created_by", "status", "rows_total", "rows_created",
                    "rows_updated", "rows_error"]
    list_filter = ["kind", "status", ("ward", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["created_by", "ward"]
    search_fields = ["file_name"]
    exclude = ["file_bytes"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields if f.name != "file_bytes"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("file_bytes")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ScopedImportExportMixin(ImportExportMixin):
    """Put before ScopedAdmin: import/export buttons on the resources of apps.imports, scoped to the user.

    Importing needs the explicit permission ``imports.add_importbatch`` on top of the model's add/change.
    Usage in an app's admin: ``class PersonAdmin(ScopedImportExportMixin, ScopedAdmin): resource_classes = [PersonResource]``.
    """

    import_permission = "imports.add_importbatch"
    # Exports only as XLSX whose user text stays text, never a formula (set here, not in settings:
    # import-export's EXPORT_FORMATS takes classes, and settings must not import application code).
    export_formats = [SafeXLSX]

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}

    def has_import_permission(self, request):
        return request.user.has_perm(self.import_permission) and super().has_import_permission(request)

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).for_user(request.user)

    def export_action(self, request):
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            # A query string the changelist cannot apply (`?format=0`): back to the list, as Django's
            # own changelist does with such parameters, instead of a 500.
            messages.error(request, EXPORT_FILTERS_INVALID)
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def get_data_for_export(self, request, queryset, **kwargs):
        """The rows of the file, and the export event that says how many left and with which filters."""
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        audit(AuditAction.EXPORT, object_type=self.opts.label_lower,
              object_repr=str(self.opts.verbose_name_plural), extra={"via": "admin", "format": "xlsx",
                                                                     "rows": len(dataset), **query_filters(request)})
        return dataset


def add_import_export_buttons():
    """Give the admins of people, drug tests and cases the import/export buttons on our resources.

    The lower apps must not import this app, so their admin classes are
    extended here: each is re-registered as a subclass with the scoped mixin.
    """
    from apps.cases.models import Case
    from apps.subjects.models import DrugTest, Person

    from .resources import CaseResource, DrugTestResource, PersonResource

    for model, resource in ((Person, PersonResource), (DrugTest, DrugTestResource), (Case, CaseResource)):
        current = admin.site._registry.get(model)
        if current is None or isinstance(current, ScopedImportExportMixin):
            continue
        base = type(current)
        admin.site.unregister(model)
        admin.site.register(model, type(base.__name__, (ScopedImportExportMixin, base), {
            "__module__": base.__module__, "resource_classes": [resource],
        }))


add_import_export_buttons()
