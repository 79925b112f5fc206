"""Turn a report snapshot into titled tables: the page and the workbook render the same tables."""
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

INDICATOR_HEADERS = (gettext_noop("Chỉ tiêu"), gettext_noop("Đơn vị"), gettext_noop("Kỳ này"), gettext_noop("Kỳ trước"),
                     gettext_noop("Tăng (+) / giảm (−)"))


@dataclass
class Table:
    """One section of a report: a title, header row and data rows; columns from ``first_number`` on are figures."""

    key: str
    title: str
    sheet: str
    headers: list
    rows: list
    first_number: int = 1
    widths: list = field(default_factory=list)
    note: str = ""
    # On paper, a first cell that repeats the row above's is written once (the page keeps every row's header).
    grouped: bool = False


def _tr(text):
    # Stored labels are Vietnamese msgids; the English catalog translates them when it knows them.
    return _(text) if text else text


def _indicator_table(key, title, sheet, section) -> Table:
    rows = [[_tr(label), _tr(unit), *figures] for label, unit, *figures in section.get("rows", [])]
    return Table(key, title, sheet, [_(h) for h in INDICATOR_HEADERS], rows, first_number=2, widths=[48, 12, 14, 14, 16])


def report_tables(snapshot: dict) -> list[Table]:
    """The report's sections in order, with translated titles and headers."""
    sections = snapshot.get("sections", {})
    tables = [_indicator_table("summary", _("Tổng hợp số liệu"), _("Tổng hợp"), sections.get("summary", {}))]

    khoms = sections.get("khoms", {})
    tables.append(Table(
        "khoms", _("Số liệu theo khóm"), _("Theo khóm"),
        [_("Mã khóm"), _("Khóm")] + [_tr(i["label"]) for i in khoms.get("indicators", [])],
        [[row["code"], row["name"], *row["values"]] for row in khoms.get("rows", [])],
        first_number=2, widths=[10, 28] + [16] * len(khoms.get("indicators", [])),
    ))

    people = sections.get("people", {})
    people_headers = [" · ".join(_tr(part) for part in c if part) for c in people.get("columns", [])]
    people_widths = [30] + [9] * len(people.get("columns", []))
    if "by_status" in people:
        # Snapshots from issue 16 on: the four-way status split of QĐ 13/2019/QĐ-TTg first.
        tables.append(Table(
            "people-status", _("Người trong diện quản lý theo tình trạng, độ tuổi và giới tính (QĐ 13/2019/QĐ-TTg)"),
            _("Đối tượng"), [_("Tình trạng")] + people_headers,
            [[_tr(row[0]), *row[1:]] for row in people["by_status"].get("rows", [])],
            first_number=1, widths=people_widths,
        ))
    tables.append(Table(
        "people", _("Người trong diện quản lý theo loại đợt quản lý, độ tuổi và giới tính"), _("Đối tượng"),
        [_("Tình trạng")] + people_headers,
        [[_tr(row[0]), *row[1:]] for row in people.get("rows", [])],
        first_number=1, widths=people_widths,
    ))
    if "breakdowns" in people:
        tables.append(Table(
            "people-other", _("Người trong diện quản lý theo các tiêu chí phân tổ khác"), _("Phân tổ"),
            [_("Tiêu chí phân tổ"), _("Nhóm"), _("Số người")],
            [[_tr(title), _tr(label), number] for title, label, number in people["breakdowns"].get("rows", [])],
            first_number=2, widths=[34, 46, 14], grouped=True,
        ))

    tables.append(_indicator_table("cases", _("Vụ việc và kết quả xử lý"), _("Vụ việc"), sections.get("cases", {})))
    tables.append(_indicator_table("activities", _("Hoạt động tuyên truyền, cam kết, mô hình"), _("Hoạt động"),
                                   sections.get("activities", {})))

    roadmap = sections.get("roadmap", {})
    tables.append(Table(
        "roadmap", _("Tiến độ lộ trình khóm không ma túy so với kế hoạch"), _("Lộ trình"),
        [_("Năm"), _("Khóm phấn đấu trong năm"), _("Lũy kế kế hoạch"), _("Tỷ lệ lũy kế kế hoạch (%)"),
         _("Được công nhận")],
        roadmap.get("rows", []), first_number=1, widths=[10, 22, 18, 24, 26],
    ))

    criteria = sections.get("criteria", {})
    tables.append(Table(
        "criteria", _("Tình hình đạt tiêu chí khóm không ma túy"), _("Lộ trình"),
        [_tr(h) for h in criteria.get("headers", [])],
        # Khóm names stay as they are; the yes/no column is a stored Vietnamese word.
        [[row[0], row[1], _tr(row[2]), *row[3:]] for row in criteria.get("rows", [])],
        first_number=criteria.get("first_number", 3), widths=[28, 14, 18, 22, 22, 22, 18, 30],
    ))

    classification = sections.get("classification")
    if classification is not None:  # reports frozen before issue 17 have none
        tables.append(Table(
            "classification",
            _("Phân loại địa bàn trọng điểm về ma túy năm %(year)s (Điều 4 QĐ 28/2025/QĐ-TTg)")
            % {"year": classification.get("year")}, _("Phân loại"),
            [_("Loại"), _("Tiêu chí"), _("Số liệu"), _("Đạt")],
            [[_tr(row[0]), _tr(row[1]), _tr(row[2]) if isinstance(row[2], str) else row[2], _tr(row[3])]
             for row in classification.get("rows", [])],
            first_number=2, widths=[30, 70, 14, 10], note=classification.get("set", ""),
        ))
    return tables
