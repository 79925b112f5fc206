"""Import resource of case records (the engine: apps.imports); rows are written through the case services."""
import datetime as dt

from django.core.exceptions import ValidationError
from import_export.fields import Field

from apps.core.numbers import whole_number

from apps.imports.choices import ImportKind
from apps.imports.lookups import KHOM_CODE_HEADER as H_KHOM_CODE
from apps.imports.lookups import KHOM_HEADER as H_KHOM
from apps.imports.lookups import WARD_HEADER as H_WARD
from apps.imports.resources import DATE_CELL, ScopedResource, column, fixed_labels, import_kind
from apps.imports.widgets import ChoiceLabelWidget, CountWidget, DecimalNumberWidget, TextWidget, VietnameseDateWidget

from .models import Case


@import_kind(ImportKind.CASES)
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

    template_headers = ["Số vụ việc", "Ngày phát hiện", "Mã khóm", "Khóm", "Loại vụ việc", "Hình thức xử lý",
                        "Nơi phát hiện", "Tóm tắt", "Số cây bị phá hủy", "Diện tích bị phá hủy (m²)"]
    template_example = {"Ngày phát hiện": dt.date(2026, 1, 5), "Mã khóm": "K01", "Khóm": "Khóm Đông Thạnh",
                        "Loại vụ việc": "Sử dụng trái phép chất ma túy", "Hình thức xử lý": "Đang xác minh",
                        "Nơi phát hiện": "Dòng ví dụ — xoá hoặc ghi đè"}
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
        from .choices import CaseHandling, CaseKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].widget = ChoiceLabelWidget(CaseKind, fixed_labels(CaseKind))
        self.fields["handling"].widget = ChoiceLabelWidget(CaseHandling, fixed_labels(CaseHandling))
        self.fields["handling"].default = CaseHandling.VERIFYING

    def prepare(self, dataset):
        self.existing = {(c.ward_id, c.year, c.number): c
                         for c in Case.objects.for_user(self.user).select_related("khom", "ward")
                         .filter(number__in=[n for n in (whole_number(str(v or "")) if v is not None else None
                                                         for v in column(dataset, "Số vụ việc")) if n])}
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
        from . import services

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
