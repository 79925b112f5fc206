"""Reading an uploaded workbook into header-keyed rows, refusing every kind of bad file with a clear message."""
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from apps.core.text import fold

FILE_EMPTY = _("File rỗng (0 byte).")
FILE_NOT_XLSX = _("File không phải là bảng tính Excel .xlsx.")
FILE_OLD_XLS = _("File là định dạng Excel cũ (.xls): hãy mở bằng Excel và lưu lại dưới dạng .xlsx.")
FILE_ENCRYPTED = _("File được bảo vệ bằng mật khẩu: hãy gỡ mật khẩu rồi tải lên lại.")
FILE_CORRUPT = _("File .xlsx bị hỏng, không đọc được.")
SHEET_EMPTY = _("Trang tính đầu tiên không có dòng dữ liệu nào.")
HEADER_NOT_FOUND = _("Không tìm thấy dòng tiêu đề cột trong 10 dòng đầu của trang tính.")
COLUMNS_MISSING = _("Thiếu cột bắt buộc: %(columns)s.")
COLUMNS_UNKNOWN = _("Cột không nhận ra (có thể đã bị đổi tên): %(columns)s.")
COLUMNS_TWICE = _("Cột xuất hiện hai lần: %(columns)s.")
TOO_MANY_ROWS = _("File có %(rows)s dòng dữ liệu, vượt giới hạn %(limit)s dòng mỗi lần nhập.")
FORMULA_CELL = _("Ô chứa công thức; hãy dán giá trị (Paste Values) thay cho công thức.")

# An encrypted .xlsx is an OLE2 compound file (like an old .xls) holding an "EncryptionInfo" stream.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_SCAN_ROWS = 10
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_INLINE, _TEXT = _MAIN_NS + "is", _MAIN_NS + "t"


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 20000)


class ImportFileError(Exception):
    """The whole file is refused; nothing was read into the database."""

    def __init__(self, message, *, row=None, column=""):
        super().__init__(str(message))
        self.message, self.row, self.column = message, row, column


@dataclass
class Sheet:
    """The data rows of the first worksheet, keyed by the canonical header, with their Excel row numbers."""

    headers: list
    rows: list = field(default_factory=list)
    row_numbers: list = field(default_factory=list)


def _canonical(value) -> str:
    return fold(str(value)) if value is not None else ""


class _Worksheet(ReadOnlyWorksheet):
    """A read-only worksheet that does not measure itself when opened.

    openpyxl looks for each sheet's <dimension> on opening; a sheet written without one (by openpyxl's
    write-only mode, for one) is then parsed to the end once just to find out that it has none.
    The rows are read with _Parser below, which needs no size.
    """

    def _get_size(self):
        pass


class _WorkbookReader(ExcelReader):
    """openpyxl's read-only workbook reader, making _Worksheet sheets (its read-only branch, otherwise as is)."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            worksheet = _Worksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


class _Parser(WorkSheetParser):
    """openpyxl's worksheet parser, with a short path for plain inline string cells.

    openpyxl, and XlsxWriter in constant-memory mode, write every text cell as
    ``<c t="inlineStr"><is><t>…</t></is></c>``; openpyxl's parser builds a rich-text object for each,
    which was most of the time spent reading a 10,000-row file. Any other cell (shared strings as
    Excel writes them, numbers, dates, formulas, rich text) goes through openpyxl unchanged.
    """

    def parse_cell(self, element):
        if element.get("t") == "inlineStr" and len(element) == 1:
            inline = element[0]
            if inline.tag == _INLINE and len(inline) == 1 and inline[0].tag == _TEXT:
                coordinate = element.get("r")
                if coordinate:
                    row, column = coordinate_to_tuple(coordinate)
                    self.col_counter = column
                else:
                    self.col_counter += 1
                    row, column = self.row_counter, self.col_counter
                return {"row": row, "column": column, "value": inline[0].text or "", "data_type": "s",
                        "style_id": int(element.get("s", 0))}
        return super().parse_cell(element)


def open_workbook(data: bytes):
    """Open *data* as a read-only workbook or raise ImportFileError saying why it cannot be."""
    if not data:
        raise ImportFileError(FILE_EMPTY)
    if data.startswith(_OLE2):
        if "EncryptionInfo".encode("utf-16-le") in data[:65536] or b"EncryptionInfo" in data:
            raise ImportFileError(FILE_ENCRYPTED)
        raise ImportFileError(FILE_OLD_XLS)
    if not data.startswith(b"PK"):
        raise ImportFileError(FILE_NOT_XLSX)
    try:
        # data_only=False: formulas come back as formulas, so they can be refused instead of silently cached.
        reader = _WorkbookReader(io.BytesIO(data), read_only=True, data_only=False)
        reader.read()
        return reader.wb
    except zipfile.BadZipFile as exc:
        raise ImportFileError(FILE_CORRUPT) from exc
    except Exception as exc:  # openpyxl raises KeyError, ValueError, TypeError… on a damaged archive
        raise ImportFileError(FILE_CORRUPT) from exc


def _rows(worksheet):
    """(Excel row number, {column number: (value, data type)}) for every row of *worksheet* that has cells."""
    workbook = worksheet.parent
    parser = _Parser(worksheet._get_source(), worksheet._shared_strings, data_only=workbook.data_only,
                     epoch=workbook.epoch, date_formats=workbook._date_formats,
                     timedelta_formats=workbook._timedelta_formats)
    try:
        for number, cells in parser.parse():
            yield number, {cell["column"]: (cell["value"], cell["data_type"]) for cell in cells}
    finally:
        parser.source.close()


def read_sheet(data: bytes, *, known: dict, required: list, one_of: tuple = ()) -> Sheet:
    """Read the first worksheet of *data*.

    *known* maps every accepted header (as written) to itself; headers are
    compared folded, so case, accents and spacing do not matter, but a renamed
    column does. *required* headers must all be present; of *one_of* at least one.
    """
    workbook = open_workbook(data)
    rows = None
    try:
        worksheet = workbook.worksheets[0] if workbook.worksheets else None
        if worksheet is None:
            raise ImportFileError(SHEET_EMPTY)
        by_fold = {_canonical(h): h for h in known}
        rows = _rows(worksheet)
        header_cells, header_row, seen_anything = None, 0, False
        try:
            for number, cells in rows:
                if number > _HEADER_SCAN_ROWS:
                    break
                values = [_canonical(cells[c][0]) if c in cells else "" for c in range(1, max(cells, default=0) + 1)]
                seen_anything = seen_anything or any(values)
                if any(v in by_fold for v in values if v):
                    header_cells, header_row = values, number
                    break
        except Exception as exc:
            raise ImportFileError(FILE_CORRUPT) from exc
        if header_cells is None:
            raise ImportFileError(HEADER_NOT_FOUND if seen_anything else SHEET_EMPTY)
        headers, unknown, twice = [], [], []
        for value in header_cells:
            if not value:
                headers.append(None)
                continue
            canonical = by_fold.get(value)
            if canonical is None:
                unknown.append(value)
            elif canonical in headers:
                twice.append(canonical)
            headers.append(canonical)
        if unknown:
            raise ImportFileError(COLUMNS_UNKNOWN % {"columns": ", ".join(unknown)}, row=header_row)
        if twice:
            raise ImportFileError(COLUMNS_TWICE % {"columns": ", ".join(twice)}, row=header_row)
        missing = [h for h in required if h not in headers]
        if one_of and not any(h in headers for h in one_of):
            missing.append(" / ".join(one_of))
        if missing:
            raise ImportFileError(COLUMNS_MISSING % {"columns": ", ".join(str(m) for m in missing)}, row=header_row)
        sheet = Sheet(headers=[h for h in headers if h])
        # Column number → header, for the columns read (cells under an empty header are ignored).
        columns = {index: header for index, header in enumerate(headers, start=1) if header}
        blank = dict.fromkeys(sheet.headers)
        limit = max_rows()
        try:
            for number, cells in rows:
                record, empty = blank.copy(), True
                for column, (value, data_type) in cells.items():
                    header = columns.get(column)
                    if header is None:
                        continue
                    if data_type == "f":
                        raise ImportFileError(FORMULA_CELL, row=number, column=header)
                    if isinstance(value, str):
                        value = value.strip() or None
                    if value is not None:
                        empty = False
                        record[header] = value
                if empty:
                    continue
                sheet.rows.append(record)
                sheet.row_numbers.append(number)
                if len(sheet.rows) > limit:
                    # Count the rest cheaply so the message says how large the file is.
                    extra = sum(1 for _number, more in rows if any(v not in (None, "") for v, _t in more.values()))
                    raise ImportFileError(TOO_MANY_ROWS % {"rows": len(sheet.rows) + extra, "limit": limit})
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError(FILE_CORRUPT) from exc
        if not sheet.rows:
            raise ImportFileError(SHEET_EMPTY)
        return sheet
    finally:
        if rows is not None:
            rows.close()
        workbook.close()


def as_date(value):
    """Excel dates come back as datetimes; keep the day."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value
