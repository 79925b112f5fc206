"""The dashboard's figures for one user: key figures, three charts, per-area table, deadline counts.

Every number comes from ``registry.evaluate()`` over the areas the user may
see (wards; a khóm officer's own khóm). Figures of several areas are added
up here, which is sound for counts; percentages are shown only per area.
The number of queries depends on the number of months and indicators shown,
never on the number of areas or rows.
"""
import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.choices import ConventionCode, PeriodKind
from apps.core.models import PeriodConvention
from apps.core.periods import Period
from apps.criteria.selectors import roadmap_figures, roadmap_requests
from apps.indicators import registry
from apps.khom.choices import ROADMAP_YEARS
from apps.khom.links import figure_link
from apps.khom.models import Khom

KEY_CODES = registry.uses(__name__, [
    "persons_managed", "users_addicts", "in_treatment", "overdue_tests", "drug_tests", "positive_tests",
    "cases_detected", "active_hotspots", "propaganda_sessions", "commitment_percent",
])
AREA_TABLE_CODES = registry.uses(__name__, ["persons_managed", "users_addicts", "positive_tests", "cases_detected",
                                            "active_hotspots", "propaganda_sessions"])
# The area table ends with the roadmap's figures of its headline year, as the card above it shows them.
RECOGNISED_CODE, TOTAL_CODE = registry.uses(__name__, ["khoms_recognised", "khoms_total"])
PEOPLE_CODES = registry.uses(__name__, ["persons_managed", "users_addicts", "in_treatment"])
TEST_CODES = registry.uses(__name__, ["drug_tests", "positive_tests"])
MONTHS = 12
# How many periods of each kind the period selector offers, the current one first.
PERIODS_OFFERED = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2, PeriodKind.NINE_MONTHS: 2,
                   PeriodKind.YEAR: len(ROADMAP_YEARS)}
# The area table's sort keys (``?sort=`` on the page): the area's name or one of its columns; "-" before a key
# sorts from the largest. Any other value is ignored.
SORT_NAME = "name"


@dataclass
class Selection:
    """What the dashboard was asked to show: the period, a khóm (leadership), the area table's order."""

    period: Period
    period_key: str
    periods: list  # [(key, label)] offered
    khom: Khom | None = None
    khoms: list | None = None  # [(pk, name)] offered, leadership only
    sort: str = SORT_NAME
    ignored: bool = False  # a value asked for was not one offered


def _period_key(period: Period) -> str:
    return f"{period.kind}:{period.start.isoformat()}"


def offered_periods(today: dt.date) -> list[Period]:
    """The periods the selector offers under the drug reports' convention: the current ones up to today, then earlier."""
    convention = PeriodConvention.get(ConventionCode.DRUG_REPORT)
    kinds = sorted(convention.kinds, key=lambda kind: [k.value for k in PeriodKind].index(kind), reverse=True)
    offered = []
    for kind in kinds:
        try:
            period = convention.containing(kind, today)
        except ValueError:  # "9 tháng" after its ninth month: the latest one ended
            period = convention.period(kind, convention.year_of(today))
            if period.start > today:
                period = period.previous
        for _index in range(PERIODS_OFFERED.get(kind, 1)):
            if period.end.year < ROADMAP_YEARS.start:
                break
            offered.append(period.until(today))
            period = period.previous
    return offered


def selection(user, params, today: dt.date | None = None) -> Selection:
    """The dashboard's period, khóm and sort read from the query *params*; values not offered are ignored."""
    today = today or timezone.localdate()
    periods = offered_periods(today)
    by_key = {_period_key(p): p for p in periods}
    ignored = False
    key = params.get("period", "")
    if key not in by_key:
        ignored = ignored or bool(key)
        key = _period_key(periods[0])
    khom, khoms = None, None
    if user.is_leadership:
        khoms = list(Khom.objects.for_user(user).order_by("ward__name", "code").values_list("pk", "name"))
        wanted = params.get("khom", "")
        if wanted:
            match = next((pk for pk, _name in khoms if str(pk) == wanted), None)
            if match is None:
                ignored = True
            else:
                khom = Khom.objects.get(pk=match)
    sort = params.get("sort", SORT_NAME)
    if sort.removeprefix("-") not in sort_keys():
        ignored = ignored or bool(params.get("sort"))
        sort = SORT_NAME
    return Selection(by_key[key], key, [(_period_key(p), p.label) for p in periods], khom, khoms, sort, ignored)


def sort_keys() -> list[str]:
    return [SORT_NAME, *AREA_TABLE_CODES, RECOGNISED_CODE, TOTAL_CODE]


def _areas(user, khom=None):
    """(level, [(pk, name)], ids of areas with illustrative figures) the user's dashboard covers.

    Areas are wards, or a khóm officer's khóm (illustrative when its ward is), or the one khóm chosen.
    """
    level = registry.KHOM if user.is_khom_officer or khom is not None else registry.WARD
    flag = "ward__is_illustrative" if level == registry.KHOM else "is_illustrative"
    areas = registry.areas_for_user(user, level)
    if khom is not None:
        areas = areas.filter(pk=khom.pk)
    rows = list(areas.order_by("name").values_list("pk", "name", flag))
    return level, [(pk, name) for pk, name, _flag in rows], {pk for pk, _name, flagged in rows if flagged}


def _is_percent(code):
    return str(registry.get(code).unit) == registry.PERCENT


def _total(values_by_area: dict, code: str):
    """Sum of *code* over the areas (counts); the single value when one area; None for a percentage of many."""
    values = [area.get(code) for area in values_by_area.values()]
    if len(values) == 1:
        return values[0]
    if _is_percent(code):
        return None
    return sum(v or 0 for v in values)


def month_periods(today: dt.date, count: int = MONTHS) -> list:
    """The last *count* months up to today's, oldest first, cut as the drug reports' convention says
    (15/(m−1)–14/m by default); the current one ends today."""
    months, period = [], PeriodConvention.get(ConventionCode.DRUG_REPORT).containing(PeriodKind.MONTH, today)
    for _index in range(count):
        months.append(period)
        period = period.previous
    months.reverse()
    return [p.until(today) for p in months]


def _sorted_rows(rows: list, sort: str, codes: list) -> list:
    """The area table's rows in the order *sort* asks for; an area without a figure goes last either way."""
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    if key == SORT_NAME:
        return sorted(rows, key=lambda row: row["name"], reverse=descending)
    index = codes.index(key)
    present = [row for row in rows if row["values"][index] is not None]
    missing = [row for row in rows if row["values"][index] is None]
    present.sort(key=lambda row: row["name"])
    present.sort(key=lambda row: row["values"][index], reverse=descending)
    return present + missing


def dashboard_data(user, today: dt.date | None = None, chosen: Selection | None = None) -> dict:
    """Everything the dashboard shows for *user*'s scope, over the period (and khóm) *chosen*."""
    today = today or timezone.localdate()
    chosen = chosen or selection(user, {}, today)
    khom = chosen.khom
    level, areas, illustrative = _areas(user, khom)
    area_ids = [pk for pk, _name in areas]
    names = dict(areas)
    year_to_date = chosen.period
    months = month_periods(year_to_date.end)
    # One batch: the key figures of the year to date, 12 months of the charts and the roadmap's
    # years are counted together, one grouped query per model whatever the number of periods.
    areas_arg = [registry.Area(level, pk) for pk in area_ids]
    requests = ([(KEY_CODES, areas_arg, year_to_date)]
                + [(PEOPLE_CODES + TEST_CODES, areas_arg, period) for period in months]
                + roadmap_requests(areas_arg))
    evaluated = registry.evaluate_batch(requests)
    current, month_values, year_values = evaluated[0], evaluated[1:1 + len(months)], evaluated[1 + len(months):]
    roadmap = roadmap_figures(year_values, as_of=today)

    link_khom = khom.pk if khom is not None else None
    key_figures = [
        {"code": code, "label": registry.get(code).label, "unit": registry.get(code).unit,
         "description": registry.get(code).description, "value": _total(current, code),
         "url": figure_link(user, code, year_to_date, khom_id=link_khom)}
        for code in KEY_CODES
    ]
    year = roadmap["recognised_year"]
    area_codes = [{"code": code, "label": registry.get(code).label} for code in AREA_TABLE_CODES]
    area_codes += [{"code": RECOGNISED_CODE, "label": f"{registry.get(RECOGNISED_CODE).label} ({year})"},
                   {"code": TOTAL_CODE, "label": registry.get(TOTAL_CODE).label}]
    area_rows = [
        {"name": names[pk], "illustrative": pk in illustrative,
         "values": [values.get(code) for code in AREA_TABLE_CODES]
         + [roadmap["areas"].get(key, {}).get("recognised"), roadmap["areas"].get(key, {}).get("total")]}
        for pk, key, values in ((int(key.split(":")[1]), key, values) for key, values in current.items())
    ] if len(area_ids) > 1 else []
    area_rows = _sorted_rows(area_rows, chosen.sort, [c["code"] for c in area_codes])
    for column in area_codes:
        column["sort"] = f"-{column['code']}" if chosen.sort != f"-{column['code']}" else column["code"]
        column["aria_sort"] = ("descending" if chosen.sort == f"-{column['code']}"
                               else "ascending" if chosen.sort == column["code"] else None)

    people_series = {code: [_total(values, code) if values else 0 for values in month_values] for code in PEOPLE_CODES}
    test_series = {code: [_total(values, code) if values else 0 for values in month_values] for code in TEST_CODES}
    month_labels = [f"{p.first_month:%m/%y}" for p in months]

    return {
        "level": level,
        "area_count": len(area_ids),
        "period": year_to_date,
        "selection": chosen,
        "name_sort": {"sort": f"-{SORT_NAME}" if chosen.sort == SORT_NAME else SORT_NAME,
                      "aria_sort": "ascending" if chosen.sort == SORT_NAME else
                      "descending" if chosen.sort == f"-{SORT_NAME}" else None},
        "key_figures": key_figures,
        "khoms": {"recognised": roadmap["recognised"], "total": roadmap["total"], "year": year},
        "roadmap_url": reverse("criteria:roadmap") if user.has_perm("khom.view_khom") else None,
        "area_codes": area_codes,
        "area_rows": area_rows,
        "people_chart": {
            "title": _("Người trong diện quản lý cuối mỗi tháng"),
            "labels": month_labels,
            "series": [{"name": str(registry.get(code).label), "values": people_series[code]} for code in PEOPLE_CODES],
        },
        "tests_chart": {
            "title": _("Xét nghiệm ma túy theo tháng"),
            "labels": month_labels,
            "series": [{"name": str(registry.get(code).label), "values": test_series[code]} for code in TEST_CODES],
        },
        "roadmap_chart": {
            "title": _("Khóm được công nhận không ma túy so với kế hoạch (lũy kế theo năm)"),
            "labels": [str(year) for year in ROADMAP_YEARS],
            "series": [
                {"name": _("Kế hoạch (lũy kế)"), "values": [row["cumulative"] for row in roadmap["years"]]},
                {"name": _("Đã công nhận"), "values": [row["recognised"] for row in roadmap["years"]]},
            ],
        },
        "roadmap": roadmap,
        "deadlines": deadline_counts(user, today),
    }


def deadline_counts(user, today: dt.date):
    """{"total", "overdue", "categories": [{"label", "count", "overdue", "url", "overdue_url"}], "url",
    "overdue_url"} from the work list's selector; each count links to the filtered list that shows as many
    rows (issue 18 §6). None without access."""
    if not user.sees_personal_records or not user.has_perm("subjects.view_person"):
        return None
    from django.urls import reverse

    from apps.subjects.selectors import DEADLINE_CATEGORIES, deadline_counts_for_user

    counts = deadline_counts_for_user(user, today=today)
    page = reverse("subjects:deadlines")
    return {
        "total": sum(total for total, _overdue in counts.values()),
        "overdue": sum(overdue for _total, overdue in counts.values()),
        "url": page,
        "overdue_url": f"{page}?overdue=1",
        "categories": [{"label": label, "count": counts.get(key, (0, 0))[0], "overdue": counts.get(key, (0, 0))[1],
                        "url": f"{page}?category={key}", "overdue_url": f"{page}?category={key}&overdue=1"}
                       for key, label in DEADLINE_CATEGORIES.items()],
    }
