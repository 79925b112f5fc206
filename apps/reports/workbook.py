"""The provincial Excel workbook of a report, and the province-wide workbook with one row per ward.

Both are written from report snapshots only (never from live records), in
Vietnamese, with numbers stored as numbers and no personal names: the
snapshot holds aggregates, khóm names and the signer's title and name.
"""
import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from apps.core.excel import StreamingWorkbook, text_cell

from .periods import ReportPeriod
from .tables import report_tables

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="center")


def number_cell(ws, value, **style):
    """A figure as a number cell (int or float), or an empty cell when there is no figure."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, bool):
        cell.value = int(value)
    if isinstance(value, (int, float)):
        cell.number_format = INTEGER_FORMAT if float(value).is_integer() else DECIMAL_FORMAT
    elif value is not None:
        return text_cell(ws, value, **style)
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def _sheet(book: StreamingWorkbook, title, headers, widths, banner):
    """A sheet with widths, banner lines, then a bold header row frozen under the banner.

    In a write-only workbook the sheet view is written with the first row, so
    the frozen pane is set before anything is appended (StreamingWorkbook.sheet
    sets it after its banner, which openpyxl then ignores).
    """
    ws = book.workbook.create_sheet(title=title)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{len(banner) + 2}"
    for index, line in enumerate(banner):
        ws.append([text_cell(ws, line, font=TITLE if index == 1 else BOLD)])
    ws.append([text_cell(ws, header, font=BOLD, alignment=WRAP) for header in headers])
    return ws


def _row(ws, values, first_number, **style):
    return [number_cell(ws, value, **style) if index >= first_number else text_cell(ws, value, **style)
            for index, value in enumerate(values)]


def _banner(ward_name: str, province: str, period: ReportPeriod, made_on: dt.date, title: str) -> list:
    return [
        _("UBND PHƯỜNG %(ward)s — TỈNH %(province)s") % {"ward": ward_name.upper(), "province": province.upper()},
        title,
        _("Kỳ báo cáo: %(label)s (từ %(start)s đến %(end)s)") % {
            "label": period.label, "start": f"{period.start:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"},
        _("Ngày lập: %(date)s") % {"date": f"{made_on:%d/%m/%Y}"},
    ]


def _signature(ws, width: int, place: str, made_on: dt.date, signer_title: str, signer_name: str):
    """A blank row, then the place and date, the signer's title, room to sign and the name (right-aligned block)."""
    pad = [None] * max(width - 2, 0)
    centred = Alignment(horizontal="center")
    ws.append([])
    ws.append(pad + [text_cell(ws, _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "place": place, "d": f"{made_on:%d}", "m": f"{made_on:%m}", "y": made_on.year}, alignment=centred)])
    ws.append([text_cell(ws, _("NGƯỜI LẬP BIỂU"), font=BOLD, alignment=centred)] + pad[1:] +
              [None, text_cell(ws, signer_title or _("CHỦ TỊCH"), font=BOLD, alignment=centred)])
    ws.append([text_cell(ws, _("(Ký, ghi rõ họ tên)"), alignment=centred)] + pad[1:] +
              [None, text_cell(ws, _("(Ký, ghi rõ họ tên, đóng dấu)"), alignment=centred)])
    for _blank in range(4):
        ws.append([])
    ws.append(pad + [None, text_cell(ws, signer_name or "", font=BOLD, alignment=centred)])


def report_workbook(report, snapshot: dict) -> StreamingWorkbook:
    """The provincial workbook of one report, from *snapshot* (the one the report page shows)."""
    book = StreamingWorkbook()
    with translation.override("vi"):
        period = report.period
        made_on = timezone.localdate(report.submitted_at) if report.submitted_at else timezone.localdate()
        ward = snapshot["ward"]
        title = _("BÁO CÁO KẾT QUẢ XÂY DỰNG PHƯỜNG KHÔNG MA TÚY")
        banner = _banner(ward["name"], ward["province"], period, made_on, title)
        if report.is_draft:
            banner.append(_("BẢN NHÁP — số liệu tạm tính, chưa chốt"))
        sheets = {}
        for table in report_tables(snapshot):
            ws = sheets.get(table.sheet)
            if ws is None:
                ws = _sheet(book, table.sheet, table.headers, table.widths, banner)
                sheets[table.sheet] = ws
            else:
                # A second table on the same sheet: a gap, its title, its own header row.
                ws.append([])
                ws.append([text_cell(ws, table.title, font=BOLD)])
                ws.append([text_cell(ws, h, font=BOLD) for h in table.headers])
            for row in table.rows:
                ws.append(_row(ws, row, table.first_number))
            if not table.rows:
                ws.append([text_cell(ws, _("(không có số liệu)"))])
        summary = sheets[_("Tổng hợp")]
        _signature(summary, 5, ward["name"], made_on, report.signer_title, report.signer_name)
    return book


PROVINCE_HEADERS = (gettext_noop("Mã phường"), gettext_noop("Phường"), gettext_noop("Tình trạng báo cáo"),
                    gettext_noop("Ngày nộp"), gettext_noop("Đúng hạn"))


def province_workbook(period: ReportPeriod, wards, reports_by_ward: dict, codes: list, meta: dict) -> StreamingWorkbook:
    """One row per ward: its submitted report's frozen figures for *period* (blank when not submitted)."""
    book = StreamingWorkbook()
    with translation.override("vi"):
        headers = [_(h) for h in PROVINCE_HEADERS] + [_(meta[code]["label"]) for code in codes]
        banner = [
            _("TỔNG HỢP KẾT QUẢ XÂY DỰNG XÃ, PHƯỜNG KHÔNG MA TÚY"),
            _("Kỳ báo cáo: %(label)s (từ %(start)s đến %(end)s)") % {
                "label": period.label, "start": f"{period.start:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"},
            _("Ngày lập: %(date)s") % {"date": f"{timezone.localdate():%d/%m/%Y}"},
        ]
        ws = _sheet(book, _("Tổng hợp"), headers, [10, 24, 18, 12, 10] + [16] * len(codes), banner)
        for ward in wards:
            report = reports_by_ward.get(ward.pk)
            if report is None:
                ws.append([text_cell(ws, ward.code), text_cell(ws, ward.name), text_cell(ws, _("Chưa nộp"))])
                continue
            values = report.snapshot.get("values", {})
            submitted = timezone.localdate(report.submitted_at)
            ws.append(
                [text_cell(ws, ward.code), text_cell(ws, ward.name), text_cell(ws, report.get_status_display()),
                 _date_cell(ws, submitted), text_cell(ws, _("Có") if report.submitted_on_time else _("Không"))]
                + [number_cell(ws, values.get(code)) for code in codes]
            )
    return book


def _date_cell(ws, day):
    cell = WriteOnlyCell(ws, value=day)
    cell.number_format = "DD/MM/YYYY"
    return cell
