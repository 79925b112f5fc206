"""Upload, preview and confirm of an import batch; the check and the audited refusal of an uploaded file."""
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import AuditAction, audit

from .archive import ImportFileError, check_workbook, safe_file_name
from .choices import BatchStatus
from .engine import ImportOutcome, run_import
from .models import ImportBatch
from .progress import BatchProgress

BATCH_NOT_READY = _("Lượt nhập này chưa được kiểm tra hoặc đã được xử lý: hãy tải file lên lại.")
BATCH_HAS_ERRORS = _("File còn lỗi: hãy sửa các dòng được báo lỗi rồi tải lên lại.")


def import_file_refused(*, user, kind: str, file_name: str, message, source: str) -> None:
    """Audit the refusal of a whole file before any of it was read into the database."""
    name = safe_file_name(file_name)
    audit(AuditAction.IMPORT, user=user if getattr(user, "pk", None) else None,
          object_type="imports.importbatch", object_repr=name,
          extra={"kind": kind, "file": name, "source": source, "refused": str(message), "dry_run": False, "rows": 0,
                 "written": False})


def import_file_check(*, user, kind: str, file_name: str, data: bytes, source: str) -> None:
    """Check an uploaded file (apps.imports.archive) before it is kept or parsed; a refusal is audited.

    Raises ValidationError with the reason, which names the limit the file broke.
    """
    try:
        check_workbook(data, file_name=file_name)
    except ImportFileError as error:
        import_file_refused(user=user, kind=kind, file_name=file_name, message=error.message, source=source)
        raise ValidationError(error.message, code="refused") from error


def import_batch_upload(*, user, kind: str, file_name: str, data: bytes, source: str = "web") -> ImportBatch:
    """Check the uploaded bytes, then keep them in the database until the user confirms (any app server can then finish)."""
    import_file_check(user=user, kind=kind, file_name=file_name, data=data, source=source)
    batch = ImportBatch(created_by=user, kind=kind, file_name=file_name[:255], file_bytes=data,
                        ward_id=user.primary_ward_id)
    batch.full_clean(exclude=["file_bytes"])
    batch.save()
    return batch


def _claim(batch: ImportBatch, *, allowed, to) -> bool:
    """Move the batch from one of *allowed* to *to* in one UPDATE, so two clicks cannot both run it."""
    claimed = ImportBatch.objects.filter(pk=batch.pk, status__in=allowed).update(status=to, rows_done=0)
    return bool(claimed)


def _store(batch: ImportBatch, outcome: ImportOutcome, status: str) -> None:
    batch.status = status
    batch.rows_total = outcome.total
    batch.rows_done = outcome.total
    batch.rows_created, batch.rows_updated = outcome.created, outcome.updated
    batch.rows_unchanged, batch.rows_error = outcome.unchanged, outcome.error_rows
    batch.report = outcome.as_dict()
    if outcome.written:
        batch.imported_at = timezone.now()
    batch.save(update_fields=["status", "rows_total", "rows_done", "rows_created", "rows_updated", "rows_unchanged",
                              "rows_error", "report", "imported_at", "updated_at"])


def _run(batch: ImportBatch, *, user, dry_run: bool) -> ImportOutcome:
    progress = BatchProgress(batch.pk)
    try:
        return run_import(kind=batch.kind, data=bytes(batch.file_bytes), file_name=batch.file_name, user=user,
                          dry_run=dry_run, progress=progress, batch_id=batch.pk)
    finally:
        progress.close()


def import_batch_preview(*, batch: ImportBatch, user) -> ImportOutcome:
    """Check every row and report what would happen; nothing is written."""
    if not _claim(batch, allowed=[BatchStatus.UPLOADED, BatchStatus.PREVIEWED, BatchStatus.REFUSED],
                  to=BatchStatus.UPLOADED):
        raise ValidationError(BATCH_NOT_READY)
    outcome = _run(batch, user=user, dry_run=True)
    _store(batch, outcome, BatchStatus.PREVIEWED if outcome.ok else BatchStatus.REFUSED)
    return outcome


def import_batch_confirm(*, batch: ImportBatch, user) -> ImportOutcome:
    """Write every row of a previewed batch in one transaction, or none if anything changed meanwhile."""
    if not _claim(batch, allowed=[BatchStatus.PREVIEWED], to=BatchStatus.IMPORTING):
        raise ValidationError(BATCH_NOT_READY)
    try:
        outcome = _run(batch, user=user, dry_run=False)
    except BaseException:
        # Nothing was written (the import is one transaction): the batch is not left "importing" for good,
        # it may be previewed again.
        ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.IMPORTING).update(
            status=BatchStatus.REFUSED, updated_at=timezone.now())
        raise
    _store(batch, outcome, BatchStatus.IMPORTED if outcome.written else BatchStatus.REFUSED)
    return outcome


# The admin's import (apps.imports.admin) keeps its upload in a batch too and moves it through the
# same states: uploaded → previewed (dry run passed) or refused → importing → imported or refused.

def import_batch_refuse(*, batch_id: int, user, error: ImportFileError, source: str) -> None:
    """A batch whose file was refused once read (its header, a formula, too many rows…): refused, the reason kept and audited."""
    batch = ImportBatch.objects.filter(pk=batch_id).only("kind", "file_name").first()
    if batch is None:
        return
    problem = {"row": error.row, "column": error.column, "message": str(error.message)}
    ImportBatch.objects.filter(pk=batch_id).update(status=BatchStatus.REFUSED, report={"errors": [problem]},
                                                   updated_at=timezone.now())
    import_file_refused(user=user, kind=batch.kind, file_name=batch.file_name, message=error.message,
                        source=source)


def import_batch_previewed(*, batch_id: int, ok: bool, total: int) -> None:
    """Record the admin's dry run: previewed when every row passed (it may then be confirmed), refused otherwise."""
    ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.UPLOADED).update(
        status=BatchStatus.PREVIEWED if ok else BatchStatus.REFUSED, rows_total=total, rows_done=total,
        updated_at=timezone.now())


def import_batch_claim(*, batch_id: int, user) -> bool:
    """Take a previewed batch of *user* for importing, in one UPDATE: a second confirmation finds nothing to take."""
    return bool(ImportBatch.objects.filter(pk=batch_id, created_by=user, status=BatchStatus.PREVIEWED)
                .update(status=BatchStatus.IMPORTING, updated_at=timezone.now()))


def import_batch_imported(*, batch_id: int, written: bool, created: int, updated: int, unchanged: int,
                          error_rows: int) -> None:
    """Record how the admin's import of a claimed batch ended."""
    ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.IMPORTING).update(
        status=BatchStatus.IMPORTED if written else BatchStatus.REFUSED, rows_created=created, rows_updated=updated,
        rows_unchanged=unchanged, rows_error=error_rows, imported_at=timezone.now() if written else None,
        updated_at=timezone.now())
