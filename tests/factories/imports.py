"""Workbooks for import tests, built in memory."""
import datetime as dt
import io

from openpyxl import Workbook

from apps.subjects.columns import PERSON_HEADERS
from apps.subjects.columns import TEMPLATE_HEADERS as PERSON_TEMPLATE_HEADERS


def xlsx(headers, rows, banner=None, title="Dữ liệu") -> bytes:
    """An .xlsx with an optional banner line, a header row and *rows* (lists or dicts keyed by header)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    if banner:
        sheet.append([banner])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers] if isinstance(row, dict) else list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def person_row(khom_code="A01", **overrides) -> dict:
    row = {"Họ và tên": "Trần Văn Nhập", "Giới tính": "Nam", "Ngày sinh": "15/03/1992", "Số CCCD": None,
           "Mã khóm": khom_code, "Khóm": None, "Địa chỉ": "12 Lê Lợi", "Số điện thoại": "0901234567",
           "Nghề nghiệp": "Thợ hồ", "Ghi chú": None}
    row.update(overrides)
    return row


def persons_xlsx(rows, headers=None, **kwargs) -> bytes:
    return xlsx(headers or PERSON_TEMPLATE_HEADERS, rows, **kwargs)


__all__ = ["PERSON_HEADERS", "PERSON_TEMPLATE_HEADERS", "dt", "person_row", "persons_xlsx", "xlsx"]
