"""Safe, streaming Excel writing: user text is always text, never a formula.

Written with XlsxWriter in ``constant_memory`` mode: each row goes to a
temporary file as soon as the next one starts, so memory stays flat at any row
count, and the writer is several times faster than openpyxl's write-only mode
(issue 9: 50,000 people in about 5 s, was 29 s; ``StreamingWorksheet`` below
does most of that). openpyxl is still used to READ workbooks (imports, tests).

Values are plain Python values, written by their type:

* ``str`` (and anything else not listed below) → a text cell, always through
  ``write_string``: a value starting with '=', '+', '-' or '@' stays literal text;
* ``int``/``float``/``Decimal`` → a number; ``bool`` → a boolean;
* ``date`` → a real date shown dd/mm/yyyy; ``datetime`` → local time, naive,
  shown dd/mm/yyyy hh:mm;
* ``None`` → no cell (a blank cell when a style is given).
"""
import datetime as dt
import functools
import re
import tempfile
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MAX_CELL_TEXT = 32767  # Excel's limit for the text of one cell

WORKBOOK_OPTIONS = {
    "constant_memory": True,
    # Defence in depth: we never call write() on user text, but if someone does, a string stays a string.
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "default_date_format": DATE_FORMAT,
}


def _is_raw_rich_text(value: str) -> bool:
    # In constant_memory mode XlsxWriter copies a string that starts with "<r>" and ends with
    # "</r>" into the sheet XML unescaped (it takes it for its own rich-string markup). User text
    # of that shape is written as a rich string of plain fragments instead, which it escapes.
    return value.startswith("<r>") and value.endswith("</r>")


_NEEDS_CONTROL_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_NEEDS_MARKUP_ESCAPE = re.compile("[&<>]")
_EDGE_WHITESPACE = re.compile(r"^\s|\s$")
_column_name = functools.cache(xl_col_to_name)


class StreamingWorksheet(Worksheet):
    """XlsxWriter's worksheet, with each plain row's XML written in one go instead of cell by cell.

    Profiling the people export (issue 9, 50,000 rows × 14 columns) put about two thirds of
    its time in XlsxWriter's per-cell XML writer (``_write_cell``: a list of attributes, two
    regular-expression substitutions and a file write per cell). In constant_memory mode a
    row is written when the next one starts (``_write_single_row``); for rows of text,
    numbers and dates this builds the same XML as one string. Any other row (rich strings,
    booleans, blanks, formulas, row formats, comments, a changed default row height) is
    left to XlsxWriter's own writer. tests/core/test_excel.py checks that the sheet XML is
    byte for byte what XlsxWriter writes itself: run it when upgrading xlsxwriter (pinned).
    """

    def _write_single_row(self, current_row_num=0) -> None:
        row_num = self.previous_row
        cells = self.table.get(row_num)
        if (not cells or row_num in self.set_rows or row_num in self.comments
                or self.default_row_height != self.original_row_height):
            return super()._write_single_row(current_row_num)
        number = str(row_num + 1)
        parts = [f'<row r="{number}">']
        for col in sorted(cells):
            cell = cells[col]
            kind = cell.__class__.__name__
            cell_format = cell.format
            if cell_format is None and col in self.col_info:
                cell_format = self.col_info[col][1]
            style = f' s="{cell_format._get_xf_index()}"' if cell_format else ""
            if kind == "String":
                text = cell.string
                if _is_raw_rich_text(text):
                    return super()._write_single_row(current_row_num)
                if _NEEDS_CONTROL_ESCAPE.search(text):
                    text = self._escape_control_characters(text)
                space = ' xml:space="preserve"' if _EDGE_WHITESPACE.search(text) else ""
                if _NEEDS_MARKUP_ESCAPE.search(text):
                    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                parts.append(f'<c r="{_column_name(col)}{number}"{style} t="inlineStr">'
                             f'<is><t{space}>{text}</t></is></c>')
            elif kind == "Number" or kind == "Datetime":
                parts.append(f'<c r="{_column_name(col)}{number}"{style}><v>{cell.number:.16G}</v></c>')
            else:
                return super()._write_single_row(current_row_num)
        parts.append("</row>")
        self.fh.write("".join(parts))
        self.previous_row = current_row_num
        self.table.clear()


class Sheet:
    """One worksheet written top to bottom: ``append`` writes the next row."""

    def __init__(self, book: "StreamingWorkbook", worksheet):
        self.book = book
        self.worksheet = worksheet
        self.next_row = 0
        self._date = book.style(num_format=DATE_FORMAT)
        self._datetime = book.style(num_format=DATETIME_FORMAT)

    def append(self, values=(), style=None, styles=None) -> None:
        """Write *values* as the next row; *style* applies to every cell, *styles* (one per cell, or None) to each."""
        row = self.next_row
        self.next_row += 1
        ws = self.worksheet
        fmt = style
        for col, value in enumerate(values):
            if styles is not None:
                fmt = styles[col] if col < len(styles) and styles[col] is not None else style
            if value is None:
                if fmt is not None:
                    ws.write_blank(row, col, None, fmt)
                continue
            cls = value.__class__
            if cls is str:
                # The common case first (this loop runs for every cell of a 50,000-row export).
                if value and "\r" not in value and not value.startswith("<r>") and len(value) <= MAX_CELL_TEXT:
                    ws.write_string(row, col, value, fmt)
                else:
                    self._string(row, col, value, fmt)
            elif cls is int or cls is float:
                ws.write_number(row, col, value, fmt)
            elif cls is dt.date:
                self._date_cell(row, col, value, fmt)
            else:
                self._other(row, col, value, fmt)

    def append_rows(self, rows, style=None) -> int:
        """Write every row of *rows*; return how many."""
        count = 0
        for values in rows:
            self.append(values, style)
            count += 1
        return count

    def skip(self, rows: int = 1) -> None:
        """Leave *rows* empty rows."""
        self.next_row += rows

    def _string(self, row, col, value: str, fmt):
        if not value:
            # An empty text is no cell, as openpyxl wrote it (it reads back as None).
            if fmt is not None:
                self.worksheet.write_blank(row, col, None, fmt)
            return
        if len(value) > MAX_CELL_TEXT:
            # Excel holds at most 32,767 characters in a cell; XlsxWriter would cut plain text silently
            # and write no cell at all for rich text. Cut it here, visibly.
            value = value[: MAX_CELL_TEXT - 1] + "…"
        if "\r" in value:
            # Line breaks as Excel stores them (LF). XlsxWriter would write a CR as the escape
            # _x000D_, which openpyxl, our import's reader, returns literally.
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if _is_raw_rich_text(value):
            parts = (value[0], value[1], value[2:]) + ((fmt,) if fmt is not None else ())
            self.worksheet.write_rich_string(row, col, *parts)
        else:
            self.worksheet.write_string(row, col, value, fmt)

    def _date_cell(self, row, col, value, fmt):
        self.worksheet.write_datetime(row, col, value,
                                      self.book.with_number_format(fmt, DATE_FORMAT) if fmt else self._date)

    def _other(self, row, col, value, fmt):
        ws = self.worksheet
        if isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value, fmt)
        elif isinstance(value, Decimal):
            ws.write_number(row, col, float(value), fmt)
        elif isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            ws.write_datetime(row, col, value.replace(tzinfo=None),
                              self.book.with_number_format(fmt, DATETIME_FORMAT) if fmt else self._datetime)
        elif isinstance(value, dt.date):
            self._date_cell(row, col, value, fmt)
        else:
            # Lazy translations, subclasses of str, anything else: its text, as text.
            self._string(row, col, str(value), fmt)


class StreamingWorkbook:
    """A workbook streamed row by row into a temporary file, so memory stays flat at any row count."""

    worksheet_class = StreamingWorksheet

    def __init__(self):
        self._file = tempfile.TemporaryFile()
        self.workbook = xlsxwriter.Workbook(self._file, WORKBOOK_OPTIONS)
        self._styles = {}
        self._properties = {}
        self.bold = self.style(bold=True)

    def style(self, **properties):
        """A cell format with XlsxWriter *properties* (bold, font_size, align, text_wrap, num_format…), made once."""
        key = tuple(sorted(properties.items()))
        fmt = self._styles.get(key)
        if fmt is None:
            fmt = self._styles[key] = self.workbook.add_format(properties)
            self._properties[id(fmt)] = properties
        return fmt

    def with_number_format(self, fmt, num_format: str):
        """*fmt* with *num_format* added (a date in a bold row is still shown as a date)."""
        return self.style(**{**self._properties[id(fmt)], "num_format": num_format})

    def sheet(self, title, headers=None, widths=None, banner=None, *, banner_styles=None, header_style=None) -> Sheet:
        """A sheet with column *widths*, bold *banner* lines, then a bold header row frozen under them.

        *banner_styles* (one per line) and *header_style* replace the bold of those rows.
        """
        sheet = Sheet(self, self.workbook.add_worksheet(str(title), worksheet_class=self.worksheet_class))
        for index, width in enumerate(widths or ()):
            sheet.worksheet.set_column(index, index, width)
        banner = list(banner or [])
        for index, line in enumerate(banner):
            style = banner_styles[index] if banner_styles and index < len(banner_styles) else self.bold
            sheet.append([line], style)
        if headers:
            sheet.append(headers, header_style or self.bold)
            sheet.worksheet.freeze_panes(sheet.next_row, 0)
        return sheet

    def close(self):
        """Finish the file (once); the workbook cannot be written afterwards."""
        if self.workbook.fileclosed:
            return
        self.workbook.close()

    def getvalue(self) -> bytes:
        """The finished file's bytes (for callers that need them in memory, e.g. the admin's export)."""
        self.close()
        self._file.seek(0)
        data = self._file.read()
        self._file.close()
        return data

    def response(self, filename) -> FileResponse:
        """The finished file as a download, streamed from its temporary file (closed with the response)."""
        self.close()
        self._file.seek(0)
        return FileResponse(self._file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
