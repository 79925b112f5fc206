"""The province's workbook of one reporting round: a row per ward with its standing and its frozen figures,
then a totals row. Values only (no formula), in Vietnamese, with no personal data: the board's rows are
wards, statuses, dates and the snapshot's aggregates."""
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.core.excel import StreamingWorkbook

ROUND_HEADERS = (gettext_noop("STT"), gettext_noop("Mã đơn vị"), gettext_noop("Phường, xã"),
                 gettext_noop("Tình trạng"), gettext_noop("Nộp lúc"), gettext_noop("Số ngày trễ hạn"))
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"


def _number_style(book, value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return book.style(num_format=INTEGER_FORMAT if float(value).is_integer() else DECIMAL_FORMAT)
    return None


def _figure(value):
    if isinstance(value, bool):
        return int(value)
    return value if value is None or isinstance(value, (int, float)) else str(value)


def round_workbook(board: dict) -> StreamingWorkbook:
    """The workbook of ``selectors.round_board()``: the same rows as the board page."""
    book = StreamingWorkbook()
    round_, codes, meta = board["round"], board["codes"], board["meta"]
    with translation.override("vi"):
        period = round_.period
        headers = [_(h) for h in ROUND_HEADERS] + [meta[code]["label"] for code in codes]
        banner = [
            _("TỔNG HỢP TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC PHƯỜNG, XÃ"),
            _("Kỳ báo cáo: %(label)s (từ %(start)s đến %(end)s)") % {
                "label": period.label, "start": f"{period.start:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"},
            _("Hạn nộp: %(due)s; hạn chỉnh sửa: %(editable)s") % {
                "due": f"{round_.due_on:%d/%m/%Y}", "editable": f"{round_.editable_until:%d/%m/%Y}"},
            _("Ngày lập: %(date)s") % {"date": f"{timezone.localdate():%d/%m/%Y}"},
        ]
        header_style = book.style(bold=True, text_wrap=True, valign="vcenter", border=1)
        ws = book.sheet(_("Tổng hợp"), headers=headers, widths=[6, 10, 26, 18, 16, 10] + [14] * len(codes),
                        banner=banner, banner_styles=[book.style(bold=True, font_size=13)] + [book.bold] * 3,
                        header_style=header_style)
        for number, row in enumerate(board["rows"], start=1):
            figures = [_figure(row["values"][code]) for code in codes]
            ws.append([number, row["ward"].code, row["ward"].name, str(row["status_label"]), row["sent_at"], row["days_late"],
                       *figures],
                      styles=[None] * 5 + [None] + [_number_style(book, value) for value in figures])
        totals = [_figure(board["totals"][code]) for code in codes]
        bold = book.bold
        counts = "; ".join(f"{label}: {count}" for label, _status, count in board["counts"] if count)
        ws.append([None, None, _("Tổng cộng (%(wards)s đơn vị)") % {"wards": board["wards"]}, counts, None, None,
                   *totals],
                  styles=[None, None, bold, None, None, None] + [
                      book.with_number_format(bold, INTEGER_FORMAT) if isinstance(v, (int, float)) else None
                      for v in totals])
        ws.printable(header_row=len(banner), columns=len(headers))
    return book
