"""Reading workbooks: sheets without a dimension, shared strings and rich text as Excel writes them."""
import datetime as dt
import io
import zipfile

from openpyxl import Workbook

from apps.imports import reader
from apps.subjects.resources import PersonResource
from apps.imports.engine import run_import
from apps.subjects.models import Person
from tests.factories.imports import PERSON_TEMPLATE_HEADERS, person_row

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def persons(user, data):
    return run_import(kind="persons", data=data, file_name="ds.xlsx", user=user, dry_run=False)


def _write_only_xlsx(rows) -> bytes:
    """What openpyxl's write-only mode (the bench file, large exports) writes: no <dimension> element."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    sheet.append(PERSON_TEMPLATE_HEADERS)
    for row in rows:
        sheet.append([row.get(h) for h in PERSON_TEMPLATE_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_style_xlsx() -> bytes:
    """A workbook laid out as Excel saves it: shared strings, a rich-text cell, a gap row, a date by style."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["x"])
    sheet["A2"] = dt.date(1992, 3, 15)  # gives the stylesheet a date format (cell style 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    strings = ["Họ và tên", "Giới tính", "Ngày sinh", "Mã khóm", "Trần Văn Nhập", "A01"]
    shared = (f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
    serial = (dt.date(1992, 3, 15) - dt.date(1899, 12, 30)).days
    sheet_xml = (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
        '<c r="D1" t="s"><v>3</v></c></row>'
        # Row 2 is missing altogether; row 3 holds the data.
        '<row r="3"><c r="A3" t="s"><v>4</v></c>'
        '<c r="B3" t="inlineStr"><is><r><t>N</t></r><r><rPr><b/></rPr><t>am</t></r></is></c>'
        f'<c r="C3" s="1"><v>{serial}</v></c><c r="D3" t="s"><v>5</v></c></row>'
        "</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            elif name == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSS" Target="sharedStrings.xml" '
                                    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                                    b'sharedStrings"/></Relationships>')
            target.writestr(name, data)
        target.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def test_a_sheet_written_without_dimension_reads_every_row_with_its_excel_row_number(police, khom):
    rows = [person_row(**{"Họ và tên": f"Người {i}", "Ngày sinh": dt.date(1990, 1, 1 + i), "Địa chỉ": f" {i} Lê Lợi "})
            for i in range(3)]
    sheet = reader.read_sheet(_write_only_xlsx(rows), known=PersonResource.known_headers(),
                              required=PersonResource.required_headers)
    assert sheet.row_numbers == [2, 3, 4]
    assert [r["Họ và tên"] for r in sheet.rows] == ["Người 0", "Người 1", "Người 2"]
    assert sheet.rows[1]["Ngày sinh"] == dt.datetime(1990, 1, 2)
    assert sheet.rows[2]["Địa chỉ"] == "2 Lê Lợi" and sheet.rows[0]["Ghi chú"] is None


def test_shared_strings_rich_text_and_date_styles_are_read_as_excel_writes_them(police, khom):
    sheet = reader.read_sheet(_excel_style_xlsx(), known=PersonResource.known_headers(),
                              required=PersonResource.required_headers)
    assert sheet.row_numbers == [3]
    assert sheet.rows[0] == {"Họ và tên": "Trần Văn Nhập", "Giới tính": "Nam", "Ngày sinh": dt.datetime(1992, 3, 15),
                             "Mã khóm": "A01"}
    outcome = persons(police, _excel_style_xlsx())
    assert outcome.ok and outcome.created == 1, outcome.errors
    assert Person.objects.get().date_of_birth == dt.date(1992, 3, 15)


def test_a_formula_is_still_refused_in_a_sheet_without_dimension(police, khom):
    outcome = persons(police, _write_only_xlsx([person_row(), person_row(**{"Ghi chú": "=1+1"})]))
    assert [(p.row, p.column, p.message) for p in outcome.errors] == [(3, "Ghi chú", str(reader.FORMULA_CELL))]
