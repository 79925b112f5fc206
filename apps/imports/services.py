"""Upload, preview and confirm of an import batch."""
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import BatchStatus
from .engine import ImportOutcome, run_import
from .models import ImportBatch
from .progress import BatchProgress

BATCH_NOT_READY = _("Lượt nhập này chưa được kiểm tra hoặc đã được xử lý: hãy tải file lên lại.")
BATCH_HAS_ERRORS = _("File còn lỗi: hãy sửa các dòng được báo lỗi rồi tải lên lại.")


def import_batch_upload(*, user, kind: str, file_name: str, data: bytes) -> ImportBatch:
    """Keep the uploaded bytes in the database until the user confirms (any app server can then finish)."""
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
    outcome = _run(batch, user=user, dry_run=False)
    _store(batch, outcome, BatchStatus.IMPORTED if outcome.written else BatchStatus.REFUSED)
    return outcome
