"""The provincial Excel workbook of a report, and the province-wide workbook with one row per ward.

Both are written from report snapshots only (never from live records), in
Vietnamese, with numbers stored as numbers and no personal names: the
snapshot holds aggregates, khóm names and the signer's title and name.
"""
import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

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


# ---------------------------------------------------------------- the document form (Nghị định 30/2020/NĐ-CP)
NATIONAL_TITLE = gettext_noop("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
MOTTO = gettext_noop("Độc lập - Tự do - Hạnh phúc")
SIGNING_FOR = gettext_noop("TM. ỦY BAN NHÂN DÂN")
DOCUMENT_KIND = gettext_noop("BÁO CÁO")
# The number is given when the document is registered (văn thư): the form leaves room to write it.
NUMBER_BLANK = "\u2003\u2003\u2003"
DEFAULT_SIGNER_TITLE = gettext_noop("CHỦ TỊCH")
# Sheets whose columns are wider than this (characters of the default font) print landscape.
PORTRAIT_WIDTH = 110
FONT = "Times New Roman"


def document_date(day: dt.date) -> str:
    """ “ngày 05 tháng 01 năm 2026”, “ngày 14 tháng 12 năm 2026”: Nghị định 30/2020 writes a 0 before days
    under 10 and months 1 and 2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("ngày %(d)s tháng %(m)s năm %(y)s") % {"d": f"{day.day:02d}", "m": month, "y": day.year}


@dataclass
class DocumentForm:
    """What the Nghị định 30/2020 form of a ward report says, for the workbook and the printed page alike."""

    issuer: list
    national_title: str
    motto: str
    number: str
    place_date: str
    kind: str
    subject: str
    period_line: str
    signing_for: str
    signer_title: list
    signer_name: str
    recipients: list
    annex_note: str
    is_draft: bool


def document_form(report, *, made_on: dt.date | None = None) -> DocumentForm:
    """The header, number, place and date, signature block and “Nơi nhận” of *report*, in the active language.

    The issuing body, the place and the recipients are the ward's (editable in the admin), the signer's
    title and name the report's; the date is the day the report was submitted (today for a draft).
    """
    ward, period = report.ward, report.period
    if made_on is None:
        made_on = timezone.localdate(report.submitted_at) if report.submitted_at else timezone.localdate()
    number = _("Số: %(number)s/BC-UBND") % {"number": NUMBER_BLANK}
    unit = f"{ward.get_kind_display().lower()} {ward.name}"
    # In running text: “Ủy ban nhân dân phường Mỹ Thới”, or the issuing body the ward set, as written.
    issuer_name = " ".join(ward.issuer_lines) if ward.document_issuer.strip() else _("Ủy ban nhân dân %(unit)s") % {
        "unit": unit}
    return DocumentForm(
        issuer=ward.issuer_lines,
        national_title=_(NATIONAL_TITLE),
        motto=_(MOTTO),
        number=number,
        place_date=f"{ward.place_name}, {document_date(made_on)}",
        kind=_(DOCUMENT_KIND),
        subject=_("Kết quả xây dựng %(unit)s không ma túy %(period)s") % {"unit": unit, "period": period.label},
        period_line=_("(Số liệu từ ngày %(start)s đến ngày %(end)s)") % {
            "start": f"{period.start:%d/%m/%Y}", "end": f"{period.end:%d/%m/%Y}"},
        signing_for=_(SIGNING_FOR),
        signer_title=[line.strip() for line in (report.signer_title or _(DEFAULT_SIGNER_TITLE)).splitlines()
                      if line.strip()],
        signer_name=report.signer_name or "",
        recipients=[f"- {line}" for line in ward.recipient_lines],
        annex_note=_("(Kèm theo Báo cáo số %(number)s/BC-UBND %(date)s của %(issuer)s)") % {
            "number": NUMBER_BLANK, "date": document_date(made_on), "issuer": issuer_name},
        is_draft=report.is_draft,
    )


def file_slug(text: str) -> str:
    """*text* as a file name part: Vietnamese without accents, đ as d, case kept, words joined by hyphens."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def period_slug(period: Period) -> str:
    """ “quy-IV-2026”, “thang-12-2026”, “6-thang-dau-nam-2026”, “nam-2026”: the period's Vietnamese name."""
    with translation.override("vi"):
        name = period.label.split(" (")[0]
    slug = file_slug(name)
    return slug[:1].lower() + slug[1:]


def report_filename(report) -> str:
    """ “bao-cao-quy-IV-2026-my-thoi.xlsx”: Vietnamese words only (ASCII-folded), no English."""
    return f"bao-cao-{period_slug(report.period)}-{file_slug(report.ward.name).lower()}.xlsx"


class _DocumentStyles:
    """The report workbook's formats: Times New Roman (Nghị định 30/2020), bordered tables."""

    def __init__(self, book: StreamingWorkbook):
        def style(**properties):
            return book.style(font_name=FONT, font_size=properties.pop("font_size", 12), **properties)

        self.head_bold = style(bold=True, align="center", valign="vcenter", font_size=13)
        self.head_plain = style(align="center", valign="vcenter", font_size=13)
        self.head_italic = style(italic=True, align="center", valign="vcenter", font_size=13)
        self.kind = style(bold=True, align="center", valign="vcenter", font_size=14)
        self.subject = style(bold=True, align="center", valign="vcenter", text_wrap=True, font_size=13)
        self.italic_centred = style(italic=True, align="center", valign="vcenter")
        self.draft = style(bold=True, align="center", font_color="#C00000")
        self.table_title = style(bold=True)
        self.header = style(bold=True, text_wrap=True, align="center", valign="vcenter", border=1)
        self.text = style(text_wrap=True, valign="vcenter", border=1)
        self.integer = style(num_format=INTEGER_FORMAT, valign="vcenter", border=1)
        self.decimal = style(num_format=DECIMAL_FORMAT, valign="vcenter", border=1)
        self.total_text = style(bold=True, text_wrap=True, valign="vcenter", border=1)
        self.total_integer = style(bold=True, num_format=INTEGER_FORMAT, valign="vcenter", border=1)
        self.paragraph = style(text_wrap=True, valign="top", align="justify", font_size=13)
        self.paragraph_title = style(bold=True, font_size=13)
        self.recipients_title = style(bold=True, italic=True)
        self.recipient = style(font_size=11)
        self.signing = style(bold=True, align="center", font_size=13)
        self.signing_note = style(italic=True, align="center")

    def number(self, value, total=False):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(value).is_integer():
                return self.total_integer if total else self.integer
            return self.decimal
        return self.total_text if total else self.text


def _split(widths) -> int:
    """Where the left block (issuing body) ends: the first columns making up a third of the width, at least one."""
    total, running = sum(widths), 0
    for index, width in enumerate(widths):
        running += width
        if running >= total * 0.34:
            return max(1, min(index + 1, len(widths) - 1))
    return 1


def _span(ws, first: int, last: int, text, style) -> None:
    """*text* across columns first–last of the current row (merged when more than one)."""
    row = ws.next_row
    if last > first:
        ws.worksheet.merge_range(row, first, row, last, "" if text is None else str(text), style)
    elif text is not None:
        ws.worksheet.write_string(row, first, str(text), style)


def _line(ws, left=None, right=None, *, columns: int, split: int, left_style=None, right_style=None, height=None):
    """One row of two blocks: *left* over the first *split* columns, *right* over the others."""
    if left is not None:
        _span(ws, 0, split - 1, left, left_style)
    if right is not None:
        _span(ws, split, columns - 1, right, right_style)
    if height:
        ws.worksheet.set_row(ws.next_row, height)
    ws.skip()


def _full(ws, text, style, *, columns: int, height=None):
    _span(ws, 0, columns - 1, text, style)
    if height:
        ws.worksheet.set_row(ws.next_row, height)
    ws.skip()


def _lines_needed(text: str, width: float) -> int:
    return sum(max(1, math.ceil(len(line) * 1.1 / max(width, 1))) for line in (text.splitlines() or [""]))


def _document_head(ws, styles: _DocumentStyles, form: DocumentForm, widths, *, first: bool, annex: str = ""):
    """The Nghị định 30/2020 heading: issuing body | quốc hiệu and tiêu ngữ; number | place and date; the title."""
    columns, split = len(widths), _split(widths)
    right = [form.national_title, form.motto]
    issuer = list(form.issuer)
    for index in range(max(len(issuer), len(right))):
        _line(ws, issuer[index] if index < len(issuer) else None, right[index] if index < len(right) else None,
              columns=columns, split=split, left_style=styles.head_bold, right_style=styles.head_bold, height=18)
    # The short rules under the issuing body and the motto.
    _line(ws, "———", "—————————", columns=columns, split=split, left_style=styles.head_plain,
          right_style=styles.head_plain, height=12)
    if first:
        _line(ws, form.number, form.place_date, columns=columns, split=split, left_style=styles.head_plain,
              right_style=styles.head_italic, height=18)
    ws.skip()
    if first:
        _full(ws, form.kind, styles.kind, columns=columns, height=20)
        _full(ws, form.subject, styles.subject, columns=columns,
              height=18 * _lines_needed(form.subject, sum(widths)))
    else:
        _full(ws, annex, styles.kind, columns=columns, height=20)
        _full(ws, form.annex_note, styles.italic_centred, columns=columns,
              height=16 * _lines_needed(form.annex_note, sum(widths)))
    _full(ws, form.period_line, styles.italic_centred, columns=columns, height=16)
    if form.is_draft:
        _full(ws, _("BẢN NHÁP — số liệu tạm tính, chưa chốt"), styles.draft, columns=columns)
    ws.skip()


def _table(ws, styles: _DocumentStyles, table, columns: int, *, with_title: bool) -> int:
    """A titled, bordered table; returns the row of its header (for the printed pages' repeated rows)."""
    if with_title:
        _full(ws, table.title, styles.table_title, columns=columns)
    header_row = ws.next_row
    headers = [str(h) for h in table.headers]
    widths = table.widths or [14] * len(headers)
    lines = max((_lines_needed(h, widths[i] if i < len(widths) else 14) for i, h in enumerate(headers)), default=1)
    ws.append(headers, styles=[styles.header] * len(headers))
    ws.worksheet.set_row(header_row, 16 * lines + 4)
    rows = table.rows or [[_("(không có số liệu)")] + [None] * (len(headers) - 1)]
    previous = None
    for values in rows:
        if table.grouped and values:
            first_cell, values = values[0], ["" if values[0] == previous else values[0], *values[1:]]
            previous = first_cell
        total = bool(values) and values[0] in ("Tổng cộng", _("Tổng cộng"))
        cells = [None if v is None else str(v) if i < table.first_number else _figure(v) for i, v in enumerate(values)]
        cell_styles = [(styles.total_text if total else styles.text) if i < table.first_number
                       else styles.number(v, total) for i, v in enumerate(cells)]
        cells += [None] * (len(headers) - len(cells))
        cell_styles += [styles.text] * (len(headers) - len(cell_styles))
        # Wrapped labels need taller rows: no spreadsheet grows a row that was written with its text.
        lines = max((_lines_needed(cells[i], widths[i] if i < len(widths) else 14)
                     for i in range(min(table.first_number, len(cells))) if isinstance(cells[i], str)), default=1)
        if lines > 1:
            ws.worksheet.set_row(ws.next_row, 16 * lines)
        ws.append(cells, styles=cell_styles)
    ws.skip()
    return header_row


def _page_setup(ws, widths, header_row: int) -> None:
    """A4, landscape when the columns are wide, one page wide, the table's header row on every printed page."""
    sheet = ws.worksheet
    sheet.set_paper(9)
    if sum(widths) > PORTRAIT_WIDTH:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.center_horizontally()
    # Nghị định 30/2020: top and bottom 20 mm, left 30 mm, right 15 mm.
    sheet.set_margins(left=1.18, right=0.59, top=0.79, bottom=0.79)
    sheet.set_footer("&C&P/&N")


def _paragraphs(ws, styles: _DocumentStyles, report, widths) -> None:
    """The report's own words: the general assessment and the next period's tasks."""
    columns = len(widths)
    for title, text in ((_("Đánh giá chung"), report.summary), (_("Phương hướng, nhiệm vụ kỳ tới"), report.next_steps)):
        text = (text or "").strip()
        if not text:
            continue
        _full(ws, title, styles.paragraph_title, columns=columns)
        _full(ws, text, styles.paragraph, columns=columns, height=18 * _lines_needed(text, sum(widths)))
        ws.skip()


def _signature_block(ws, styles: _DocumentStyles, form: DocumentForm, widths) -> None:
    """ “Nơi nhận” on the left; “TM. ỦY BAN NHÂN DÂN”, the signer's title, room to sign and the name on the right."""
    columns, split = len(widths), _split(widths)
    right = [(form.signing_for, styles.signing)]
    right += [(line, styles.signing) for line in form.signer_title]
    right += [(None, None)] * 4 + [(form.signer_name, styles.signing)]
    left = [(_("Nơi nhận:"), styles.recipients_title)] + [(line, styles.recipient) for line in form.recipients]
    for index in range(max(len(left), len(right))):
        l_text, l_style = left[index] if index < len(left) else (None, None)
        r_text, r_style = right[index] if index < len(right) else (None, None)
        _line(ws, l_text, r_text, columns=columns, split=split, left_style=l_style, right_style=r_style)


ANNEX_SHEETS_START = 2  # the first sheet is the report itself; the others are its annexes (phụ lục)


def report_workbook(report, snapshot: dict) -> StreamingWorkbook:
    """The ward report in the form of Nghị định 30/2020/NĐ-CP, its figures from *snapshot* (the page's).

    The first sheet is the report: heading, number, place and date, title, the summary figures, the
    ward's assessment and tasks, the signature block and “Nơi nhận”. Every other sheet is an annex
    (“Phụ lục”) under the same heading. Each prints on A4, one page wide, its table's header repeated.
    """
    book = StreamingWorkbook()
    styles = _DocumentStyles(book)
    with translation.override("vi"):
        form = document_form(report)
        by_sheet: dict = {}
        for table in report_tables(snapshot):
            by_sheet.setdefault(table.sheet, []).append(table)
        for number, (sheet_name, tables) in enumerate(by_sheet.items(), start=1):
            widths = list(tables[0].widths or [14] * len(tables[0].headers))
            # A sheet is as wide as its widest table.
            for table in tables[1:]:
                for index, width in enumerate(table.widths or []):
                    if index >= len(widths):
                        widths.append(width)
                    else:
                        widths[index] = max(widths[index], width)
            columns = len(widths)
            ws = book.sheet(sheet_name, widths=widths)
            first = number == 1
            annex = _("PHỤ LỤC %(number)s: %(title)s") % {"number": ROMAN_NUMERALS.get(number - 1, number - 1),
                                                           "title": tables[0].title.upper()}
            _document_head(ws, styles, form, widths, first=first, annex=annex)
            # An annex's first table is titled by the annex heading.
            header_rows = [_table(ws, styles, table, columns, with_title=first or index > 0)
                           for index, table in enumerate(tables)]
            ws.worksheet.freeze_panes(header_rows[0] + 1, 0)
            if first:
                _paragraphs(ws, styles, report, widths)
                _signature_block(ws, styles, form, widths)
            _page_setup(ws, widths, header_rows[0])
    return book


ROMAN_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}


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
