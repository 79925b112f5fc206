"""One column spec (apps.subjects.columns) serves the person export, the import fields and the template."""
import io

import pytest
from openpyxl import load_workbook

from apps.imports.template import build_template
from apps.subjects.columns import EXPORT_HEADERS, PERSON_COLUMNS, STT_HEADER, TEMPLATE_HEADERS
from apps.subjects.resources import PersonResource

pytestmark = pytest.mark.django_db


def test_every_column_the_spec_says_is_typed_is_an_import_field_with_its_header():
    fields = {f.attribute: f.column_name for f in PersonResource().fields.values() if not f.readonly}
    typed = {("gender" if c.attribute == "gender_label" else c.attribute): c.header for c in PERSON_COLUMNS if c.parse}
    assert fields == typed


def test_the_export_writes_stt_then_every_column_of_the_spec():
    assert EXPORT_HEADERS == [STT_HEADER, *(c.header for c in PERSON_COLUMNS)]


def test_the_template_offers_the_spec_columns_with_an_example_in_order(police, khom):
    sheet = load_workbook(io.BytesIO(build_template("persons", police))).worksheets[0]
    assert [c.value for c in sheet[1]] == TEMPLATE_HEADERS == [c.header for c in PERSON_COLUMNS if c.example is not None]
    example = [c.value for c in sheet[2]]
    assert example[TEMPLATE_HEADERS.index("Họ và tên")] == "Nguyễn Văn Ví Dụ"
