"""The provincial Excel workbook of a report, and the province-wide workbook with one row per ward.

Both are written from report snapshots only (never from live records), in
Vietnamese, with numbers stored as numbers and no personal names: the
snapshot holds aggregates, khóm names and the signer's title and name.
"""
import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.core.excel import StreamingWorkbook
from apps.core.periods import Period

from .tables import report_tables

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"


class _Styles:
    """The workbook's few cell formats, made once per workbook."""

    def __init__(self, book: StreamingWorkbook):
        self.bold = book.bold
        self.title = book.style(bold=True, font_size=13)
        self.header = book.style(bold=True, text_wrap=True, valign="vcenter")
        self.integer = book.style(num_format=INTEGER_FORMAT)
        self.decimal = book.style(num_format=DECIMAL_FORMAT)
        self.centred = book.style(align="center")
        self.bold_centred = book.style(bold=True, align="center")

    def number(self, value):
        """The number format of a figure; None for anything that is not a number (written as text)."""
        if isinstance(value, (int, float)):
            return self.integer if float(value).is_integer() else self.decimal
        return None


def _figure(value):
    # A bool figure is a count of one or zero; text in a figure column stays text.
    if isinstance(value, bool):
        return int(value)
    return value if value is None or isinstance(value, (int, float)) else str(value)


def _sheet(book: StreamingWorkbook, styles: _Styles, title, headers, widths, banner):
    """A sheet with widths, banner lines (the second, the title, larger), then a bold header row frozen under them."""
    banner_styles = [styles.title if index == 1 else styles.bold for index in range(len(banner))]
    return book.sheet(title, headers=headers, widths=widths, banner=banner, banner_styles=banner_styles,
                      header_style=styles.header)


def _row(ws, styles: _Styles, values, first_number):
    """Label columns as text, figure columns (from *first_number* on) as numbers with a thousands format."""
    values = [None if value is None else str(value) if index < first_number else _figure(value)
              for index, value in enumerate(values)]
    ws.append(values, styles=[None if index < first_number else styles.number(value)
                              for index, value in enumerate(values)])


def _banner(ward_name: str, province: str, period: Period, made_on: dt.date, title: str) -> list:
    return [
        _("UBND PHƯỜNG %(ward)s — TỈNH %(province)s") % {"ward": ward_name.upper(), "province": province.upper()},
        title,
        _("Kỳ báo cáo: %(label)s (từ %(start)s đến %(end)s)") % {
            "label": period.label, "start": f"{period.start:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"},
        _("Ngày lập: %(date)s") % {"date": f"{made_on:%d/%m/%Y}"},
    ]


def _signature(ws, styles: _Styles, width: int, place: str, made_on: dt.date, signer_title: str, signer_name: str):
    """A blank row, then the place and date, the signer's title, room to sign and the name (right-aligned block)."""
    pad = [None] * max(width - 2, 0)
    ws.skip()
    ws.append(pad + [_("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "place": place, "d": f"{made_on:%d}", "m": f"{made_on:%m}", "y": made_on.year}],
              styles=pad + [styles.centred])
    ws.append([_("NGƯỜI LẬP BIỂU")] + pad[1:] + [None, signer_title or _("CHỦ TỊCH")],
              styles=[styles.bold_centred] + pad[1:] + [None, styles.bold_centred])
    ws.append([_("(Ký, ghi rõ họ tên)")] + pad[1:] + [None, _("(Ký, ghi rõ họ tên, đóng dấu)")],
              styles=[styles.centred] + pad[1:] + [None, styles.centred])
    ws.skip(4)
    ws.append(pad + [None, signer_name or ""], styles=pad + [None, styles.bold_centred])


def report_workbook(report, snapshot: dict) -> StreamingWorkbook:
    """The provincial workbook of one report, from *snapshot* (the one the report page shows)."""
    book = StreamingWorkbook()
    styles = _Styles(book)
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
                ws = _sheet(book, styles, table.sheet, table.headers, table.widths, banner)
                sheets[table.sheet] = ws
            else:
                # A second table on the same sheet: a gap, its title, its own header row.
                ws.skip()
                ws.append([table.title], styles.bold)
                ws.append([str(h) for h in table.headers], styles.bold)
            for row in table.rows:
                _row(ws, styles, row, table.first_number)
            if not table.rows:
                ws.append([_("(không có số liệu)")])
        summary = sheets[_("Tổng hợp")]
        _signature(summary, styles, 5, ward["name"], made_on, report.signer_title, report.signer_name)
    return book


PROVINCE_HEADERS = (gettext_noop("Mã phường"), gettext_noop("Phường"), gettext_noop("Tình trạng báo cáo"),
                    gettext_noop("Ngày nộp"), gettext_noop("Đúng hạn"))


def province_workbook(period: Period, wards, reports_by_ward: dict, codes: list, meta: dict) -> StreamingWorkbook:
    """One row per ward: its submitted report's frozen figures for *period* (blank when not submitted)."""
    book = StreamingWorkbook()
    styles = _Styles(book)
    with translation.override("vi"):
        headers = [_(h) for h in PROVINCE_HEADERS] + [_(meta[code]["label"]) for code in codes]
        banner = [
            _("TỔNG HỢP KẾT QUẢ XÂY DỰNG XÃ, PHƯỜNG KHÔNG MA TÚY"),
            _("Kỳ báo cáo: %(label)s (từ %(start)s đến %(end)s)") % {
                "label": period.label, "start": f"{period.start:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"},
            _("Ngày lập: %(date)s") % {"date": f"{timezone.localdate():%d/%m/%Y}"},
        ]
        ws = _sheet(book, styles, _("Tổng hợp"), headers, [10, 24, 18, 12, 10] + [16] * len(codes), banner)
        for ward in wards:
            report = reports_by_ward.get(ward.pk)
            if report is None:
                ws.append([ward.code, ward.name, _("Chưa nộp")])
                continue
            values = report.snapshot.get("values", {})
            figures = [_figure(values.get(code)) for code in codes]
            ws.append([ward.code, ward.name, report.get_status_display(), timezone.localdate(report.submitted_at),
                       _("Có") if report.submitted_on_time else _("Không")] + figures,
                      styles=[None] * len(PROVINCE_HEADERS) + [styles.number(value) for value in figures])
    return book
