"""django-import-export formats that keep user text as text (the admin's export buttons use these)."""
from import_export.formats.base_formats import XLSX

from .excel import StreamingWorkbook


class SafeXLSX(XLSX):
    """XLSX export where a value starting with '=', '+', '-' or '@' stays text: no cell is ever a formula.

    tablib's own export assigns strings to cells, which openpyxl turns into
    formulas; import-export's escape option only strips one '=' and alters the data.
    Written by the same streaming writer as the app's own exports (apps.core.excel).
    """

    def export_data(self, dataset, **kwargs):
        book = StreamingWorkbook()
        headers = [str(header) for header in dataset.headers or ()]
        sheet = book.sheet((dataset.title or "Export")[:31], headers=headers)
        sheet.append_rows(dataset)
        return book.getvalue()
