"""The admin's import format: .xlsx only, read by the import's own checked and bounded reader."""
import tablib

from apps.core.safe_formats import SafeXLSX

from .reader import read_table


class CheckedXLSX(SafeXLSX):
    """XLSX whose import goes through apps.imports.reader (check_workbook first), not tablib's own openpyxl load.

    tablib opens the workbook with openpyxl directly: no limit on what the archive inflates to, every
    row element kept, formulas read as their cached values. Exports stay SafeXLSX's (user text as text).
    """

    def create_dataset(self, in_stream):
        sheet = read_table(bytes(in_stream))
        dataset = tablib.Dataset(headers=sheet.headers)
        for record in sheet.rows:
            dataset.append([record[h] for h in sheet.headers])
        return dataset
