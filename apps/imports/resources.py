"""The import engine's resource base and the registry of import kinds.

Each app that owns a model declares its resource in ``apps/<app>/resources.py``
(autodiscovered by ``apps.imports.apps.ImportsConfig.ready``), registered under
its kind with ``@import_kind(ImportKind.…)``; this module keeps what every kind shares.

Speed: bulk writes, no per-row diff, every lookup (khóm, people, existing
rows, CCCD owners) loaded once per file. Rules stay with their owners: rows
are checked with the model's own ``full_clean()``/``clean()`` (subjects),
cases are written through ``apps.cases.services``. Every row written gets an
AuditEvent with its diff; once any row is bad nothing more is written and
the whole import is rolled back.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.widgets import ManyToManyWidget

from apps.core.audit import AuditAction, audit_event, diff, snapshot, ward_id_of
from apps.core.models import AuditEvent
from apps.core.text import fold

from .lookups import KHOM_CODE_HEADER, KhomIndex
from .widgets import CCCDWidget, VietnameseDateWidget

DUPLICATE_IN_FILE = _("Trùng với dòng %(row)s trong cùng file.")

PROGRESS_EVERY = 250
AUDIT_BATCH = 1000

# Stateless cell parsers shared by every row (a widget per call cost more than the parse).
CCCD_CELL, DATE_CELL = CCCDWidget(), VietnameseDateWidget()


class ScopedResource(resources.ModelResource):
    """Shared machinery: the user's scope, row numbers, unchanged rows skipped, per-row audit, progress."""

    # Header → message key for errors found outside the fields (matching, khóm, duplicates).
    extra_columns = {"khom": KHOM_CODE_HEADER}
    # Headers the template offers and the ones a file must have.
    required_headers: list = []
    one_of_headers: tuple = ()
    export_only_headers: list = []
    # The downloadable template of the kind: its columns in order, and its example row (skipped on import).
    template_headers: list = []
    template_example: dict = {}
    # Fields not checked by full_clean here: resolved from lookups or derived by the model/service.
    clean_exclude: list = []
    compare_fields: list = []

    class Meta:
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_html_diff = True
        skip_unchanged = False
        report_skipped = False
        clean_model_instances = True
        use_transactions = True

    def __init__(self, user=None, progress=None, batch_id=None, row_numbers=None, file_name="", **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.progress = progress
        self.batch_id = batch_id
        self.row_numbers = row_numbers
        self.file_name = file_name
        self.notes = []
        self.failed = False
        self._before = None
        self._row_errors = {}
        self._row = 0
        self._total = 0
        self._import_fields = None
        self._folded = (None, "")

    # Headers -----------------------------------------------------------------------------------
    @classmethod
    def known_headers(cls) -> list:
        fields = [f.column_name for f in cls().fields.values()]
        return list(dict.fromkeys(fields + list(cls.export_only_headers)))

    def column_for(self, key) -> str:
        if key == NON_FIELD_ERRORS:
            return ""
        for field in self.fields.values():
            if field.attribute == key:
                return field.column_name
        return self.extra_columns.get(key, key)

    def excel_row(self, number: int) -> int:
        return self.row_numbers[number - 1] if self.row_numbers else number + 1

    def fold_name(self, name: str) -> str:
        """fold(name), computed once per row although both matching and the duplicate check need it."""
        if self._folded[0] != name:
            self._folded = (name, fold(name))
        return self._folded[1]

    # import-export hooks -----------------------------------------------------------------------
    def get_queryset(self):
        return self._meta.model.objects.for_user(self.user)

    def get_import_fields(self):
        # The library recomputes this list (field order and all) for every row; it never changes.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def before_import(self, dataset, **kwargs):
        self._total = len(dataset)
        self.khoms = KhomIndex(self.user, codes=set(column(dataset, KHOM_CODE_HEADER)))
        self.prepare(dataset)

    def before_import_row(self, row, **kwargs):
        self._row = kwargs.get("row_number", self._row + 1)
        self._row_errors = {}
        self._before = None

    def get_instance(self, instance_loader, row):
        try:
            return self.match(row)
        except ValidationError as error:
            self._row_errors = error.update_error_dict(self._row_errors)
            return None

    def after_init_instance(self, instance, new, row, **kwargs):
        self._before = None if new else snapshot(instance)

    def import_instance(self, instance, row, **kwargs):
        errors = dict(self._row_errors)
        try:
            self.import_fields(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.complete(instance, row, errors)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def import_fields(self, instance, row):
        """The library's import_instance() for our fields, without its per-field call chain.

        Same result: each writable field present in the row is cleaned by its widget (default
        when empty) and set on the instance; a ValueError becomes that field's error.
        """
        errors = {}
        for field in self.get_import_fields():
            if field.readonly or not field.attribute or field.column_name not in row:
                continue
            if "__" in field.attribute or isinstance(field.widget, ManyToManyWidget):
                try:
                    self.import_field(field, instance, row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(force_str(error), code="invalid")
                continue
            try:
                value = field.clean(row)
            except ValueError as error:
                errors[field.attribute] = ValidationError(force_str(error), code="invalid")
                continue
            if value is not None or field.saves_null_values:
                setattr(instance, field.attribute, value)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self._before is None:
            return False
        after = snapshot(instance)
        return all(self._before.get(name) == after.get(name) for name in self.compare_fields)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # Uniqueness is checked against the preloaded lookups, not with one query per row.
            instance.full_clean(exclude=list(errors) + self.clean_exclude, validate_unique=False,
                                validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        if self.failed:
            return  # the import will be rolled back: do not spend time writing
        super().save_instance(instance, is_create, row, **kwargs)

    def after_save_instance(self, instance, row, **kwargs):
        if self.failed:
            return
        # Kept on the instance until its batch is written, then logged and dropped: memory stays flat.
        instance._import_history = (self._before, self.excel_row(self._row))
        self.saved(instance)
        if not self._meta.use_bulk and not kwargs.get("dry_run"):
            self.write_history([instance])

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The library's bulk_create with the write itself in write_created() (the model's owner may take it)."""
        if self.create_instances and (using_transactions or not dry_run):
            written = list(self.create_instances)
            try:
                self.write_created(written, batch_size=batch_size)
            except Exception as error:  # the library's contract: the error goes to the result
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()
            if not dry_run:
                self.write_history(written)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The library's bulk_update with the write itself in write_updated()."""
        if self.update_instances and (using_transactions or not dry_run):
            written = list(self.update_instances)
            try:
                self.write_updated(written, self.get_bulk_update_fields(), batch_size=batch_size)
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()
            if not dry_run:
                self.write_history(written)

    def write_created(self, instances, *, batch_size):
        """Insert the new rows of a batch; a kind whose model has write rules calls its owner's service."""
        self._meta.model.objects.bulk_create(instances, batch_size=batch_size)

    def write_updated(self, instances, fields, *, batch_size):
        self._meta.model.objects.bulk_update(instances, fields, batch_size=batch_size)

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.validation_error is not None or row_result.errors:
            self.failed = True
        if self.progress and (self._row % PROGRESS_EVERY == 0 or self._row == self._total):
            self.progress(self._row, self._total)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or self.failed or result.has_errors():
            return
        self.finish()

    # History -----------------------------------------------------------------------------------
    def write_history(self, instances):
        """One AuditEvent per row written, with its diff; bulk-inserted (the log is append-only)."""
        user = self.user if getattr(self.user, "pk", None) else None
        object_type = self._meta.model._meta.label_lower
        events = []
        for instance in instances:
            before, excel_row = instance.__dict__.pop("_import_history", (None, None))
            if instance.pk is None:
                continue  # the write failed; the import is being rolled back
            # Address, request id and source from the audit context, as for every other event.
            event = audit_event(
                AuditAction.UPDATE if before else AuditAction.CREATE, user=user, object_type=object_type,
                object_id=str(instance.pk), object_repr=str(instance), ward_id=ward_id_of(instance),
                changes=diff(before, snapshot(instance)),
                extra={"via": "import", "import_batch": self.batch_id, "file": self.file_name, "row": excel_row},
            )
            if event.user_id is None:
                event.username = "import"
            events.append(event)
        AuditEvent.objects.bulk_create(events, batch_size=AUDIT_BATCH)

    # Per-kind parts ----------------------------------------------------------------------------
    def prepare(self, dataset):
        """Load everything the rows will be matched against."""

    def match(self, row):
        """The existing instance this row updates, or None for a new one."""
        return None

    def complete(self, instance, row, errors):
        """Set what the fields cannot (links found in lookups) and check duplicates inside the file."""

    def saved(self, instance):
        """Remember what finish() needs about a row just saved."""

    def finish(self):
        """Work after a successful write (e.g. derived columns)."""

    def note(self, message):
        self.notes.append((self.excel_row(self._row), str(message)))

    def duplicate_in_file(self, seen: dict, key, field: str, errors: dict):
        if key in seen:
            errors.setdefault(field, []).append(ValidationError(DUPLICATE_IN_FILE % {"row": seen[key]}))
        else:
            seen[key] = self.excel_row(self._row)


def column(dataset, header):
    """The cells of *header* in *dataset*, or none when the file has no such column."""
    if header not in (dataset.headers or []):
        return []
    return dataset[header]


def fixed_labels(choices) -> dict:
    """Labels in Vietnamese whatever the active language, so a file means the same for everyone."""
    from django.utils import translation

    with translation.override("vi"):
        return {value: str(label) for value, label in choices.choices}




# kind (ImportKind value) → resource class; filled by the apps' resources modules.
RESOURCES: dict = {}


def import_kind(kind: str):
    """Class decorator: *cls* is the resource of import kind *kind* (one resource per kind)."""
    def register(cls):
        if kind in RESOURCES:
            raise ImproperlyConfigured(f"import kind {kind!r} has two resources: {RESOURCES[kind].__name__}, {cls.__name__}")
        RESOURCES[kind] = cls
        cls.import_kind = kind
        return cls
    return register


def resource_for(kind: str):
    """The resource class of *kind*; an unknown kind is a programming error, not a user's."""
    return RESOURCES[kind]
