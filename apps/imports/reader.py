"""Reading an uploaded workbook into header-keyed rows, refusing every kind of bad file with a clear message.

The file is checked first (apps.imports.archive.check_workbook) and its parts read through the
archive's bounded readers; every part is then parsed here, in bounded memory whatever the file
holds (openpyxl's own parsers keep every element they have read), by the C XMLParser with targets of
our own: the manifest, the workbook and its relationships, the styles, the shared strings and the
first worksheet. Of openpyxl only public helpers are used (constants, number formats, dates, rich
text), so an upgrade of its internals cannot break the import.
"""
import datetime as dt
import posixpath
import sys
from dataclasses import dataclass, field
from warnings import warn

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.text import Text
from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.xml.constants import (
    ARC_CONTENT_TYPES, ARC_STYLE, ARC_WORKBOOK, REL_NS, SHARED_STRINGS, SHEET_MAIN_NS, XLSM, XLSX, XLTM, XLTX,
)
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
_MAIN_NS = "{%s}" % SHEET_MAIN_NS
_INLINE, _TEXT, _VALUE, _FORMULA = _MAIN_NS + "is", _MAIN_NS + "t", _MAIN_NS + "v", _MAIN_NS + "f"
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


class _Part:
    """Target of the C XMLParser for a part read whole (the manifest, the workbook, its relationships, the styles).

    No element is kept: each is passed once to ``element(path, name, attrib)``, *path* being the
    local names of its ancestors (namespaces are ignored, as openpyxl ignores them), and only what
    the subclass records stays in memory; ``read`` returns what its ``close`` gives. A DOCTYPE is
    refused as soon as it starts, as in every other part, and elements may be nested at most
    _MAX_DEPTH deep. The part itself is at most the archive's per-member limit (GuardedZipFile.read).
    """

    def __init__(self):
        self.path = []

    def doctype(self, name, pubid, system):
        raise ImportFileError(XML_FORBIDDEN)

    def start(self, tag, attrib):
        name = tag.rpartition("}")[2]
        self.element(self.path, name, attrib)
        self.path.append(name)
        if len(self.path) > _MAX_DEPTH:
            raise ImportFileError(FILE_CORRUPT)

    def end(self, tag):
        self.path.pop()

    def data(self, text):
        pass

    def close(self):
        return self

    def element(self, path, name, attrib):
        raise NotImplementedError

    @classmethod
    def read(cls, archive: GuardedZipFile, name: str, *args):
        parser = XMLParser(target=cls(*args))
        parser.feed(archive.read(name))
        return parser.close()


def _required(attrib, key):
    """The attribute openpyxl requires of the element (it refuses the part without it)."""
    value = attrib.get(key)
    if value is None:
        raise ImportFileError(FILE_CORRUPT)
    return value


class _Manifest(_Part):
    """[Content_Types].xml: the content type of each part named (Override) and of each extension (Default)."""

    def __init__(self):
        super().__init__()
        self.overrides, self.defaults = [], set()

    def element(self, path, name, attrib):
        if len(path) == 1 and name == "Override":
            self.overrides.append((_required(attrib, "PartName"), _required(attrib, "ContentType")))
        elif len(path) == 1 and name == "Default":
            _required(attrib, "Extension")
            self.defaults.add(_required(attrib, "ContentType"))

    def part(self, content_type) -> str | None:
        """The name in the archive of the first part of *content_type* (its part name without the leading '/')."""
        return next((name[1:] for name, type_ in self.overrides if type_ == content_type), None)

    def workbook_part(self) -> str:
        """The workbook's part (a template's or a macro workbook's too), else xl/workbook.xml if the types allow one."""
        for content_type in _WORKBOOK_TYPES:
            name = self.part(content_type)
            if name is not None:
                return name
        if self.defaults & set(_WORKBOOK_TYPES):  # some applications reassign the default for application/xml
            return ARC_WORKBOOK
        raise ImportFileError(FILE_CORRUPT)


_WORKBOOK_TYPES = (XLTM, XLTX, XLSM, XLSX)
_SHEET_STATES = {None, "none", "visible", "hidden", "veryHidden"}
_REL_ID = "{%s}id" % REL_NS


class _WorkbookPart(_Part):
    """The workbook part: its date system and its sheets (name, relationship id), in order."""

    def __init__(self):
        super().__init__()
        self.epoch, self.sheets = WINDOWS_EPOCH, []

    def element(self, path, name, attrib):
        depth = len(path)
        if depth == 1 and name == "workbookPr":
            # openpyxl's Bool: "false", "f", "0" (and nothing) are false; any other text is true.
            self.epoch = MAC_EPOCH if attrib.get("date1904", "") not in ("", "false", "f", "0") else WINDOWS_EPOCH
        elif depth == 1 and name == "sheets":
            self.sheets = []  # the last <sheets> counts, as in openpyxl
        elif depth == 2 and path[1] == "sheets":
            _required(attrib, "name")
            int(_required(attrib, "sheetId"))
            if attrib.get("state") not in _SHEET_STATES:
                raise ImportFileError(FILE_CORRUPT)
            self.sheets.append(attrib.get(_REL_ID, attrib.get("id")))


class _Relationships(_Part):
    """A part's relationships: id → (type, target), the target resolved against the folder of the part."""

    def __init__(self, folder):
        super().__init__()
        self.folder, self.targets, self.invalid = folder, {}, False

    def element(self, path, name, attrib):
        if len(path) != 1 or name != "Relationship":
            return
        type_, target = attrib.get("Type"), attrib.get("Target")
        if type_ is None or target is None:
            self.invalid = True  # openpyxl then drops every relationship of the part
            return
        if attrib.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(self.folder, target))
        self.targets[attrib.get("Id") or f"rId{len(self.targets) + 1}"] = (type_, target)

    def close(self):
        return {} if self.invalid else self.targets

    @classmethod
    def of(cls, archive: GuardedZipFile, part: str) -> dict:
        folder, name = posixpath.split(part)
        return cls.read(archive, posixpath.join(folder, "_rels", f"{name}.rels"), folder)


class _Styles(_Part):
    """Which cell formats (styles.xml cellXfs, by index) show a date or a duration, from their number formats."""

    def __init__(self):
        super().__init__()
        self.custom, self.formats = {}, []

    def element(self, path, name, attrib):
        depth = len(path)
        if depth == 1 and name in ("numFmts", "cellXfs"):  # the last of each counts, as in openpyxl
            if name == "numFmts":
                self.custom = {}
            else:
                self.formats = []
        elif depth == 2 and path[1] == "numFmts" and name == "numFmt":
            self.custom[int(_required(attrib, "numFmtId"))] = _required(attrib, "formatCode")
        elif depth == 2 and path[1] == "cellXfs" and name == "xf":
            self.formats.append(int(attrib.get("numFmtId", 0)))

    def close(self):
        dates, durations = set(), set()
        for index, number_format in enumerate(self.formats):
            code = self.custom[number_format] if number_format in self.custom else BUILTIN_FORMATS.get(number_format)
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        return dates, durations


@dataclass
class Workbook:
    """What an import reads of a workbook: its worksheets' parts, its shared strings, which styles are dates."""

    archive: GuardedZipFile
    worksheets: list
    shared_strings: list
    epoch: dt.datetime
    date_formats: set
    timedelta_formats: set

    def close(self):
        self.archive.close()


def _read_workbook(archive: GuardedZipFile) -> Workbook:
    """The parts an import needs, in openpyxl's order: the manifest, shared strings, workbook, styles, relationships.

    Not the theme, document properties, external links, defined names or chart sheets, which an
    import never uses and a hostile file could bloat.
    """
    manifest = _Manifest.read(archive, ARC_CONTENT_TYPES)
    strings = manifest.part(SHARED_STRINGS)
    shared_strings = []
    if strings is not None:
        with archive.open(strings) as source:
            shared_strings = _shared_strings(source, archive.text)
    part = manifest.workbook_part()
    workbook = _WorkbookPart.read(archive, part)
    try:
        dates, durations = _Styles.read(archive, ARC_STYLE)
    except KeyError:  # no styles part: no cell is a date
        dates, durations = set(), set()
    worksheets, relationships, names = [], None, set(archive.namelist())
    for sheet in workbook.sheets:
        if not sheet:  # openpyxl drops a sheet without a relationship id (with a warning)
            continue
        if relationships is None:
            relationships = _Relationships.of(archive, part)
        type_, target = relationships[sheet]
        if target in names and "chartsheet" not in type_:
            worksheets.append(target)
    return Workbook(archive, worksheets, shared_strings, workbook.epoch, dates, durations)


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


class _Parser:
    """A worksheet's rows in bounded memory, each cell read as openpyxl's read-only mode reads it.

    openpyxl's own parser keeps every row element it has read (emptied, but still in the tree),
    builds objects for merged cells, conditional formats, column widths… and records the height of
    every row: all without bound in a hostile sheet. Here rows are built one at a time (_Items),
    nothing else is kept, parsing stops at </sheetData>, a row holds at most Excel's 16,384 cells
    and a sheet at most its 1,048,576 rows.

    Each cell gives {"row", "column", "value", "data_type", "style_id"} as openpyxl's does: numbers,
    dates (by the cell's style), booleans, shared and inline strings, errors and formulas (type "f",
    so that they can be refused instead of silently cached). openpyxl, and XlsxWriter in
    constant-memory mode, write every text cell as ``<c t="inlineStr"><is><t>…</t></is></c>``: that
    plain case takes a short path, without building a rich-text object for each.
    """

    def __init__(self, source, workbook: Workbook):
        self.source, self.shared_strings, self.epoch = source, workbook.shared_strings, workbook.epoch
        self.date_formats, self.timedelta_formats = workbook.date_formats, workbook.timedelta_formats
        self.shared_formulae = {}
        self.row_counter = self.col_counter = 0

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

    def _position(self, coordinate):
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        return row, column

    def parse_cell(self, element):
        data_type, coordinate = element.get("t", "n"), element.get("r")
        if data_type == "inlineStr" and len(element) == 1:
            inline = element[0]
            if inline.tag == _INLINE and len(inline) == 1 and inline[0].tag == _TEXT:
                row, column = self._position(coordinate)
                return {"row": row, "column": column, "value": inline[0].text or "", "data_type": "s",
                        "style_id": int(element.get("s", 0))}
        style_id = element.get("s", 0)
        if style_id:
            style_id = int(style_id)
        value = None if data_type == "inlineStr" else element.findtext(_VALUE, None) or None
        row, column = self._position(coordinate)
        if element.find(_FORMULA) is not None:
            data_type, value = "f", self.parse_formula(element)
        elif value is not None:
            data_type, value = self._typed(data_type, value, style_id, coordinate)
        elif data_type == "inlineStr":
            child = element.find(_INLINE)
            if child is not None:
                data_type, value = "s", Text.from_tree(child).content
        return {"row": row, "column": column, "value": value, "data_type": data_type, "style_id": style_id}

    def _typed(self, data_type, value, style_id, coordinate):
        """(data type, value) of a cell's <v> text, as openpyxl types it."""
        if data_type == "n":
            value = float(value) if "." in value or "E" in value or "e" in value else int(value)
            if style_id in self.date_formats:
                try:
                    return "d", from_excel(value, self.epoch, timedelta=style_id in self.timedelta_formats)
                except (OverflowError, ValueError):
                    warn(f"Cell {coordinate} is marked as a date but the serial value {value} is outside the "
                         "limits for dates. The cell will be treated as an error.")
                    return "e", "#VALUE!"
            return data_type, value
        if data_type == "s":
            return data_type, self.shared_strings[int(value)]
        if data_type == "b":
            return data_type, bool(int(value))
        if data_type == "str":
            return "s", value
        if data_type == "d":
            return data_type, from_ISO8601(value)
        return data_type, value

    def parse_formula(self, element):
        """The formula as openpyxl reads it (shared formulas translated to their cell); refused later if kept."""
        formula = element.find(_FORMULA)
        formula_type, coordinate = formula.get("t"), element.get("r")
        value = "=" + (formula.text or "")
        if formula_type == "array":
            return ArrayFormula(ref=formula.get("ref"), text=value)
        if formula_type == "shared":
            index = formula.get("si")
            if index in self.shared_formulae:
                return self.shared_formulae[index].translate_formula(coordinate)
            if value != "=":
                self.shared_formulae[index] = Translator(value, coordinate)
        elif formula_type == "dataTable":
            return DataTableFormula(**formula.attrib)
        return value


def open_workbook(data: bytes, *, limits: Limits | None = None) -> Workbook:
    """Check *data* (apps.imports.archive), then read what an import needs of it, or raise ImportFileError why not."""
    limits = limits or Limits.from_settings()
    check_workbook(data, limits=limits)
    try:
        return _read_workbook(GuardedZipFile(data, limits=limits))
    except ImportFileError:
        raise
    except Exception as exc:  # KeyError, ValueError, ParseError… on a damaged archive
        raise refusal(exc) from exc


def _rows(workbook: Workbook, worksheet: str):
    """(Excel row number, {column number: (value, data type)}) for every row of *worksheet* that has cells."""
    parser = _Parser(workbook.archive.open(worksheet), workbook)
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
    budget = workbook.archive.text
    rows = None
    try:
        if not workbook.worksheets:
            raise ImportFileError(SHEET_EMPTY)
        rows = _rows(workbook, workbook.worksheets[0])
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
