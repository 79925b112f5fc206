"""The one import engine behind the web pages and ``manage.py import_xlsx``: read, check, write all or nothing."""
import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

import tablib
from django.utils.translation import gettext_lazy as _

from apps.core.audit import AuditAction, audit

from .archive import safe_file_name
from .reader import SHEET_EMPTY, ImportFileError, read_sheet
from .resources import RESOURCES

UNEXPECTED_ERROR = _("Lỗi khi ghi dữ liệu: %(error)s")
# Enough to fix a file; a file with more errors than this is reported by its first ones.
MAX_REPORTED_ERRORS = 500


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def as_text(self) -> str:
        where = []
        if self.row:
            where.append(str(_("Dòng %(row)s") % {"row": self.row}))
        if self.column:
            where.append(str(_("cột “%(column)s”") % {"column": self.column}))
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportOutcome:
    """What an import found or did; ``written`` is true only when rows reached the database."""

    kind: str
    file_name: str
    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "file_name": self.file_name, "dry_run": self.dry_run, "total": self.total,
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "error_rows": self.error_rows, "written": self.written,
            "errors": [p.__dict__ for p in self.errors[:MAX_REPORTED_ERRORS]],
            "notes": [p.__dict__ for p in self.notes[:MAX_REPORTED_ERRORS]],
        }


def _messages(error) -> list:
    return [str(message) for message in error.messages] if hasattr(error, "messages") else [str(error)]


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cycle collector for the length of an import; reference counting frees memory as usual.

    An import keeps tens of thousands of objects alive at once (rows, model instances, row results,
    audit diffs) and allocates hundreds of thousands more. Each allocation brings the next automatic
    collection closer, and every full collection walks the whole process heap again, finding next to
    nothing: about a sixth of a 10,000-row import went there. The few cycles an import makes (the
    tracebacks kept with refused rows) are collected once the collector resumes at the end; peak
    memory is unchanged. Process-wide, so other threads go without cycle collection for those
    seconds; it is left alone if something else had already turned it off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@cyclic_gc_paused()
def run_import(*, kind: str, data: bytes, file_name: str, user, dry_run: bool, progress=None,
               batch_id=None) -> ImportOutcome:
    """Check every row of *data*; unless *dry_run*, write them all in one transaction — or, on any error, none."""
    resource_class = RESOURCES[kind]
    outcome = ImportOutcome(kind=kind, file_name=file_name, dry_run=dry_run)
    try:
        sheet = read_sheet(data, known=resource_class.known_headers(), required=resource_class.required_headers,
                           one_of=resource_class.one_of_headers)
    except ImportFileError as error:
        outcome.errors.append(Problem(error.row, error.column, str(error.message)))
        _audit(outcome, user=user, batch_id=batch_id, refused=error.message)
        return outcome
    from .template import is_example

    kept = [(r, n) for r, n in zip(sheet.rows, sheet.row_numbers) if not is_example(kind, r)]
    sheet.rows, sheet.row_numbers = [r for r, _n in kept], [n for _r, n in kept]
    if not sheet.rows:
        outcome.errors.append(Problem(None, "", str(SHEET_EMPTY)))
        _audit(outcome, user=user, batch_id=batch_id)
        return outcome
    outcome.total = len(sheet.rows)
    if progress:
        progress(0, outcome.total)
    dataset = tablib.Dataset(headers=sheet.headers)
    for record in sheet.rows:
        dataset.append([record[h] for h in sheet.headers])
    sheet.rows = None  # the dataset holds the values now; keep one copy in memory, not two
    resource = resource_class(user=user, progress=progress, batch_id=batch_id, row_numbers=sheet.row_numbers,
                              file_name=file_name)
    result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True,
                                  rollback_on_validation_errors=True, raise_errors=False)
    for invalid in result.invalid_rows:
        row = resource.excel_row(invalid.number)
        for key, messages in invalid.error_dict.items():
            for message in messages:
                outcome.errors.append(Problem(row, resource.column_for(key), str(message)))
    for number, errors in result.row_errors():
        for error in errors:
            outcome.errors.append(Problem(resource.excel_row(number), "", "; ".join(_messages(error.error))))
    for error in result.base_errors:
        outcome.errors.append(Problem(None, "", str(UNEXPECTED_ERROR % {"error": error.error})))
    outcome.errors.sort(key=lambda p: (p.row or 0, p.column))
    outcome.error_rows = len({p.row for p in outcome.errors if p.row})
    outcome.notes = [Problem(row, "", message) for row, message in resource.notes]
    totals = result.totals
    outcome.created, outcome.updated = totals.get("new", 0), totals.get("update", 0)
    outcome.unchanged = totals.get("skip", 0)
    outcome.written = not dry_run and outcome.ok
    if progress:
        progress(outcome.total, outcome.total)
    _audit(outcome, user=user, batch_id=batch_id)
    return outcome


def _audit(outcome: ImportOutcome, *, user, batch_id, refused=None):
    """One event per import run: which file, what kind, the counts, and whether anything was written.

    *refused* is the reason when the whole file was refused before any row was read.
    """
    name = safe_file_name(outcome.file_name)
    extra = {"kind": outcome.kind, "file": name, "dry_run": outcome.dry_run,
             "rows": outcome.total, "created": outcome.created, "updated": outcome.updated,
             "unchanged": outcome.unchanged, "error_rows": outcome.error_rows,
             "errors": len(outcome.errors), "written": outcome.written}
    if refused is not None:
        extra["refused"] = str(refused)
    audit(AuditAction.IMPORT, user=user if getattr(user, "pk", None) else None,
          object_type="imports.importbatch", object_id=batch_id or "", object_repr=name, extra=extra)
