"""Safe, streaming Excel writing: user text is always text, never a formula."""
import datetime as dt
import tempfile

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text_cell(ws, value, **style) -> WriteOnlyCell:
    """A cell whose value is stored as a string even when it starts with '=' (no formula)."""
    cell = WriteOnlyCell(ws, value=None)
    if value is None:
        return cell
    cell.value = str(value)
    cell.data_type = "s"
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def value_cell(ws, value, **style) -> WriteOnlyCell:
    """A cell for a typed value: numbers stay numbers, dates get a dd/mm/yyyy format, text stays text."""
    if isinstance(value, str):
        return text_cell(ws, value, **style)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, dt.datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, dt.date):
        cell.number_format = "DD/MM/YYYY"
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


class StreamingWorkbook:
    """A write-only workbook spooled to a temporary file, so memory stays flat at any row count."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)

    def sheet(self, title, headers=None, widths=None, banner=None):
        ws = self.workbook.create_sheet(title=title)
        if widths:
            from openpyxl.utils import get_column_letter

            for index, width in enumerate(widths, start=1):
                ws.column_dimensions[get_column_letter(index)].width = width
        banner = list(banner or [])
        if headers:
            # A write-only sheet keeps panes only when they are set before the first row.
            ws.freeze_panes = f"A{len(banner) + 2}"
        for line in banner:
            ws.append([text_cell(ws, line, font=Font(bold=True))])
        if headers:
            ws.append([text_cell(ws, h, font=Font(bold=True)) for h in headers])
        return ws

    def response(self, filename) -> FileResponse:
        handle = tempfile.TemporaryFile()
        self.workbook.save(handle)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
