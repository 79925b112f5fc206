"""The reader leans on no openpyxl internals (issue 15 §5): an openpyxl upgrade cannot break the import silently."""
import ast
import datetime as dt
import inspect
import io
import zipfile

import pytest
import xlsxwriter

from apps.imports import reader


def _tree():
    return ast.parse(inspect.getsource(reader))


def test_the_reader_imports_nothing_from_a_private_openpyxl_module():
    tree = _tree()
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    openpyxl = {module for module in modules if module.split(".")[0] == "openpyxl"}
    assert openpyxl, "the reader is expected to use openpyxl's public helpers"
    assert not [module for module in openpyxl if any(part.startswith("_") for part in module.split("."))]
    imported_names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                      and node.module in openpyxl for alias in node.names}
    assert not [name for name in imported_names if name.startswith("_")]


def test_the_reader_touches_no_private_attribute_and_subclasses_no_openpyxl_class():
    private = {
        node.attr for node in ast.walk(_tree())
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        and not (isinstance(node.value, ast.Name) and node.value.id == "self")
    }
    assert private == set()
    own = [cls for cls in vars(reader).values() if isinstance(cls, type) and cls.__module__ == reader.__name__]
    assert own
    assert not [cls for cls in own if any(base.__module__.startswith("openpyxl") for base in cls.__mro__)]


# The parts openpyxl used to read for us: the same refusals, the same values -----------------------------
def _workbook(date_1904=False) -> bytes:
    """A workbook as Excel writes it: shared strings, dates and times by their cell format, a second sheet."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "date_1904": date_1904})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Tên", "Ngày", "Giờ", "Số"])
    sheet.write_string(1, 0, "An")
    sheet.write_datetime(1, 1, dt.datetime(2020, 1, 2), book.add_format({"num_format": "dd/mm/yyyy"}))
    sheet.write_datetime(1, 2, dt.time(7, 30), book.add_format({"num_format": "hh:mm"}))
    sheet.write_number(1, 3, 3, book.add_format({"num_format": "0.00"}))
    book.add_worksheet("Khác").write_string(0, 0, "Không đọc")
    book.close()
    return out.getvalue()


def _patched(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[name] = change(parts[name])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return out.getvalue()


def _with_entity(content: bytes) -> bytes:
    body = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
    return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]>' + body


def test_the_first_worksheet_is_read_with_its_dates_and_times_from_the_styles():
    for date_1904 in (False, True):
        sheet = reader.read_table(_workbook(date_1904))
        assert sheet.headers == ["Tên", "Ngày", "Giờ", "Số"]
        assert sheet.rows == [{"Tên": "An", "Ngày": dt.datetime(2020, 1, 2), "Giờ": dt.time(7, 30), "Số": 3}]


@pytest.mark.parametrize("part", ["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                  "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
def test_an_entity_declaration_in_any_part_is_refused(part):
    with pytest.raises(reader.ImportFileError) as refused:
        reader.read_table(_patched(_workbook(), part, _with_entity))
    assert refused.value.message == reader.XML_FORBIDDEN


@pytest.mark.parametrize("part,change", [
    ("[Content_Types].xml", lambda xml: xml.replace(b"sheet.main+xml", b"other+xml")),  # no workbook part
    ("xl/workbook.xml", lambda xml: xml.replace(b"<sheets>", b"<sheets")),  # not well-formed
    ("xl/workbook.xml", lambda xml: xml.replace(b'r:id="rId1"', b'r:id="rId9"')),  # a sheet without its target
    ("xl/styles.xml", lambda xml: xml.replace(b'<xf numFmtId="164"', b'<xf numFmtId="d"')),
])
def test_a_damaged_workbook_part_is_refused_as_corrupt(part, change):
    data = _workbook()
    damaged = _patched(data, part, change)
    assert damaged != _patched(data, part, lambda xml: xml)
    with pytest.raises(reader.ImportFileError) as refused:
        reader.read_table(damaged)
    assert refused.value.message == reader.FILE_CORRUPT
