"""The batch log in the admin, and the mixin that gives other apps' admins our import/export buttons."""
import logging

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from import_export.results import RowResult
from import_export.tmp_storages import BaseStorage

from apps.core.admin import ScopedAdmin
from apps.core.audit import AuditAction, audit, query_filters
from apps.core.numbers import whole_number
from apps.core.safe_formats import SafeXLSX

from . import services
from .formats import CheckedXLSX
from .forms import FILE_NOT_XLSX_NAME, read_upload
from .models import ImportBatch
from .reader import ImportFileError, refusal

logger = logging.getLogger(__name__)

CONFIRMATION_INVALID = _("Không xác nhận được lượt nhập này (đã nhập, đã bị từ chối hoặc không phải của bạn): "
                         "hãy tải file lên lại.")
IMPORT_FAILED = _("Không nhập: có dòng lỗi, chưa có dòng nào được ghi. Hãy tải file lên lại để xem lỗi.")

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


def _problem_text(error: ImportFileError) -> str:
    from .engine import Problem

    return Problem(error.row, error.column, str(error.message)).as_text()


class AdminImportForm(ImportForm):
    """The admin's import form: an .xlsx only, checked and kept in an ImportBatch as the web import does.

    The check (services.import_batch_upload → apps.imports.archive) runs before anything parses
    the file, and a refusal is audited. The batch's number is the name import-export's confirm
    step knows the upload by (``tmp_storage_name``, its own attribute): no local file is written.
    """

    def __init__(self, formats, resources, *, request, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.request = request
        self.resource_classes = list(resources)
        self.fields["format"].error_messages["invalid_choice"] = FILE_NOT_XLSX_NAME
        self.fields["import_file"].widget.attrs["accept"] = ".xlsx"

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(FILE_NOT_XLSX_NAME)
        return upload

    def clean(self):
        data = super().clean()
        upload = data.get("import_file")
        if upload is None or self.errors:
            return data
        try:
            batch = services.import_batch_upload(user=self.request.user, kind=self.kind(data), file_name=upload.name,
                                                 data=read_upload(upload), source="admin")
        except ValidationError as error:
            self.add_error("import_file", error)
            return data
        upload.tmp_storage_name = str(batch.pk)
        return data

    def kind(self, data) -> str:
        index = whole_number(data.get("resource") or "0")
        resource = self.resource_classes[index] if index is not None and index < len(self.resource_classes) \
            else self.resource_classes[0]
        kind = getattr(resource, "import_kind", None)
        if kind is None:
            raise ImproperlyConfigured(f"{resource.__name__} is registered under no import kind (@import_kind)")
        return kind


class ImportBatchStorage(BaseStorage):
    """import-export's temporary storage between the dry run and the confirmation, in an ImportBatch row.

    Its default writes a file to the local temporary folder, which a confirmation landing on
    another app server would not find (and which outlives a failed import). AdminImportForm keeps
    the upload through services.import_batch_upload; this storage reads it back.
    """

    def save(self, data):
        raise ImproperlyConfigured("uploads are kept by AdminImportForm (services.import_batch_upload), not saved here")

    def read(self):
        return bytes(ImportBatch.objects.values_list("file_bytes", flat=True).get(pk=int(self.name)))

    def remove(self):
        """Nothing to remove: the batch keeps its file, as the web import's batches do (what was imported)."""


class ScopedImportExportMixin(ImportExportMixin):
    """Put before ScopedAdmin: import/export buttons on the resources of apps.imports, scoped to the user.

    Importing needs the explicit permission ``imports.add_importbatch`` on top of the model's add/change.
    Usage in an app's admin: ``class PersonAdmin(ScopedImportExportMixin, ScopedAdmin): resource_classes = [PersonResource]``.

    Imports accept .xlsx only (CheckedXLSX), checked before parsing like every import; the upload
    lives in an ImportBatch, never in a local file; errors show their message, never a traceback.
    """

    import_permission = "imports.add_importbatch"
    # Exports only as XLSX whose user text stays text, never a formula (set here, not in settings:
    # import-export's EXPORT_FORMATS takes classes, and settings must not import application code).
    export_formats = [SafeXLSX]
    import_form_class = AdminImportForm
    tmp_storage_class = ImportBatchStorage
    import_template_name = "admin/imports/import.html"
    import_error_display = ("message",)

    def get_import_formats(self):
        """Only CheckedXLSX, whatever IMPORT_FORMATS says: every other format skips the archive's check."""
        return [CheckedXLSX]

    def get_import_form_kwargs(self, request):
        return {**super().get_import_form_kwargs(request), "request": request}

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

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing, as every import: a row that fails validation rolls the whole file back.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def write_to_tmp_storage(self, import_file, input_format):
        """The form has kept the upload in an ImportBatch already; only name it."""
        return ImportBatchStorage(name=import_file.tmp_storage_name, read_mode=input_format.get_read_mode())

    def add_data_read_fail_error_to_form(self, form, e):
        """Say why the file could not be read, in our words (import-export names the exception), and audit it."""
        error = refusal(e)
        if not isinstance(e, ImportFileError):
            logger.warning("admin import: unreadable file", exc_info=e)
        # Before add_error, which takes the field out of cleaned_data.
        batch_id = getattr(form.cleaned_data.get("import_file"), "tmp_storage_name", None)
        form.add_error("import_file", _problem_text(error))
        if batch_id:
            services.import_batch_refuse(batch_id=int(batch_id), user=form.request.user, error=error, source="admin")

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form, result = context.get("form"), context.get("result")
        upload = getattr(form, "cleaned_data", {}).get("import_file") if form is not None else None
        batch_id = getattr(upload, "tmp_storage_name", None)
        if batch_id and result is not None:
            for error in result.base_errors:
                logger.error("admin import: %s", error.error, exc_info=error.error)
            services.import_batch_previewed(batch_id=int(batch_id), ok="confirm_form" in context,
                                            total=len(result.rows))
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Confirm a previewed import; a tampered, stale or repeated confirmation gets a message, never a 500."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        valid = form.is_valid()
        data = form.cleaned_data if valid else {}
        format_index, resource_index = whole_number(data.get("format", "")), whole_number(data.get("resource") or "0")
        batch_id = whole_number(data.get("import_file_name", ""))
        if not (valid and format_index is not None and format_index < len(self.get_import_formats())
                and resource_index is not None and resource_index < len(self.get_import_resource_classes(request))
                and batch_id is not None and services.import_batch_claim(batch_id=batch_id, user=request.user)):
            messages.error(request, CONFIRMATION_INVALID)
            return redirect("admin:%s_%s_import" % self.get_model_info())
        try:
            return super().process_import(request, **kwargs)
        except ImportFileError as error:
            # Only if the limits were lowered between the dry run and the confirmation.
            services.import_batch_refuse(batch_id=batch_id, user=request.user, error=error, source="admin")
            messages.error(request, _problem_text(error))
            return redirect("admin:%s_%s_import" % self.get_model_info())

    def process_dataset(self, dataset, form, request, **kwargs):
        result = super().process_dataset(dataset, form, request, **kwargs)
        batch_id = whole_number(form.cleaned_data.get("import_file_name", ""))
        if batch_id is not None:
            totals = result.totals
            services.import_batch_imported(
                batch_id=batch_id, written=not (result.has_errors() or result.has_validation_errors()),
                created=totals.get(RowResult.IMPORT_TYPE_NEW, 0), updated=totals.get(RowResult.IMPORT_TYPE_UPDATE, 0),
                unchanged=totals.get(RowResult.IMPORT_TYPE_SKIP, 0),
                error_rows=len(result.invalid_rows) + len(result.row_errors()))
        return result

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            for error in result.base_errors:
                logger.error("admin import: %s", error.error, exc_info=error.error)
            messages.error(request, IMPORT_FAILED)
            return redirect("admin:%s_%s_import" % self.get_model_info())
        return super().process_result(result, request)
