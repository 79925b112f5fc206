"""The downloadable template of each kind: Vietnamese headers, one example row, drop-down lists for choices."""
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from apps.khom.models import Khom

from .resources import RESOURCES

CHOICES_SHEET = "Danh muc"
VALIDATED_ROWS = 5000


class _ByKind:
    """kind → an attribute of that kind's resource class, read when asked (the registry fills at start-up)."""

    def __init__(self, attribute: str):
        self.attribute = attribute

    def __getitem__(self, kind: str):
        return getattr(RESOURCES[kind], self.attribute)


# Each kind's columns and example row are its resource's (``template_headers``, ``template_example``):
# the person's come from the column spec of apps.subjects.columns, as the export's do.
TEMPLATE_HEADERS = _ByKind("template_headers")
EXAMPLES = _ByKind("template_example")
# Cells kept as text (leading zeros of a CCCD, a phone number, a khóm code).
TEXT_COLUMNS = {"Số CCCD", "Số điện thoại", "Mã khóm"}


_EXAMPLE_KEYS = {}


def example_key(kind: str):
    """A comparable form of the example row (dates as dates, text stripped), computed once."""
    if kind not in _EXAMPLE_KEYS:
        _EXAMPLE_KEYS[kind] = _key(EXAMPLES[kind])
    return _EXAMPLE_KEYS[kind]


def _key(record: dict):
    def norm(value):
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.isoformat() if isinstance(value, dt.date) else str(value).strip() if value is not None else ""
    return tuple(sorted((header, norm(value)) for header, value in record.items() if norm(value)))


def is_example(kind: str, record: dict) -> bool:
    # Cheap test first: the example's notes cell is unlike any real row.
    marker = next(value for header, value in EXAMPLES[kind].items() if isinstance(value, str) and "ví dụ" in value)
    if marker not in [v for v in record.values() if isinstance(v, str)]:
        return False
    return _key(record) == example_key(kind)


def _choice_lists(kind: str, user) -> dict:
    resource = RESOURCES[kind](user=user)
    lists = {}
    for header in TEMPLATE_HEADERS[kind]:
        field = next((f for f in resource.fields.values() if f.column_name == header), None)
        labels = getattr(getattr(field, "widget", None), "labels", None)
        if labels:
            lists[header] = list(labels.values())
    if "Mã khóm" in TEMPLATE_HEADERS[kind]:
        khoms = Khom.objects.for_user(user).order_by("ward__name", "code")
        lists["Mã khóm"] = list(dict.fromkeys(khoms.values_list("code", flat=True)))
        lists["Khóm"] = list(dict.fromkeys(khoms.values_list("name", flat=True)))
    return lists


def build_template(kind: str, user) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Du lieu"
    headers = TEMPLATE_HEADERS[kind]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    example = EXAMPLES[kind]
    sheet.append([example.get(h) for h in headers])
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(header) + 4)
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(italic=True, color="808080")
        if isinstance(cell.value, dt.date):
            cell.number_format = "DD/MM/YYYY"
        if header in TEXT_COLUMNS:
            cell.number_format = "@"
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet(CHOICES_SHEET)
    lists.sheet_state = "hidden"
    for column, (header, values) in enumerate(_choice_lists(kind, user).items(), start=1):
        letter = get_column_letter(column)
        lists.cell(row=1, column=column, value=header)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=column, value=value).data_type = "s"
        if not values:
            continue
        validation = DataValidation(type="list", formula1=f"'{CHOICES_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
                                    allow_blank=True, showErrorMessage=False)
        target = get_column_letter(headers.index(header) + 1)
        validation.add(f"{target}2:{target}{VALIDATED_ROWS}")
        sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
