"""Reading an uploaded workbook into header-keyed rows, refusing every kind of bad file with a clear message.

The file is checked first (apps.imports.archive.check_workbook) and its parts read through the
archive's bounded readers; the shared strings and the first worksheet are then parsed here in
bounded memory, whatever the file holds: openpyxl's own parsers keep every element they have read.
"""
import datetime as dt
import sys
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader, _find_workbook_part
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS
from xml.etree.ElementTree import TreeBuilder, XMLParser

from apps.core.text import fold

from .archive import (  # noqa: F401  (the file-level messages are part of this module's interface)
    FILE_CORRUPT, FILE_EMPTY, FILE_ENCRYPTED, FILE_NOT_XLSX, FILE_OLD_XLS, GuardedZipFile, ImportFileError,
    Limits, check_workbook,
)

SHEET_EMPTY = _("Trang tính đầu tiên không có dòng dữ liệu nào.")
HEADER_NOT_FOUND = _("Không tìm thấy dòng tiêu đề cột trong 10 dòng đầu của trang tính.")
COLUMNS_MISSING = _("Thiếu cột bắt buộc: %(columns)s.")
COLUMNS_UNKNOWN = _("Cột không nhận ra (có thể đã bị đổi tên): %(columns)s.")
COLUMNS_TWICE = _("Cột xuất hiện hai lần: %(columns)s.")
TOO_MANY_ROWS = _("File có %(rows)s dòng dữ liệu, vượt giới hạn %(limit)s dòng mỗi lần nhập.")
FORMULA_CELL = _("Ô chứa công thức; hãy dán giá trị (Paste Values) thay cho công thức.")
XML_FORBIDDEN = _("File chứa khai báo thực thể XML (DTD, ENTITY), điều Excel không làm: không đọc.")
ROW_TOO_WIDE = _("Dòng %(row)s có hơn %(limit)s ô, vượt giới hạn của Excel.")
SHEET_TOO_LONG = _("Trang tính có hơn %(limit)s dòng, vượt giới hạn của Excel.")

_HEADER_SCAN_ROWS = 10
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_INLINE, _TEXT = _MAIN_NS + "is", _MAIN_NS + "t"
_ROW, _CELL, _SHEET_DATA, _SHARED_ITEM = _MAIN_NS + "row", _MAIN_NS + "c", _MAIN_NS + "sheetData", _MAIN_NS + "si"
# Excel's own limits: a sheet written by Excel (or anything that Excel opens) stays inside them.
EXCEL_MAX_ROWS, EXCEL_MAX_COLUMNS = 1_048_576, 16_384
# A cell is a few elements (<c><is><r><t>…); a row or a shared string with more is not a spreadsheet.
_MAX_ELEMENTS_PER_ROW = EXCEL_MAX_COLUMNS * 8
_MAX_ELEMENTS_PER_STRING = 32_767
_MAX_DEPTH = 64
# Elements of a sheet outside its rows, before </sheetData> (column widths, views…: Excel writes at
# most 16,384 <col>), or of the shared strings outside its strings.
_MAX_OUTSIDE = 100_000
_FEED = 64 * 1024


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 20000)


def refusal(exc: BaseException) -> ImportFileError:
    """The ImportFileError that says why reading failed with *exc* (openpyxl wraps what it met in ValueError)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, ImportFileError):
            return exc
        if type(exc).__module__.startswith("defusedxml"):
            return ImportFileError(XML_FORBIDDEN)
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return ImportFileError(FILE_CORRUPT)


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
    """openpyxl's read-only workbook reader on a GuardedZipFile, reading only what an import needs.

    The manifest, the workbook and its relationships, the styles (which cells are dates) and the
    shared strings; not the theme, document properties, external links, defined names or chart
    sheets, which an import never uses and a hostile file could bloat.
    """

    def __init__(self, archive: GuardedZipFile):
        # ExcelReader.__init__ opens a zipfile.ZipFile of its own; everything else it sets is here.
        self.archive = archive
        self.valid_files = archive.namelist()
        self.read_only, self.keep_vba, self.data_only, self.keep_links, self.rich_text = True, False, False, False, False
        self.shared_strings = []

    def read(self):
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        apply_stylesheet(self.archive, self.wb)
        self.read_worksheets()

    def read_workbook(self):
        part = _find_workbook_part(self.package)
        self.parser = WorkbookParser(self.archive, part.PartName[1:], keep_links=False)
        self.parser.parse()
        self.wb = self.parser.wb
        self.wb._sheets = []
        self.wb._data_only, self.wb._read_only = self.data_only, True
        self.wb._archive = self.archive

    def read_strings(self):
        manifest = self.package.find(SHARED_STRINGS)
        if manifest is not None:
            with self.archive.open(manifest.PartName[1:]) as source:
                self.shared_strings = _shared_strings(source, self.archive.text)

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _Worksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


class _Finished(Exception):
    """The part's items are all read (a sheet's </sheetData>): the rest of the part is not parsed."""


class _Items:
    """Target of the C XMLParser that builds only the *item* elements of a part (a sheet's rows, the shared strings).

    Nothing outside an item is kept, so memory holds one item at a time, itself at most
    *max_elements* elements; there may be at most _MAX_OUTSIDE elements outside items, nested at
    most _MAX_DEPTH deep (expat keeps a stack of the open elements), and parsing stops once
    *last_tag* ends. A DOCTYPE, the only place where an entity can be declared, is refused as soon
    as it starts, whatever the part's encoding. openpyxl reads these parts with iterparse
    (defusedxml's pure-Python one once that is installed), which keeps every element it has read.
    """

    def __init__(self, item_tag, *, last_tag=None, max_items, too_many, max_elements, too_wide):
        self.item_tag, self.last_tag, self.max_items, self.max_elements = item_tag, last_tag, max_items, max_elements
        self.too_many, self.too_wide = too_many, too_wide
        self.done, self.items, self.depth, self.outside = [], 0, 0, 0
        self.builder, self.item, self.elements = None, None, 0

    def doctype(self, name, pubid, system):
        raise ImportFileError(XML_FORBIDDEN)

    def start(self, tag, attrib):
        builder = self.builder
        if builder is not None:
            self.elements += 1
            if self.elements > self.max_elements:
                raise self.too_wide(self.item)
            builder.start(tag, attrib)
        elif tag == self.item_tag:
            self.items += 1
            if self.items > self.max_items:
                raise self.too_many()
            self.builder, self.elements = TreeBuilder(), 0
            self.item = self.builder.start(tag, attrib)
        else:
            self.depth += 1
            self.outside += 1
            if self.depth > _MAX_DEPTH or self.outside > _MAX_OUTSIDE:
                raise ImportFileError(FILE_CORRUPT)

    def end(self, tag):
        builder = self.builder
        if builder is None:
            self.depth -= 1
            if tag == self.last_tag:
                raise _Finished
        elif builder.end(tag) is self.item:
            self.done.append(self.item)
            self.builder = self.item = None

    def data(self, text):
        if self.builder is not None:
            self.builder.data(text)

    def close(self):
        pass


def _items(source, item_tag, **limits):
    """Each *item_tag* element of *source* once it has ended, parsed in 64 KB steps by the C XMLParser."""
    target = _Items(item_tag, **limits)
    parser = XMLParser(target=target)
    try:
        while chunk := source.read(_FEED):
            parser.feed(chunk)
            done, target.done = target.done, []
            yield from done
        parser.close()
    except _Finished:
        pass
    yield from target.done


def _corrupt(*args):
    return ImportFileError(FILE_CORRUPT)


def _shared_strings(source, budget) -> list:
    """The shared-strings table, each string paid for in *budget* (text as openpyxl's read_string_table gives it)."""
    # No count limit of their own: each string costs at least its object in the budget.
    strings = []
    for element in _items(source, _SHARED_ITEM, max_items=sys.maxsize, too_many=_corrupt,
                          max_elements=_MAX_ELEMENTS_PER_STRING, too_wide=_corrupt):
        if len(element) == 1 and element[0].tag == _TEXT:  # plain text, as Excel writes nearly every string
            text = element[0].text or ""
        else:
            text = Text.from_tree(element).content
        text = text.replace("x005F_", "")
        budget.spend(text)
        strings.append(text)
    return strings


def _too_wide_row(row):
    return ImportFileError(ROW_TOO_WIDE % {"row": row.get("r") or "?", "limit": _thousands(EXCEL_MAX_COLUMNS)})


def _too_many_rows():
    return ImportFileError(SHEET_TOO_LONG % {"limit": _thousands(EXCEL_MAX_ROWS)})


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class _Parser(WorkSheetParser):
    """openpyxl's worksheet parser in bounded memory, with a short path for plain inline string cells.

    openpyxl's own ``parse`` keeps every row element it has read (emptied, but still in the tree),
    builds objects for merged cells, conditional formats, column widths… and records the height of
    every row: all without bound in a hostile sheet. Here rows are built one at a time (_Items),
    nothing else is kept, parsing stops at </sheetData>, a row holds at most Excel's 16,384 cells
    and a sheet at most its 1,048,576 rows.

    openpyxl, and XlsxWriter in constant-memory mode, write every text cell as
    ``<c t="inlineStr"><is><t>…</t></is></c>``; openpyxl's parser builds a rich-text object for each,
    which was most of the time spent reading a 10,000-row file. Any other cell (shared strings as
    Excel writes them, numbers, dates, formulas, rich text) goes through openpyxl unchanged.
    """

    def parse(self):
        for row in _items(self.source, _ROW, last_tag=_SHEET_DATA, max_items=EXCEL_MAX_ROWS, too_many=_too_many_rows,
                          max_elements=_MAX_ELEMENTS_PER_ROW, too_wide=_too_wide_row):
            if len(row) > EXCEL_MAX_COLUMNS:
                raise _too_wide_row(row)
            if len(row):
                yield self.parse_row(row)
            else:  # an empty (formatted) row: only its number matters
                self.row_counter = self._row_number(row)

    def _row_number(self, row) -> int:
        number = row.get("r")
        if number is None:
            return self.row_counter + 1
        value = float(number)
        if not value.is_integer() or not 0 < value <= EXCEL_MAX_ROWS:
            raise ImportFileError(FILE_CORRUPT)
        return int(value)

    def parse_row(self, row):
        self.row_counter, self.col_counter = self._row_number(row), 0
        return self.row_counter, [self.parse_cell(cell) for cell in row if cell.tag == _CELL]

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


def open_workbook(data: bytes, *, limits: Limits | None = None):
    """Check *data* (apps.imports.archive), then open it as a read-only workbook, or raise ImportFileError saying why not."""
    limits = limits or Limits.from_settings()
    check_workbook(data, limits=limits)
    try:
        reader = _WorkbookReader(GuardedZipFile(data, limits=limits))
        # Formulas come back as formulas (data_only is off), so they can be refused instead of silently cached.
        reader.read()
        return reader.wb
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises KeyError, ValueError, TypeError… on a damaged archive
        raise refusal(exc) from exc


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
    by_fold = {_canonical(h): h for h in known}

    def header(values, row):
        folded = [_canonical(v) for v in values]
        if not any(v in by_fold for v in folded if v):
            return None
        headers, unknown, twice = [], [], []
        for value in folded:
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
            raise ImportFileError(COLUMNS_UNKNOWN % {"columns": ", ".join(unknown)}, row=row)
        if twice:
            raise ImportFileError(COLUMNS_TWICE % {"columns": ", ".join(twice)}, row=row)
        missing = [h for h in required if h not in headers]
        if one_of and not any(h in headers for h in one_of):
            missing.append(" / ".join(one_of))
        if missing:
            raise ImportFileError(COLUMNS_MISSING % {"columns": ", ".join(str(m) for m in missing)}, row=row)
        return headers

    return _read_first_sheet(data, header)


def read_table(data: bytes) -> Sheet:
    """Read the first worksheet of *data* as a plain table: its first row with any text names the columns.

    The admin's import format (apps.imports.formats) reads files this way, with every check and
    bound of ``read_sheet``; the resource then picks the columns it knows.
    """

    def header(values, row):
        names = [str(v).strip() if v is not None else "" for v in values]
        if not any(names):
            return None
        twice = sorted({n for n in names if n and names.count(n) > 1})
        if twice:
            raise ImportFileError(COLUMNS_TWICE % {"columns": ", ".join(twice)}, row=row)
        return [n or None for n in names]

    return _read_first_sheet(data, header)


def _read_first_sheet(data: bytes, header) -> Sheet:
    """The data rows of the first worksheet under the header row that *header(values, row)* recognises.

    *header* returns the column names (None for a column to ignore) if the row is the header row,
    None if it is not; it raises ImportFileError if the header row is wrong.
    """
    workbook = open_workbook(data)
    budget = workbook._archive.text
    rows = None
    try:
        worksheet = workbook.worksheets[0] if workbook.worksheets else None
        if worksheet is None:
            raise ImportFileError(SHEET_EMPTY)
        rows = _rows(worksheet)
        headers, seen_anything = None, False
        try:
            for number, cells in rows:
                if number > _HEADER_SCAN_ROWS:
                    break
                values = [cells[c][0] if c in cells else None for c in range(1, max(cells, default=0) + 1)]
                seen_anything = seen_anything or any(_canonical(v) for v in values)
                headers = header(values, number)
                if headers is not None:
                    break
        except ImportFileError:
            raise
        except Exception as exc:
            raise refusal(exc) from exc
        if headers is None:
            raise ImportFileError(HEADER_NOT_FOUND if seen_anything else SHEET_EMPTY)
        sheet = Sheet(headers=[h for h in headers if h])
        # Column number → header, for the columns read (cells under an empty header are ignored).
        columns = {index: name for index, name in enumerate(headers, start=1) if name}
        blank = dict.fromkeys(sheet.headers)
        limit = max_rows()
        sizeof, spent, budget_limit = sys.getsizeof, budget.spent, budget.limit
        try:
            for number, cells in rows:
                record, empty = blank.copy(), True
                for column, (value, data_type) in cells.items():
                    name = columns.get(column)
                    if name is None:
                        continue
                    if data_type == "f":
                        raise ImportFileError(FORMULA_CELL, row=number, column=name)
                    if isinstance(value, str):
                        value = value.strip() or None
                        if value is not None:
                            # A stripped copy of a long shared string is new memory: every one is paid for.
                            spent += sizeof(value)
                            if spent > budget_limit:
                                budget.exceeded()
                    if value is not None:
                        empty = False
                        record[name] = value
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
            raise refusal(exc) from exc
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
