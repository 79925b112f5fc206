"""The streaming workbook writer (XlsxWriter), read back with openpyxl as the import and users' Excel would."""
import ast
import datetime as dt
import inspect
import io
import re
import zipfile
import zoneinfo
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from apps.core import excel
from apps.core.excel import XLSX_CONTENT_TYPE, StreamingWorkbook

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "=1+1", "<r><t>x</t></r>",
           "<r><t>a</t></r></is><f>1+1</f><is><r><t>b</t></r>", "\t=1"]


def read_back(book: StreamingWorkbook):
    return load_workbook(io.BytesIO(book.getvalue()))


def write_one(values, **sheet_options):
    book = StreamingWorkbook()
    book.sheet("Danh sách", **sheet_options).append(values)
    return read_back(book)["Danh sách"]


def test_text_that_looks_like_a_formula_or_markup_stays_literal_text():
    book = StreamingWorkbook()
    sheet = book.sheet("Danh sách")
    for value in HOSTILE:
        sheet.append([value])
    cells = [row[0] for row in read_back(book)["Danh sách"].iter_rows()]
    assert [cell.value for cell in cells] == HOSTILE
    assert {cell.data_type for cell in cells} == {"s"}


def test_dates_come_back_as_dates_shown_day_first_and_numbers_as_numbers():
    sheet = write_one([dt.date(1990, 5, 2), 7, 2.5, Decimal("12.50"), True, None, ""])
    day, whole, fraction, decimal, flag, empty, blank = next(sheet.iter_rows(max_col=7))
    assert day.is_date and day.value == dt.datetime(1990, 5, 2) and day.number_format == "dd/mm/yyyy"
    assert (whole.value, whole.data_type) == (7, "n")
    assert (fraction.value, decimal.value) == (2.5, 12.5)
    assert flag.value is True
    assert empty.value is None and blank.value is None


@pytest.mark.django_db(databases=[])
def test_aware_datetimes_are_written_as_naive_local_time(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    at = dt.datetime(2026, 1, 5, 1, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    cell = write_one([at])["A1"]
    assert cell.value == dt.datetime(2026, 1, 5, 8, 30) and cell.number_format == "dd/mm/yyyy hh:mm"


def test_anything_else_is_written_as_its_text():
    class Code:
        def __str__(self):
            return "=A1"

    cell = write_one([Code()])["A1"]
    assert (cell.value, cell.data_type) == ("=A1", "s")


def test_banner_and_header_are_bold_the_header_is_frozen_and_widths_are_set():
    book = StreamingWorkbook()
    sheet = book.sheet("Danh sách", headers=["Họ tên", "Ngày sinh", "Số"], widths=[30, 12, 8],
                       banner=["Dữ liệu cá nhân nhạy cảm"])
    sheet.append(["Nguyễn Văn A", dt.date(1990, 5, 2), 7])
    ws = read_back(book)["Danh sách"]
    assert ws.freeze_panes == "A3"
    assert ws["A1"].value == "Dữ liệu cá nhân nhạy cảm" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == ["Họ tên", "Ngày sinh", "Số"] and all(c.font.b for c in ws[2])
    assert not ws["A3"].font.b and ws["B3"].is_date
    assert ws.column_dimensions["A"].width == pytest.approx(30, abs=1)


def test_a_styled_date_keeps_its_date_format_and_skipped_rows_stay_empty():
    book = StreamingWorkbook()
    sheet = book.sheet("S")
    sheet.skip(2)
    sheet.append(["Tổng", dt.date(2026, 3, 31)], book.bold)
    ws = read_back(book)["S"]
    assert ws["A1"].value is None and ws["A3"].value == "Tổng"
    assert ws["B3"].is_date and ws["B3"].font.b and ws["B3"].number_format == "dd/mm/yyyy"


def test_the_response_is_an_xlsx_download_from_a_temporary_file():
    book = StreamingWorkbook()
    book.sheet("S").append(["x"])
    response = book.response("danh-sach.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert 'attachment; filename="danh-sach.xlsx"' == response["Content-Disposition"]
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content)))["S"]["A1"].value == "x"


def test_line_breaks_are_written_as_excel_stores_them():
    sheet = write_one(["khóm 1\r\nấp 2", "a\rb"])
    assert (sheet["A1"].value, sheet["B1"].value) == ("khóm 1\nấp 2", "a\nb")


def excel_text(value: str) -> str:
    """*value* as Excel reads it: OOXML's ``_xHHHH_`` escapes decoded (openpyxl returns them as written)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda match: chr(int(match.group(1), 16)), value)


def test_control_characters_markup_and_edge_spaces_reach_excel_unchanged():
    values = ["a & b <c>", " lề trái", "lề phải ", "dòng\n", "điều khiển \x01\x1f\x0b", "x\x00y",
              "_x0041_ literal", "\ufffe", "Đức"]
    book = StreamingWorkbook()
    sheet = book.sheet("S")
    for value in values:
        sheet.append([value])
    data = book.getvalue()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)  # raw control characters would corrupt the file
    cells = [row[0] for row in load_workbook(io.BytesIO(data))["S"].iter_rows()]
    assert [excel_text(cell.value) for cell in cells] == values
    assert {cell.data_type for cell in cells} == {"s"}


def test_the_writer_uses_only_xlsxwriters_public_api():
    """No subclass of its classes, no private attribute of its objects: an upgrade cannot break us silently."""
    tree = ast.parse(inspect.getsource(excel))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {module for module in imported if module and module.startswith("xlsxwriter")}
    private = {
        node.attr for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        and not (isinstance(node.value, ast.Name) and node.value.id == "self")
    }
    assert private == set()
    assert not [cls for cls in vars(excel).values() if isinstance(cls, type) and cls.__module__.startswith("xlsxwriter")]


def test_text_longer_than_an_excel_cell_is_cut_visibly_never_dropped():
    long_text = "Nguyễn " * 6000  # 42,000 characters
    sheet = write_one([long_text, f"<r>{long_text}</r>", "ngắn"])
    plain, rich, short = (sheet.cell(row=1, column=i).value for i in (1, 2, 3))
    assert len(plain) == len(rich) == 32767
    assert plain.endswith("…") and rich.endswith("…") and plain.startswith("Nguyễn Nguyễn")
    assert rich.startswith("<r>Nguyễn")
    assert short == "ngắn"


def test_the_cut_counts_characters_as_excel_does_so_emoji_count_twice():
    # 20,000 emoji are 20,000 Python characters but 40,000 UTF-16 units, Excel's unit for its limit.
    emoji = "😀" * 20000
    cell = write_one([emoji, "😀" * 16383 + "a"])
    cut, fits = cell["A1"].value, cell["B1"].value
    assert len(cut.encode("utf-16-le")) // 2 == 32767 and cut == "😀" * 16383 + "…"
    assert fits == "😀" * 16383 + "a"  # exactly 32,767 units: kept whole


def test_a_ruled_table_draws_its_grid_on_empty_cells_by_one_rule_not_a_cell_each():
    book = StreamingWorkbook()
    ruled = book.style(border=1, valign="top")
    sheet = book.sheet("S", headers=["A", "B", "C"])
    count = sheet.append_table([["x", None, 1], ["", "y", None]], ruled, columns=3)
    data = book.getvalue()
    assert count == 2
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    written = re.findall(r'<c r="([A-Z]+[0-9]+)"', xml)
    assert written == ["A1", "B1", "C1", "A2", "C2", "B3"]      # the header, then the values only
    ws = load_workbook(io.BytesIO(data))["S"]
    assert ws["A2"].border.left.style == "thin" and ws["A2"].alignment.vertical == "top"
    (area, rules), = ws.conditional_formatting._cf_rules.items()
    assert str(area.sqref) == "A2:C3"                            # every cell of the rows written, no more
    (rule,) = rules
    assert rule.type == "expression" and rule.formula == ["TRUE"]
    assert {rule.dxf.border.left.style, rule.dxf.border.right.style, rule.dxf.border.top.style,
            rule.dxf.border.bottom.style} == {"thin"}


def test_an_empty_ruled_table_has_no_rule():
    book = StreamingWorkbook()
    sheet = book.sheet("S", headers=["A"])
    assert sheet.append_table(iter(()), book.style(border=1), columns=1) == 0
    assert not load_workbook(io.BytesIO(book.getvalue()))["S"].conditional_formatting
