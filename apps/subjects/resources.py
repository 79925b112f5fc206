"""Import resources of the people register and of drug tests (the engine: apps.imports)."""
import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from apps.core.text import fold
from apps.imports.choices import ImportKind
from apps.imports.lookups import KHOM_CODE_HEADER, KHOM_HEADER, WARD_HEADER
from apps.imports.resources import CCCD_CELL, DATE_CELL, ScopedResource, column, import_kind
from apps.imports.widgets import CCCDWidget, ChoiceLabelWidget, TextWidget, VietnameseDateWidget

from .choices import EducationLevel, Ethnicity, Gender, SampleType, TestResult
from .columns import (EDUCATION_LABELS, ETHNICITY_LABELS, GENDER_LABELS, IMPORTED, PERSON_COLUMNS, PERSON_HEADERS,
                      STT_HEADER, TEMPLATE_EXAMPLE, TEMPLATE_HEADERS, YES_NO_LABELS)
from .models import CCCD_UNAVAILABLE, DrugTest, Person
from .services import cccd_lookups_record, person_bulk_create, person_bulk_update

PERSON_ID_UNKNOWN = _("Không có hồ sơ số %(value)s trong phạm vi bạn phụ trách.")
PERSON_ID_INVALID = _("Số hồ sơ “%(value)s” không phải là số.")
PERSON_NUMBER_AMBIGUOUS = _("Số hồ sơ %(value)s có ở nhiều phường bạn phụ trách: hãy ghi khóm hoặc số CCCD.")
PERSON_AMBIGUOUS = _("Có nhiều đối tượng cùng họ tên và ngày sinh: hãy ghi Số hồ sơ hoặc số CCCD.")
PERSON_NOT_FOUND = _("Không tìm thấy đối tượng này trong phạm vi bạn phụ trách (theo Số hồ sơ, CCCD hoặc họ tên và ngày sinh).")
SUSPECT_SAME_PERSON = _("Khớp theo họ tên và ngày sinh với hồ sơ số %(pk)s (không có CCCD để đối chiếu): sẽ cập nhật hồ sơ này.")
SUSPECT_OTHER_CCCD = _("Trùng họ tên và ngày sinh với hồ sơ số %(pk)s nhưng khác CCCD: sẽ tạo hồ sơ mới.")

# Headers of the person layout (apps.subjects.columns) — the export writes them, the import reads them.
# H_ID is the per-ward file number (Số hồ sơ), matched within the user's scope.
H_ID, H_NAME, H_GENDER, H_DOB, H_CCCD, H_KHOM_CODE, H_KHOM, H_WARD = PERSON_HEADERS[:8]
assert (H_KHOM_CODE, H_KHOM, H_WARD) == (KHOM_CODE_HEADER, KHOM_HEADER, WARD_HEADER), "khóm headers differ"


YES_NO_INVALID = _("Giá trị “%(value)s” không hợp lệ: ghi “Có”, “Không” hoặc để trống nếu chưa rõ.")
_YES = {"co", "x", "1", "true", "yes"}
_NO = {"khong", "0", "false", "no"}


class YesNoWidget(TextWidget):
    """An optional yes/no cell: “Có” / “Không” (accents optional), x, 1/0; empty is “not recorded” (None)."""

    labels = YES_NO_LABELS  # the import template's drop-down list

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = fold(super().clean(value, row, **kwargs))
        if not text:
            return None
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise ValueError(str(YES_NO_INVALID % {"value": value}))

    def render(self, value, obj=None, **kwargs):
        return YES_NO_LABELS.get(value, "")


# How the import reads a column of the spec (Column.parse).
PARSERS = {
    "ethnicity": lambda: ChoiceLabelWidget(Ethnicity, ETHNICITY_LABELS),
    "education": lambda: ChoiceLabelWidget(EducationLevel, EDUCATION_LABELS),
    "yesno": YesNoWidget,
    "name": lambda: TextWidget(collapse_spaces=True),
    "text": TextWidget,
    "gender": lambda: ChoiceLabelWidget(Gender, GENDER_LABELS),
    "date": VietnameseDateWidget,
    "cccd": CCCDWidget,
}


def _imported(attribute: str) -> Field:
    """The import field of the spec's column for *attribute*: its header, its parser."""
    column = IMPORTED[attribute]
    return Field(attribute=attribute, column_name=column.header, widget=PARSERS[column.parse]())


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


@import_kind(ImportKind.PERSONS)
class PersonResource(ScopedResource):
    """People under management; reads the layout /subjects/export.xlsx writes (apps.subjects.columns)."""

    # Headers and parsing come from the column spec (apps.subjects.columns); one line a field.
    full_name = _imported("full_name")
    gender = _imported("gender")
    date_of_birth = _imported("date_of_birth")
    cccd = _imported("cccd")
    khom_code = Field(attribute="khom__code", column_name=H_KHOM_CODE, readonly=True)
    khom_name = Field(attribute="khom__name", column_name=H_KHOM, readonly=True)
    address = _imported("address")
    phone = _imported("phone")
    occupation = _imported("occupation")
    ethnicity = _imported("ethnicity")
    education = _imported("education")
    stable_residence = _imported("stable_residence")
    prior_criminal = _imported("prior_criminal")
    prior_administrative = _imported("prior_administrative")
    notes = _imported("notes")

    template_headers = TEMPLATE_HEADERS
    template_example = TEMPLATE_EXAMPLE

    required_headers = [H_NAME, H_GENDER, H_DOB]
    extra_columns = {"id": H_ID, "khom": H_KHOM_CODE}
    one_of_headers = (H_KHOM_CODE, H_KHOM)
    # Written by the export, ignored on the way back: they are derived, not typed.
    # "Mã hồ sơ" (the database id) is what files exported before the số hồ sơ carried: read, not matched.
    export_only_headers = [STT_HEADER, *(c.header for c in PERSON_COLUMNS if not c.parse and c.example is None),
                           "Mã hồ sơ"]
    clean_exclude = ["khom", "status", "next_test_due", "search_text"]
    compare_fields = [*IMPORTED, "khom_id"]

    class Meta:
        model = Person
        fields = [*IMPORTED, "khom_code", "khom_name"]

    def get_bulk_update_fields(self):
        return [*IMPORTED, "khom"]

    def prepare(self, dataset):
        date_widget, cccd_widget = DATE_CELL, CCCD_CELL
        pks, cccds, births = set(), set(), set()
        for value in column(dataset, H_ID):
            try:
                pk = _parse_pk(value)
            except ValidationError:
                continue
            if pk:
                pks.add(pk)
        for value in column(dataset, H_CCCD):
            cccd = cccd_widget.clean(value)
            if cccd:
                cccds.add(cccd)
        for value in column(dataset, H_DOB):
            try:
                born = date_widget.clean(value)
            except ValueError:
                continue
            if born:
                births.add(born)
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

    def write_created(self, instances, *, batch_size):
        person_bulk_create(user=self.user, people=instances, batch_size=batch_size)

    def write_updated(self, instances, fields, *, batch_size):
        person_bulk_update(user=self.user, people=instances, fields=fields, batch_size=batch_size)


@import_kind(ImportKind.TESTS)
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

    template_headers = ["Số hồ sơ", "Số CCCD", "Họ và tên", "Ngày sinh", "Ngày xét nghiệm", "Mẫu xét nghiệm", "Kết quả",
                        "Chất phát hiện", "Người/đơn vị xét nghiệm", "Ghi chú"]
    template_example = {"Số CCCD": "089090123456", "Họ và tên": "Nguyễn Văn Ví Dụ", "Ngày sinh": dt.date(1990, 1, 15),
                        "Ngày xét nghiệm": dt.date(2026, 1, 5), "Mẫu xét nghiệm": "Nước tiểu", "Kết quả": "Âm tính",
                        "Người/đơn vị xét nghiệm": "Trạm Y tế phường", "Ghi chú": "Dòng ví dụ — xoá hoặc ghi đè"}
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
        tested = {d for d in (self._date(v) for v in column(dataset, "Ngày xét nghiệm")) if d}
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
        from .services import person_sync_status

        # A new test moves the person's next test date; recompute once per person, not per row.
        for person in self.tested_people.values():
            person_sync_status(person=person)
