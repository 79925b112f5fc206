"""django-import-export resources, one per model, tuned for speed and scoped to the importing user.

Speed: bulk writes, no per-row diff, every lookup (khóm, people, existing
rows, CCCD owners) loaded once per file. Rules stay with their owners: rows
are checked with the model's own ``full_clean()``/``clean()`` (subjects),
cases are written through ``apps.cases.services``. Every row written gets an
AuditEvent with its diff; once any row is bad nothing more is written and
the whole import is rolled back.
"""
import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.widgets import ManyToManyWidget

from apps.core.audit import AuditAction, audit_event, diff, snapshot
from apps.core.models import AuditEvent
from apps.core.text import fold
from apps.cases.models import Case
from apps.subjects.choices import Gender, SampleType, TestResult
from apps.subjects.columns import GENDER_LABELS, PERSON_HEADERS, STT_HEADER
from apps.subjects.models import CCCD_UNAVAILABLE, DrugTest, Person

from .lookups import KhomIndex
from .widgets import (CCCDWidget, ChoiceLabelWidget, CountWidget, DecimalNumberWidget, TextWidget,
                      VietnameseDateWidget)

DUPLICATE_IN_FILE = _("Trùng với dòng %(row)s trong cùng file.")
PERSON_ID_UNKNOWN = _("Không có hồ sơ số %(value)s trong phạm vi bạn phụ trách.")
PERSON_ID_INVALID = _("Số hồ sơ “%(value)s” không phải là số.")
PERSON_NUMBER_AMBIGUOUS = _("Số hồ sơ %(value)s có ở nhiều phường bạn phụ trách: hãy ghi khóm hoặc số CCCD.")
PERSON_AMBIGUOUS = _("Có nhiều đối tượng cùng họ tên và ngày sinh: hãy ghi Số hồ sơ hoặc số CCCD.")
PERSON_NOT_FOUND = _("Không tìm thấy đối tượng này trong phạm vi bạn phụ trách (theo Số hồ sơ, CCCD hoặc họ tên và ngày sinh).")
SUSPECT_SAME_PERSON = _("Khớp theo họ tên và ngày sinh với hồ sơ số %(pk)s (không có CCCD để đối chiếu): sẽ cập nhật hồ sơ này.")
SUSPECT_OTHER_CCCD = _("Trùng họ tên và ngày sinh với hồ sơ số %(pk)s nhưng khác CCCD: sẽ tạo hồ sơ mới.")
CASE_NUMBER_UNKNOWN = _("Không có vụ việc số %(value)s trong phạm vi bạn phụ trách.")

PROGRESS_EVERY = 250
AUDIT_BATCH = 1000

# Headers of the person layout (apps.subjects.columns) — the export writes them, the import reads them.
# H_ID is the per-ward file number (Số hồ sơ), matched within the user's scope.
H_ID, H_NAME, H_GENDER, H_DOB, H_CCCD, H_KHOM_CODE, H_KHOM, H_WARD = PERSON_HEADERS[:8]


# Stateless cell parsers shared by every row (a widget per call cost more than the parse).
CCCD_CELL, DATE_CELL = CCCDWidget(), VietnameseDateWidget()


def _parse_pk(value):
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({"id": PERSON_ID_INVALID % {"value": value}})
    if not number.is_integer():
        raise ValidationError({"id": PERSON_ID_INVALID % {"value": value}})
    return int(number)


class ScopedResource(resources.ModelResource):
    """Shared machinery: the user's scope, row numbers, unchanged rows skipped, per-row audit, progress."""

    # Header → message key for errors found outside the fields (matching, khóm, duplicates).
    extra_columns = {"id": H_ID, "khom": H_KHOM_CODE}
    # Headers the template offers and the ones a file must have.
    required_headers: list = []
    one_of_headers: tuple = ()
    export_only_headers: list = []
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
        self.khoms = KhomIndex(self.user, codes=set(_column(dataset, H_KHOM_CODE)))
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
        written = list(self.create_instances)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)
        if not dry_run:
            self.write_history(written)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        written = list(self.update_instances)
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)
        if not dry_run:
            self.write_history(written)

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
                object_id=str(instance.pk), object_repr=str(instance), ward_id=instance.audit_ward_id(),
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


def _column(dataset, header):
    if header not in (dataset.headers or []):
        return []
    return dataset[header]


class PersonResource(ScopedResource):
    """People under management; reads the layout /subjects/export.xlsx writes (apps.subjects.columns)."""

    full_name = Field(attribute="full_name", column_name=H_NAME, widget=TextWidget(collapse_spaces=True))
    gender = Field(attribute="gender", column_name=H_GENDER, widget=ChoiceLabelWidget(Gender, GENDER_LABELS))
    date_of_birth = Field(attribute="date_of_birth", column_name=H_DOB, widget=VietnameseDateWidget())
    cccd = Field(attribute="cccd", column_name=H_CCCD, widget=CCCDWidget())
    khom_code = Field(attribute="khom__code", column_name=H_KHOM_CODE, readonly=True)
    khom_name = Field(attribute="khom__name", column_name=H_KHOM, readonly=True)
    address = Field(attribute="address", column_name="Địa chỉ", widget=TextWidget())
    phone = Field(attribute="phone", column_name="Số điện thoại", widget=TextWidget())
    occupation = Field(attribute="occupation", column_name="Nghề nghiệp", widget=TextWidget())
    notes = Field(attribute="notes", column_name="Ghi chú", widget=TextWidget())

    required_headers = [H_NAME, H_GENDER, H_DOB]
    one_of_headers = (H_KHOM_CODE, H_KHOM)
    # Written by the export, ignored on the way back: they are derived, not typed.
    # "Mã hồ sơ" (the database id) is what files exported before the số hồ sơ carried: read, not matched.
    export_only_headers = [STT_HEADER, H_ID, H_WARD, "Tình trạng hiện tại", "Hạn xét nghiệm tiếp theo", "Mã hồ sơ"]
    clean_exclude = ["khom", "status", "next_test_due", "search_text"]
    compare_fields = ["full_name", "gender", "date_of_birth", "cccd", "khom_id", "address", "phone", "occupation",
                      "notes"]

    class Meta:
        model = Person
        fields = ["full_name", "gender", "date_of_birth", "cccd", "khom_code", "khom_name", "address", "phone",
                  "occupation", "notes"]

    def get_bulk_update_fields(self):
        return ["full_name", "gender", "date_of_birth", "cccd", "khom", "address", "phone", "occupation", "notes",
                "search_text", "version", "updated_at"]

    def prepare(self, dataset):
        date_widget, cccd_widget = DATE_CELL, CCCD_CELL
        pks, cccds, births = set(), set(), set()
        for value in _column(dataset, H_ID):
            try:
                pk = _parse_pk(value)
            except ValidationError:
                continue
            if pk:
                pks.add(pk)
        for value in _column(dataset, H_CCCD):
            cccd = cccd_widget.clean(value)
            if cccd:
                cccds.add(cccd)
        for value in _column(dataset, H_DOB):
            try:
                born = date_widget.clean(value)
            except ValueError:
                continue
            if born:
                births.add(born)
        from django.db.models import Q

        people = Person.objects.for_user(self.user).filter(
            Q(file_number__in=pks) | Q(cccd__in=cccds) | Q(date_of_birth__in=births)).select_related("khom")
        self.by_pk, self.by_number, self.by_cccd, self.by_name = {}, {}, {}, {}
        for person in people:
            self.by_pk[person.pk] = person
            if person.file_number in pks:
                self.by_number.setdefault(person.file_number, []).append(person)
            if person.cccd:
                self.by_cccd[person.cccd] = person
            self.by_name.setdefault((person.khom.ward_id, fold(person.full_name), person.date_of_birth), []).append(person)
        # Owners of the file's CCCDs anywhere, in scope or not: a CCCD is unique nationwide.
        self.cccd_owner = dict(Person._base_manager.filter(cccd__in=cccds).values_list("cccd", "pk"))
        self.seen_pk, self.seen_cccd, self.seen_name = {}, {}, {}
        self.cccd_refused = set()

    def import_data(self, dataset, **kwargs):
        result = super().import_data(dataset, **kwargs)
        # After the library's transaction, which a refused row rolls back: the lookups must stay.
        from apps.subjects.services import cccd_lookups_record

        cccd_lookups_record(user=self.user, cccds=getattr(self, "cccd_refused", ()), source="import")
        return result

    def match(self, row):
        self._khom, self._khom_error = self.khoms.resolve(row.get(H_KHOM_CODE), row.get(H_KHOM), row.get(H_WARD))
        number = _parse_pk(row.get(H_ID))
        if number:
            return self.by_file_number(number, ward_id=self._khom.ward_id if self._khom is not None else None)
        cccd = CCCD_CELL.clean(row.get(H_CCCD))
        if cccd and cccd in self.by_cccd:
            return self.by_cccd[cccd]
        if self._khom is None:
            return None
        try:
            born = DATE_CELL.clean(row.get(H_DOB))
        except ValueError:
            return None
        name = " ".join(str(row.get(H_NAME) or "").split())
        same = self.by_name.get((self._khom.ward_id, self.fold_name(name), born), [])
        if cccd:
            # A different CCCD means a different person; one without CCCD may be this row's person.
            without = [p for p in same if not p.cccd]
            if not without:
                if same:
                    self.note(SUSPECT_OTHER_CCCD % {"pk": same[0].file_number})
                return None
            same = without
        if len(same) > 1:
            raise ValidationError({NON_FIELD_ERRORS: PERSON_AMBIGUOUS})
        if len(same) == 1:
            self.note(SUSPECT_SAME_PERSON % {"pk": same[0].file_number})
            self._by_name = True
            return same[0]
        return None

    def by_file_number(self, number, ward_id=None):
        """The person in scope with this số hồ sơ (in *ward_id* when several wards have one)."""
        found = self.by_number.get(number, [])
        if len(found) > 1 and ward_id is not None:
            found = [person for person in found if person.file_ward_id == ward_id]
        if not found:
            raise ValidationError({"id": PERSON_ID_UNKNOWN % {"value": number}})
        if len(found) > 1:
            raise ValidationError({"id": PERSON_NUMBER_AMBIGUOUS % {"value": number}})
        return found[0]

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self._by_name = False

    def complete(self, instance, row, errors):
        if self._khom_error:
            errors.setdefault("khom", []).append(ValidationError(self._khom_error))
        else:
            instance.khom = self._khom
        if self._by_name and not instance.cccd and self._before:
            # Matched on name and birth date only: an empty CCCD cell must not erase the recorded one.
            instance.cccd = self._before["cccd"]
        if instance.pk:
            self.duplicate_in_file(self.seen_pk, instance.pk, "id", errors)
        if instance.cccd:
            self.duplicate_in_file(self.seen_cccd, instance.cccd, "cccd", errors)
            owner = self.cccd_owner.get(instance.cccd)
            if owner is not None and owner != instance.pk:
                # The same words as the register's pages, whoever holds the number (issue 14).
                errors.setdefault("cccd", []).append(ValidationError(CCCD_UNAVAILABLE, code="unique"))
                self.cccd_refused.add(instance.cccd)
        if self._khom is not None and instance.full_name and instance.date_of_birth:
            key = (self._khom.ward_id, self.fold_name(instance.full_name), instance.date_of_birth)
            self.duplicate_in_file(self.seen_name, key, "full_name", errors)

    def before_save_instance(self, instance, row, **kwargs):
        # bulk_create/bulk_update bypass Person.save(): do its work here.
        instance.cccd = instance.cccd or None
        instance.search_text = instance.build_search_text()
        if instance.pk is None:
            instance.created_by_id = getattr(self.user, "pk", None)
        else:
            instance.version += 1
            instance.updated_at = timezone.now()


class DrugTestResource(ScopedResource):
    """Drug test results, each attached to a person found by Số hồ sơ, CCCD, or name and date of birth."""

    person_id_col = Field(attribute="person__file_number", column_name=H_ID, readonly=True)
    person_name = Field(attribute="person__full_name", column_name=H_NAME, readonly=True)
    person_dob = Field(attribute="person__date_of_birth", column_name=H_DOB, readonly=True,
                       widget=VietnameseDateWidget())
    person_cccd = Field(attribute="person__cccd", column_name=H_CCCD, readonly=True)
    tested_on = Field(attribute="tested_on", column_name="Ngày xét nghiệm", widget=VietnameseDateWidget())
    sample_type = Field(attribute="sample_type", column_name="Mẫu xét nghiệm", default=SampleType.URINE,
                        widget=ChoiceLabelWidget(SampleType, {v: str(l) for v, l in [
                            (SampleType.URINE, "Nước tiểu"), (SampleType.BLOOD, "Máu"),
                            (SampleType.SALIVA, "Nước bọt"), (SampleType.HAIR, "Tóc"), (SampleType.OTHER, "Khác")]}))
    result = Field(attribute="result", column_name="Kết quả", widget=ChoiceLabelWidget(TestResult, {
        TestResult.POSITIVE: "Dương tính", TestResult.NEGATIVE: "Âm tính",
        TestResult.INVALID: "Không xác định được"}))
    substances = Field(attribute="substances", column_name="Chất phát hiện", widget=TextWidget())
    tested_by = Field(attribute="tested_by", column_name="Người/đơn vị xét nghiệm", widget=TextWidget())
    notes = Field(attribute="notes", column_name="Ghi chú", widget=TextWidget())

    extra_columns = {"id": H_ID, "person": H_NAME}
    required_headers = ["Ngày xét nghiệm", "Kết quả"]
    one_of_headers = (H_ID, H_CCCD, H_NAME)
    clean_exclude = ["person", "episode"]
    compare_fields = ["tested_on", "sample_type", "result", "substances", "tested_by", "notes"]

    class Meta:
        model = DrugTest
        fields = ["person_id_col", "person_name", "person_dob", "person_cccd", "tested_on", "sample_type", "result",
                  "substances", "tested_by", "notes"]

    def get_bulk_update_fields(self):
        return ["tested_on", "sample_type", "result", "substances", "tested_by", "notes", "updated_at"]

    def prepare(self, dataset):
        people = PersonResource(user=self.user)
        people.prepare(dataset)
        self.people = people
        tested = {d for d in (self._date(v) for v in _column(dataset, "Ngày xét nghiệm")) if d}
        ids = {p.pk for p in people.by_pk.values()}
        self.existing = {
            (t.person_id, t.tested_on, t.sample_type): t
            for t in DrugTest.objects.filter(person_id__in=ids, tested_on__in=tested).select_related("person__khom")
        }
        self.seen = {}
        self.tested_people = {}
        self.sample_lookup = ChoiceLabelWidget(SampleType).lookup
        # A test file has no khóm column: match name and birth date across the user's whole scope.
        self.by_name_anywhere = {}
        for (_ward, name, born), group in people.by_name.items():
            self.by_name_anywhere.setdefault((name, born), []).extend(group)

    @staticmethod
    def _date(value):
        try:
            return DATE_CELL.clean(value)
        except ValueError:
            return None

    def find_person(self, row):
        people = self.people
        number = _parse_pk(row.get(H_ID))
        if number:
            return people.by_file_number(number)
        cccd = CCCD_CELL.clean(row.get(H_CCCD))
        if cccd:
            if cccd in people.by_cccd:
                return people.by_cccd[cccd]
            raise ValidationError({"person": PERSON_NOT_FOUND})
        born = self._date(row.get(H_DOB))
        name = fold(" ".join(str(row.get(H_NAME) or "").split()))
        same = self.by_name_anywhere.get((name, born), [])
        if len(same) > 1:
            raise ValidationError({"person": PERSON_AMBIGUOUS})
        if not same:
            raise ValidationError({"person": PERSON_NOT_FOUND})
        return same[0]

    def match(self, row):
        self._person = self.find_person(row)
        sample = self.sample_lookup.get(fold(str(row.get("Mẫu xét nghiệm") or ""))) or SampleType.URINE
        return self.existing.get((self._person.pk, self._date(row.get("Ngày xét nghiệm")), sample))

    def complete(self, instance, row, errors):
        person = getattr(self, "_person", None)
        if person is None or self._row_errors:
            return
        instance.person = person
        self.duplicate_in_file(self.seen, (person.pk, instance.tested_on, instance.sample_type), "tested_on", errors)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self._person = None

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.created_by_id = getattr(self.user, "pk", None)
        else:
            instance.updated_at = timezone.now()

    def saved(self, instance):
        self.tested_people[instance.person_id] = instance.person

    def finish(self):
        from apps.subjects.services import person_sync_status

        # A new test moves the person's next test date; recompute once per person, not per row.
        for person in self.tested_people.values():
            person_sync_status(person=person)


class CaseResource(ScopedResource):
    """Case records, written one by one through apps.cases.services (numbering, scope, audit live there)."""

    number = Field(attribute="number", column_name="Số vụ việc", widget=CountWidget())
    detected_on = Field(attribute="detected_on", column_name="Ngày phát hiện", widget=VietnameseDateWidget())
    khom_code = Field(attribute="khom__code", column_name=H_KHOM_CODE, readonly=True)
    khom_name = Field(attribute="khom__name", column_name=H_KHOM, readonly=True)
    ward_name = Field(attribute="ward__name", column_name=H_WARD, readonly=True)
    kind = Field(attribute="kind", column_name="Loại vụ việc", widget=None)
    handling = Field(attribute="handling", column_name="Hình thức xử lý", widget=None)
    place = Field(attribute="place", column_name="Nơi phát hiện", widget=TextWidget())
    summary = Field(attribute="summary", column_name="Tóm tắt", widget=TextWidget())
    plants_destroyed = Field(attribute="plants_destroyed", column_name="Số cây bị phá hủy", widget=CountWidget())
    area_destroyed_m2 = Field(attribute="area_destroyed_m2", column_name="Diện tích bị phá hủy (m²)",
                              widget=DecimalNumberWidget())

    extra_columns = {"khom": H_KHOM_CODE, "number": "Số vụ việc"}
    required_headers = ["Ngày phát hiện", "Loại vụ việc"]
    one_of_headers = (H_KHOM_CODE, H_KHOM)
    clean_exclude = ["khom", "ward", "year", "number", "search_text", "officer"]
    compare_fields = ["detected_on", "khom_id", "kind", "handling", "place", "summary", "plants_destroyed",
                      "area_destroyed_m2"]

    class Meta:
        # One service call per row: numbering takes a lock per (ward, year) and the service audits.
        use_bulk = False
        model = Case
        fields = ["number", "detected_on", "khom_code", "khom_name", "ward_name", "kind", "handling", "place",
                  "summary", "plants_destroyed", "area_destroyed_m2"]

    def __init__(self, *args, **kwargs):
        from apps.cases.choices import CaseHandling, CaseKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].widget = ChoiceLabelWidget(CaseKind, _fixed_labels(CaseKind))
        self.fields["handling"].widget = ChoiceLabelWidget(CaseHandling, _fixed_labels(CaseHandling))
        self.fields["handling"].default = CaseHandling.VERIFYING

    def prepare(self, dataset):
        self.existing = {(c.ward_id, c.year, c.number): c
                         for c in Case.objects.for_user(self.user).select_related("khom", "ward")
                         .filter(number__in=[n for n in (CountWidget().clean(v) if str(v or "").isdigit() else None
                                                         for v in _column(dataset, "Số vụ việc")) if n])}
        self.seen = {}

    def match(self, row):
        self._khom, self._khom_error = self.khoms.resolve(row.get(H_KHOM_CODE), row.get(H_KHOM), row.get(H_WARD))
        try:
            number = CountWidget().clean(row.get("Số vụ việc"))
            detected = DATE_CELL.clean(row.get("Ngày phát hiện"))
        except ValueError:
            return None
        if not number or self._khom is None or detected is None:
            return None
        return self.existing.get((self._khom.ward_id, detected.year, number))

    def complete(self, instance, row, errors):
        if self._khom_error:
            errors.setdefault("khom", []).append(ValidationError(self._khom_error))
            return
        instance.khom = self._khom
        instance.derive()
        if instance.number:
            self.duplicate_in_file(self.seen, (instance.ward_id, instance.year, instance.number), "number", errors)

    def do_instance_save(self, instance, is_create):
        from apps.cases import services

        data = services.CaseData(
            khom=instance.khom, detected_on=instance.detected_on, kind=instance.kind, handling=instance.handling,
            place=instance.place, summary=instance.summary, officer=instance.officer,
            number=instance.number or None, plants_destroyed=instance.plants_destroyed,
            area_destroyed_m2=instance.area_destroyed_m2)
        if is_create:
            saved = services.case_create(user=self.user, data=data)
        else:
            stored = Case.objects.get(pk=instance.pk)
            # The file carries no seized items or participants: keep the recorded ones.
            items = [services.SeizedItemData(substance=i.substance, quantity=i.quantity, unit=i.unit)
                     for i in stored.seized_items.all()]
            people = [services.ParticipantData(role=p.role, person=p.person, outsider_name=p.outsider_name,
                                               outsider_birth_year=p.outsider_birth_year,
                                               outsider_residence=p.outsider_residence, outcome=p.outcome)
                      for p in stored.participants.select_related("person")]
            saved = services.case_update(case=stored, user=self.user, expected_version=stored.version, data=data,
                                         seized_items=items, participants=people)
        instance.pk, instance.number, instance.version = saved.pk, saved.number, saved.version

    def write_history(self, instances):
        """The case services already wrote one AuditEvent per case."""


def _fixed_labels(choices) -> dict:
    """Labels in Vietnamese whatever the active language, so a file means the same for everyone."""
    from django.utils import translation

    with translation.override("vi"):
        return {value: str(label) for value, label in choices.choices}


RESOURCES = {"persons": PersonResource, "tests": DrugTestResource, "cases": CaseResource}
