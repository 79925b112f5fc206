"""The figures of a report, read from the indicators registry and frozen as plain JSON.

``build_snapshot()`` is the only function that reads live data. Everything
shown on the report page and written to the provincial workbook is rendered
from the dictionary it returns: for a draft it is built on the fly, for a
submitted report it is the copy stored in ``Report.snapshot``. Labels are
stored in Vietnamese (the language of the official report) so the frozen
copy reads the same whoever opens it later.
"""
import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from apps.core.periods import Period, year_of
from apps.core.transactions import consistent_snapshot
from apps.indicators import registry
from apps.indicators.registry import uses

SCHEMA = 1

# Section keys in report order; titles are translated at render time (see tables.py).
SECTION_KEYS = ("summary", "khoms", "people", "cases", "activities", "roadmap", "criteria")

# Indicator codes per section, declared with uses(): a code no app registers fails the
# system check indicators.E001 rather than dropping a row from the report.
SUMMARY_CODES = uses(__name__, [
    "khoms_total", "khoms_planned", "khoms_recognised", "persons_managed", "users_addicts", "users_addicts_percent",
    "users_addicts_not_in_treatment", "in_treatment", "drug_tests", "positive_tests", "overdue_tests",
    "cases_detected", "offenders_arrested", "active_hotspots", "propaganda_sessions", "commitment_percent",
])
KHOM_CODES = uses(__name__, [
    "persons_managed", "users_addicts", "users_addicts_not_in_treatment", "in_treatment", "drug_tests",
    "positive_tests", "cases_detected", "offenders_arrested", "active_hotspots", "propaganda_sessions",
    "commitment_percent",
])
CASE_CODES = uses(__name__, [
    "cases_detected", "cases_administrative", "cases_criminal", "offenders_arrested", "offenders_arrested_percent",
    "active_hotspots", "organising_places", "plants_destroyed", "plants_area_m2",
])
ACTIVITY_CODES = uses(__name__, ["propaganda_sessions", "propaganda_attendance", "commitment_percent",
                                 "reintegration_models_active"])
# The khóm-level test of the drug-free criteria: all three must be zero.
CRITERIA_CODES = uses(__name__, ["users_addicts_not_in_treatment", "offenders_arrested", "organising_places"])
RECOGNISED_CODE, BREAKDOWN_CODE = uses(__name__, ["khoms_recognised", "persons_by_status_sex_age"])


def indicator_meta(codes) -> dict:
    with translation.override("vi"):
        return {code: {"label": str(registry.get(code).label), "unit": str(registry.get(code).unit)} for code in codes}


def _change(current, previous):
    if current is None or previous is None:
        return None
    result = current - previous
    return round(result, 2) if isinstance(result, float) else result


def _indicator_rows(codes, current: dict, previous: dict, meta: dict) -> list:
    """[label, unit, this period, previous period, change] for each code."""
    return [
        [meta[code]["label"], meta[code]["unit"], current.get(code), previous.get(code),
         _change(current.get(code), previous.get(code))]
        for code in codes
    ]


@consistent_snapshot(read_only=True)
def build_snapshot(*, ward, period: Period) -> dict:
    """Every figure of *ward*'s report for *period*, as JSON-safe data, all from one state of the database.

    All figures come from one ``registry.evaluate_batch``: this period and the
    previous one for the ward, this period per khóm, the people breakdown, the
    roadmap's years and the khóm criteria — one grouped query per model and
    area level, so the number of queries does not grow with periods, khóm or rows.
    """
    from apps.criteria.selectors import roadmap_figures, roadmap_requests
    from apps.khom.models import Khom

    khom_codes = list(dict.fromkeys(KHOM_CODES + CRITERIA_CODES))
    ward_codes = list(dict.fromkeys(SUMMARY_CODES + CASE_CODES + ACTIVITY_CODES))
    ward_key = registry.Area.of(ward).key
    khoms = list(Khom.objects.filter(ward=ward).order_by("code").values("pk", "code", "name", "target_year"))
    khom_areas = [registry.Area(registry.KHOM, khom["pk"]) for khom in khoms]
    # The criteria of the assessment year the period ends in, over the days the criteria pages evaluate them
    # (apps.criteria.selectors.evaluate_criteria), so that a report and an assessment never disagree.
    year = year_of(period.end)
    assessment_year = Period.year(year)
    criteria = _computed_criteria(khoms, year)

    requests = {
        "current": (ward_codes, [ward], period),
        "previous": (ward_codes, [ward], period.previous),
        "per_khom": (khom_codes + [RECOGNISED_CODE], khom_areas, period),
        "people": ([BREAKDOWN_CODE], [ward], period),
        "criteria": (sorted({c.indicator for c in criteria}), khom_areas, assessment_year),
    }
    roadmap = roadmap_requests([ward])
    batch = list(requests.values()) + roadmap
    evaluated = registry.evaluate_batch(batch)
    results = dict(zip(requests, evaluated))
    # Recognitions are known for the years up to the period's.
    roadmap_section = roadmap_figures(evaluated[len(requests):], as_of=period.end)

    current, previous = results["current"].get(ward_key, {}), results["previous"].get(ward_key, {})
    per_khom = results["per_khom"]
    meta = indicator_meta(list(dict.fromkeys(ward_codes + khom_codes)))
    verdicts = _verdicts(criteria, results["criteria"])

    with translation.override("vi"):
        sections = {
            "summary": {"rows": _indicator_rows(SUMMARY_CODES, current, previous, meta)},
            "khoms": {
                "indicators": [{"code": code, **meta[code]} for code in KHOM_CODES],
                "rows": [
                    {"code": khom["code"], "name": khom["name"],
                     "values": [per_khom.get(f"khom:{khom['pk']}", {}).get(code) for code in KHOM_CODES]}
                    for khom in khoms
                ],
            },
            "people": build_people_section(results["people"].get(ward_key, {}).get(BREAKDOWN_CODE)),
            "cases": {"rows": _indicator_rows(CASE_CODES, current, previous, meta)},
            "activities": {"rows": _indicator_rows(ACTIVITY_CODES, current, previous, meta)},
            "roadmap": build_roadmap_section(roadmap_section),
            "criteria": build_criteria_section(khoms, per_khom, CRITERIA_CODES, meta, criteria, verdicts),
        }
    return {
        "schema": SCHEMA,
        "built_at": timezone.now().isoformat(),
        "ward": {"id": ward.pk, "code": ward.code, "name": ward.name, "province": ward.province},
        "period": {"kind": period.kind, "start": period.start.isoformat(), "end": period.end.isoformat(),
                   "start_day": period.start_day, "label": period.label},
        "previous_period": {"start": period.previous.start.isoformat(), "end": period.previous.end.isoformat()},
        "indicators": meta,
        "values": current,
        "previous_values": previous,
        "sections": sections,
    }


def build_people_section(breakdown) -> dict:
    """People under management by status (episode kind) × sex × age band, with totals per row and column.

    *breakdown* is the value of the breakdown indicator for the ward ({"kind|sex|band": people};
    0 when nobody is under management).
    """
    from apps.subjects.choices import AgeBand, Gender
    from apps.subjects.models import EpisodeKind

    breakdown = breakdown if isinstance(breakdown, dict) else {}
    cells = [(gender, band) for gender in Gender.values for band in AgeBand.values]
    columns = [[str(Gender(g).label), str(AgeBand(b).label)] for g, b in cells]
    columns += [[str(Gender(g).label), gettext_noop("Tổng")] for g in Gender.values] + [[gettext_noop("Tổng cộng"), ""]]
    kinds = list(EpisodeKind.objects.order_by("-priority", "name").values_list("code", "name", "is_active"))
    rows = []
    totals = [0] * len(columns)
    for code, name, is_active in kinds:
        figures = [breakdown.get(f"{code}|{g}|{b}", 0) for g, b in cells]
        if not is_active and not any(figures):
            continue  # a retired kind nobody is in any more
        per_gender = [sum(breakdown.get(f"{code}|{g}|{b}", 0) for b in AgeBand.values) for g in Gender.values]
        row = figures + per_gender + [sum(per_gender)]
        totals = [a + b for a, b in zip(totals, row)]
        rows.append([name, *row])
    rows.append([gettext_noop("Tổng cộng"), *totals])
    return {"columns": columns, "rows": rows}


def build_roadmap_section(roadmap: dict) -> dict:
    """Per roadmap year: khóm planned that year, cumulative plan, its share of all khóm, and recognised for the year.

    *roadmap* is ``criteria.selectors.roadmap_figures()`` for the ward up to the period's end,
    the computation the roadmap page and the dashboard show.
    """
    return {"rows": [[row["year"], row["planned"], row["cumulative"], row["cumulative_percent"], row["recognised"]]
                     for row in roadmap["years"]]}


def build_criteria_section(khoms, per_khom: dict, codes: list, meta: dict, criteria: list, verdicts: dict) -> dict:
    """Per khóm: target year, recognition, the figures of the khóm-level drug-free test, and the
    computed *criteria* of the khóm criteria set in force that year with their *verdicts*."""
    headers = [gettext_noop("Khóm"), gettext_noop("Năm phấn đấu"), gettext_noop("Đã được công nhận")]
    headers += [meta[code]["label"] for code in codes]
    if criteria:
        headers += [gettext_noop("Tiêu chí tính tự động đạt"), gettext_noop("Tiêu chí chưa đạt")]
    rows = []
    for khom in khoms:
        key = f"khom:{khom['pk']}"
        values = per_khom.get(key, {})
        row = [khom["name"], khom["target_year"], gettext_noop("Có") if values.get(RECOGNISED_CODE) else gettext_noop("Chưa"),
               *[values.get(code) for code in codes]]
        if criteria:
            results = verdicts.get(key, {})
            failing = [c.code for c in criteria if not results.get(c.code, (None, False))[1]]
            row += [f"{len(criteria) - len(failing)}/{len(criteria)}", ", ".join(failing) or "—"]
        rows.append(row)
    return {"headers": headers, "rows": rows, "first_number": 3}


def _computed_criteria(khoms, year) -> list:
    """The computed criteria of the khóm criteria set in force in *year* (empty without a set or khóm)."""
    if year is None or not khoms:
        return []
    from apps.criteria.choices import CriteriaScope
    from apps.criteria.models import CriteriaSet

    criteria_set = CriteriaSet.objects.current(CriteriaScope.KHOM, year)
    if criteria_set is None:
        return []
    return [c for c in criteria_set.criteria.order_by("order", "code") if c.is_computed]


def _verdicts(criteria, values: dict) -> dict:
    if not criteria:
        return {}
    from apps.criteria.selectors import criteria_verdicts

    return criteria_verdicts(criteria, values)


def period_of(snapshot: dict) -> Period:
    # Snapshots frozen before conventions have no start day: their periods were calendar ones.
    return Period.starting(snapshot["period"]["kind"], dt.date.fromisoformat(snapshot["period"]["start"]),
                           start_day=snapshot["period"].get("start_day", 1))
