"""The admin's import-export buttons write user text as text: no exported cell is a formula."""
import datetime as dt
from io import BytesIO

import tablib
from django.conf import settings
from openpyxl import load_workbook

from apps.core.safe_formats import SafeXLSX

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"bấm\")", "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


def test_only_the_safe_xlsx_format_is_offered_for_admin_exports():
    assert settings.EXPORT_FORMATS == [SafeXLSX]


def test_text_that_looks_like_a_formula_is_exported_as_text_and_other_values_keep_their_type():
    dataset = tablib.Dataset(headers=["Họ tên", "Ngày", "Số"], title="Đối tượng")
    for value in HOSTILE:
        dataset.append([value, dt.date(2026, 1, 5), 7])
    workbook = load_workbook(BytesIO(SafeXLSX().export_data(dataset)))
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == ["Họ tên", "Ngày", "Số"]
    for row, value in zip(sheet.iter_rows(min_row=2), HOSTILE):
        name, day, number = row
        assert name.value == value and name.data_type == "s"
        assert day.is_date and day.value.date() == dt.date(2026, 1, 5)
        assert number.value == 7 and number.data_type == "n"
