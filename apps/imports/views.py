"""Pages of the Excel import: choose and upload, preview, confirm; template download; progress."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from apps.core.excel import XLSX_CONTENT_TYPE
from apps.core.mixins import ScopedViewMixin
from apps.core.views import ActionView, ScopedDetailView
from apps.subjects.transfers import offers_transfer_request

from . import services
from .choices import BatchStatus, ImportKind
from .forms import UploadForm, read_upload
from .models import ImportBatch
from .template import build_template

IMPORTED = _("Đã nhập xong: %(created)s dòng mới, %(updated)s dòng cập nhật, %(unchanged)s dòng không đổi.")
REFUSED = _("Không nhập: file có lỗi, chưa có dòng nào được ghi.")


class ImportIndexView(ScopedViewMixin, FormView):
    """Choose the kind, download its template, upload a file; the user's recent batches."""

    model = ImportBatch
    permission_required = "imports.add_importbatch"
    form_class = UploadForm
    template_name = "imports/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = ImportKind.choices
        context["batches"] = ImportBatch.objects.for_user(self.request.user).select_related("created_by") \
            .defer("file_bytes", "report")[:20]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_batch_upload(user=self.request.user, kind=form.cleaned_data["kind"],
                                                 file_name=upload.name, data=read_upload(upload))
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        return redirect("imports:batch", pk=batch.pk)


class TemplateDownloadView(ScopedViewMixin, View):
    """The empty template of one kind, with drop-down lists limited to the user's khóm."""

    model = ImportBatch
    permission_required = "imports.add_importbatch"

    def get(self, request, kind):
        if kind not in ImportKind.values:
            raise Http404
        response = HttpResponse(build_template(kind, request.user), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.xlsx"'
        return response


class BatchDetailView(ScopedDetailView):
    """One batch: its status, counts, every error with row and column, suspected duplicates."""

    queryset = ImportBatch.objects.defer("file_bytes").select_related("created_by")
    permission_required = "imports.add_importbatch"
    template_name = "imports/batch.html"
    context_object_name = "batch"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        context["is_owner"] = batch.created_by_id == self.request.user.pk
        context["can_preview"] = context["is_owner"] and batch.status == BatchStatus.UPLOADED
        context["can_confirm"] = context["is_owner"] and batch.status == BatchStatus.PREVIEWED
        context["errors"] = batch.report.get("errors", [])
        context["notes"] = batch.report.get("notes", [])
        # A CCCD refused as held elsewhere: offer to request the record (issue 18 §3).
        context["transfer_offer"] = offers_transfer_request(self.request.user,
                                                            [error.get("message") for error in context["errors"]])
        return context


class BatchActionView(ActionView):
    """Preview or import a batch; only the person who uploaded the file may run it (others: 404)."""

    model = ImportBatch
    permission_required = "imports.add_importbatch"
    object_kwarg = "batch"

    def get_queryset(self):
        return super().get_queryset().filter(created_by=self.request.user).defer("report")

    def get_success_url(self):
        return reverse("imports:batch", args=[self.object.pk])


class BatchPreviewView(BatchActionView):
    service = services.import_batch_preview


class BatchConfirmView(BatchActionView):
    service = services.import_batch_confirm

    def succeeded(self):
        outcome = self.result
        if outcome.written:
            messages.success(self.request, IMPORTED % {"created": outcome.created, "updated": outcome.updated,
                                                       "unchanged": outcome.unchanged})
        else:
            messages.error(self.request, REFUSED)


class BatchProgressView(ScopedViewMixin, View):
    """{done, total, status} for the page that polls while a preview or an import runs."""

    model = ImportBatch
    permission_required = "imports.add_importbatch"

    def get(self, request, pk):
        row = ImportBatch.objects.for_user(request.user).filter(pk=pk).values("rows_done", "rows_total", "status")
        row = row.first()
        if row is None:
            raise Http404
        return JsonResponse({"done": row["rows_done"], "total": row["rows_total"], "status": row["status"],
                             "url": reverse("imports:batch", args=[pk])})
