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

from apps.core.numbers import percent

from .periods import ReportPeriod

SCHEMA = 1

# Section keys in report order; titles are translated at render time (see tables.py).
SECTION_KEYS = ("summary", "khoms", "people", "cases", "activities", "roadmap", "criteria")

# Indicator codes per section. A code the registry does not (yet) define is
# skipped, so a renamed indicator never breaks a report: it just drops a row.
SUMMARY_CODES = [
    "khoms_total", "khoms_planned", "khoms_recognised", "persons_managed", "users_addicts", "users_addicts_percent",
    "users_addicts_not_in_treatment", "in_treatment", "drug_tests", "positive_tests", "overdue_tests",
    "cases_detected", "offenders_arrested", "active_hotspots", "propaganda_sessions", "commitment_percent",
]
KHOM_CODES = [
    "persons_managed", "users_addicts", "users_addicts_not_in_treatment", "in_treatment", "drug_tests",
    "positive_tests", "cases_detected", "offenders_arrested", "active_hotspots", "propaganda_sessions",
    "commitment_percent",
]
CASE_CODES = [
    "cases_detected", "cases_administrative", "cases_criminal", "offenders_arrested", "offenders_arrested_percent",
    "active_hotspots", "organising_places", "plants_destroyed", "plants_area_m2",
]
ACTIVITY_CODES = ["propaganda_sessions", "propaganda_attendance", "commitment_percent", "reintegration_models_active"]
# The khóm-level test of the drug-free criteria: all three must be zero.
CRITERIA_CODES = ["users_addicts_not_in_treatment", "offenders_arrested", "organising_places"]
ROADMAP_CODES = ["khoms_total", "khoms_planned", "khoms_recognised"]
BREAKDOWN_CODE = "persons_by_status_sex_age"


def _registry():
    from apps.indicators import registry

    return registry


def known(codes):
    """The codes of *codes* that the registry defines, in the given order."""
    registry = _registry()
    registry_codes = {indicator.code for indicator in registry.all_indicators()}
    return [code for code in codes if code in registry_codes]


def _to_registry_period(period: ReportPeriod):
    return _registry().Period(period.start, period.end)


def indicator_meta(codes) -> dict:
    registry = _registry()
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


def build_snapshot(*, ward, period: ReportPeriod) -> dict:
    """Every figure of *ward*'s report for *period*, as JSON-safe data.

    All figures come from one ``registry.evaluate_batch``: this period and the
    previous one for the ward, this period per khóm, the people breakdown, the
    roadmap's years and the khóm criteria — one grouped query per model and
    area level, so the number of queries does not grow with periods, khóm or rows.
    """
    from apps.khom.choices import ROADMAP_YEARS
    from apps.khom.models import Khom

    registry = _registry()
    summary_codes, khom_codes = known(SUMMARY_CODES), known(list(dict.fromkeys(KHOM_CODES + CRITERIA_CODES)))
    case_codes, activity_codes = known(CASE_CODES), known(ACTIVITY_CODES)
    criteria_codes = known(CRITERIA_CODES)
    ward_codes = list(dict.fromkeys(summary_codes + case_codes + activity_codes))
    current_period, previous_period = _to_registry_period(period), _to_registry_period(period.previous)
    ward_key = registry.Area.of(ward).key
    khoms = list(Khom.objects.filter(ward=ward).order_by("code").values("pk", "code", "name", "target_year"))
    khom_areas = [registry.Area(registry.KHOM, khom["pk"]) for khom in khoms]
    criteria = _computed_criteria(khoms, period.end.year)
    # The roadmap needs all three codes or shows nothing.
    roadmap_codes = ROADMAP_CODES if known(ROADMAP_CODES) == ROADMAP_CODES else []
    breakdown_codes = known([BREAKDOWN_CODE])

    requests = {
        "current": (ward_codes, [ward], current_period),
        "previous": (ward_codes, [ward], previous_period),
        "per_khom": (khom_codes + known(["khoms_recognised"]), khom_areas, current_period),
        "people": (breakdown_codes, [ward], current_period),
        "criteria": (sorted({c.indicator for c in criteria}), khom_areas, registry.Period.year(period.end.year)),
    }
    # Recognition is known only up to the end of the reporting period.
    roadmap_periods = {
        year: registry.Period(dt.date(year, 1, 1), max(min(dt.date(year, 12, 31), period.end), dt.date(year, 1, 1)))
        for year in ROADMAP_YEARS
    }
    requests.update({("roadmap", year): (roadmap_codes, [ward], p) for year, p in roadmap_periods.items()})
    evaluated = dict(zip(requests, registry.evaluate_batch(list(requests.values()))))

    current, previous = evaluated["current"].get(ward_key, {}), evaluated["previous"].get(ward_key, {})
    per_khom = evaluated["per_khom"]
    meta = indicator_meta(list(dict.fromkeys(ward_codes + khom_codes)))
    khom_table_codes = [code for code in khom_codes if code in KHOM_CODES]
    roadmap_values = {year: evaluated[("roadmap", year)].get(ward_key, {}) for year in ROADMAP_YEARS}
    verdicts = _verdicts(criteria, evaluated["criteria"])

    with translation.override("vi"):
        sections = {
            "summary": {"rows": _indicator_rows(summary_codes, current, previous, meta)},
            "khoms": {
                "indicators": [{"code": code, **meta[code]} for code in khom_table_codes],
                "rows": [
                    {"code": khom["code"], "name": khom["name"],
                     "values": [per_khom.get(f"khom:{khom['pk']}", {}).get(code) for code in khom_table_codes]}
                    for khom in khoms
                ],
            },
            "people": build_people_section(evaluated["people"].get(ward_key, {}).get(BREAKDOWN_CODE)
                                           if breakdown_codes else None),
            "cases": {"rows": _indicator_rows(case_codes, current, previous, meta)},
            "activities": {"rows": _indicator_rows(activity_codes, current, previous, meta)},
            "roadmap": build_roadmap_section(roadmap_values, period) if roadmap_codes else {"rows": []},
            "criteria": build_criteria_section(khoms, per_khom, criteria_codes, meta, criteria, verdicts),
        }
    return {
        "schema": SCHEMA,
        "built_at": timezone.now().isoformat(),
        "ward": {"id": ward.pk, "code": ward.code, "name": ward.name, "province": ward.province},
        "period": {"kind": period.kind, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "previous_period": {"start": period.previous.start.isoformat(), "end": period.previous.end.isoformat()},
        "indicators": meta,
        "values": current,
        "previous_values": previous,
        "sections": sections,
    }


def build_people_section(breakdown) -> dict:
    """People under management by status (episode kind) × sex × age band, with totals per row and column.

    *breakdown* is the value of the breakdown indicator for the ward ({"kind|sex|band": people}),
    None when the registry does not define it.
    """
    from apps.subjects.choices import AgeBand, Gender
    from apps.subjects.models import EpisodeKind

    if breakdown is None:
        return {"columns": [], "rows": []}
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


def build_roadmap_section(values_by_year: dict, period: ReportPeriod) -> dict:
    """Per roadmap year: khóm planned that year, cumulative plan, its share of all khóm, and recognised by year end.

    *values_by_year* = {year: the ward's roadmap figures for that year, up to the end of *period*}.
    """
    rows, planned_before = [], 0
    for year, values in values_by_year.items():
        total, planned = values.get("khoms_total") or 0, values.get("khoms_planned") or 0
        recognised = values.get("khoms_recognised") if year <= period.end.year else None
        rows.append([year, planned - planned_before, planned, percent(planned, total, decimals=1),
                     recognised])
        planned_before = planned
    return {"rows": rows}


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
        row = [khom["name"], khom["target_year"], gettext_noop("Có") if values.get("khoms_recognised") else gettext_noop("Chưa"),
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


def period_of(snapshot: dict) -> ReportPeriod:
    return ReportPeriod(snapshot["period"]["kind"], dt.date.fromisoformat(snapshot["period"]["start"]))
