"""django-import-export formats that keep user text as text (the admin's export buttons use these)."""
from io import BytesIO

from import_export.formats.base_formats import XLSX
from openpyxl import Workbook

from .excel import text_cell, value_cell


class SafeXLSX(XLSX):
    """XLSX export where a value starting with '=', '+', '-' or '@' stays text: no cell is ever a formula.

    tablib's own export assigns strings to cells, which openpyxl turns into
    formulas; import-export's escape option only strips one '=' and alters the data.
    """

    def export_data(self, dataset, **kwargs):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=(dataset.title or "Export")[:31])
        if dataset.headers:
            sheet.append([text_cell(sheet, header) for header in dataset.headers])
        for row in dataset:
            sheet.append([value_cell(sheet, value) for value in row])
        stream = BytesIO()
        workbook.save(stream)
        return stream.getvalue()
