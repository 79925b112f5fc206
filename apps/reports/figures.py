"""The figures of a report, read from the indicators registry and frozen as plain JSON.

``build_snapshot()`` is the only function that reads live data. Everything
shown on the report page and written to the provincial workbook is rendered
from the dictionary it returns: for a draft it is built on the fly, for a
submitted report it is the copy stored in ``Report.snapshot``. Labels are
stored in Vietnamese (the language of the official report) so the frozen
copy reads the same whoever opens it later.
"""
import datetime as dt
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from apps.core.periods import Period, year_of
from apps.core.transactions import consistent_snapshot
from apps.indicators import registry
from apps.indicators.registry import uses

SCHEMA = 1

# Section keys in report order; titles are translated at render time (see tables.py).
SECTION_KEYS = ("summary", "khoms", "people", "cases", "activities", "roadmap", "criteria", "classification")

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
# The people sheet's QĐ 13/2019/QĐ-TTg breakdowns (issue 16 §5): the four-way status × sex × age groups, then
# one row per group of every other breakdown, each group an indicator of apps.subjects.indicators.
CATEGORY_CODE, OCCUPATION_CODE, SUBSTANCE_CODE, REHAB_CODE = uses(__name__, [
    "persons_by_category_sex_age", "persons_by_occupation", "persons_by_substance", "persons_by_rehab_measure"])
# (breakdown title, [(group label, indicator code)]): the groups of a breakdown add up to everyone counted.
BREAKDOWN_GROUPS = [
    (gettext_noop("Giới tính"), [(gettext_noop("Nam"), "persons_male"), (gettext_noop("Nữ"), "persons_female")]),
    (gettext_noop("Độ tuổi"), [(gettext_noop("Dưới 14 tuổi"), "persons_age_under_14"),
                               (gettext_noop("Từ 14 đến dưới 16 tuổi"), "persons_age_14_to_16"),
                               (gettext_noop("Từ 16 đến dưới 18 tuổi"), "persons_age_16_to_18"),
                               (gettext_noop("Từ 18 đến dưới 30 tuổi"), "persons_age_18_to_30"),
                               (gettext_noop("Từ 30 tuổi trở lên"), "persons_age_30_over")]),
    (gettext_noop("Dân tộc"), [(gettext_noop("Kinh"), "persons_ethnicity_kinh"),
                               (gettext_noop("Dân tộc khác"), "persons_ethnicity_other"),
                               (gettext_noop("Chưa ghi"), "persons_ethnicity_unknown")]),
    (gettext_noop("Nơi cư trú"), [(gettext_noop("Có nơi cư trú ổn định"), "persons_stable_residence"),
                                  (gettext_noop("Không có nơi cư trú ổn định"), "persons_unstable_residence"),
                                  (gettext_noop("Chưa ghi"), "persons_residence_unknown")]),
    (gettext_noop("Trình độ học vấn"), [(gettext_noop("Không biết chữ"), "persons_education_none"),
                                        (gettext_noop("Tiểu học"), "persons_education_primary"),
                                        (gettext_noop("Trung học cơ sở"), "persons_education_lower_secondary"),
                                        (gettext_noop("Trung học phổ thông"), "persons_education_upper_secondary"),
                                        (gettext_noop("Trung cấp, cao đẳng, đại học trở lên"),
                                         "persons_education_higher"),
                                        (gettext_noop("Chưa ghi"), "persons_education_unknown")]),
    (gettext_noop("Tiền án, tiền sự"), [(gettext_noop("Có tiền án"), "persons_prior_criminal"),
                                        (gettext_noop("Có tiền sự"), "persons_prior_administrative")]),
    (gettext_noop("Tình trạng"), [(gettext_noop("Ngoài xã hội"), "persons_status_outside_society"),
                                  (gettext_noop("Cai nghiện bắt buộc"), "persons_status_compulsory_rehab"),
                                  (gettext_noop("Trong cơ sở khác"), "persons_status_other_facility"),
                                  (gettext_noop("Bị tạm giữ, tạm giam"), "persons_status_detention")]),
]
PEOPLE_CODES = [BREAKDOWN_CODE, CATEGORY_CODE, OCCUPATION_CODE, SUBSTANCE_CODE, REHAB_CODE] + uses(
    __name__, [code for _title, groups in BREAKDOWN_GROUPS for _label, code in groups])


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
    # The criteria of the assessment year (kỳ đánh giá, 15/12–14/12 by default) the period ends in.
    from apps.criteria import cycle

    year = cycle.assessment_year_of(period.end)
    assessment_year = cycle.assessment_period(year)
    criteria = _computed_criteria(khoms, year)

    requests = {
        "current": (ward_codes, [ward], period),
        "previous": (ward_codes, [ward], period.previous),
        "per_khom": (khom_codes + [RECOGNISED_CODE], khom_areas, period),
        "people": (PEOPLE_CODES, [ward], period),
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
            "people": build_people_section(results["people"].get(ward_key, {})),
            "cases": {"rows": _indicator_rows(CASE_CODES, current, previous, meta)},
            "activities": {"rows": _indicator_rows(ACTIVITY_CODES, current, previous, meta)},
            "roadmap": build_roadmap_section(roadmap_section),
            "criteria": build_criteria_section(khoms, per_khom, CRITERIA_CODES, meta, criteria, verdicts),
            "classification": build_classification_section(ward, year),
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


def _people_columns():
    """(gender, age group) cells age-major, then the totals per sex and the grand total."""
    from apps.subjects.choices import AgeGroup, Gender

    cells = [(gender, group) for group in AgeGroup.values for gender in Gender.values]
    columns = [[str(AgeGroup(group).label), str(Gender(gender).label)] for gender, group in cells]
    columns += [[gettext_noop("Tổng"), str(Gender(gender).label)] for gender in Gender.values]
    columns += [[gettext_noop("Tổng cộng"), ""]]
    return cells, columns


def _cross_rows(breakdown: dict, keys, cells) -> list:
    """[name, figures per cell…, per sex…, total] for each (key, name), and the totals row."""
    from apps.subjects.choices import Gender

    rows, totals = [], None
    for key, name in keys:
        figures = [breakdown.get(f"{key}|{gender}|{group}", 0) for gender, group in cells]
        per_gender = [sum(figure for (g, _group), figure in zip(cells, figures) if g == gender)
                      for gender in Gender.values]
        row = figures + per_gender + [sum(per_gender)]
        totals = row if totals is None else [a + b for a, b in zip(totals, row)]
        rows.append([name, *row])
    rows.append([gettext_noop("Tổng cộng"), *(totals or [0] * (len(cells) + len(Gender.values) + 1))])
    return rows


def build_people_section(values: dict) -> dict:
    """People under management, from the ward's values of the people indicators (PEOPLE_CODES).

    ``rows``: by status (episode kind) × age group × sex, with totals per sex and overall;
    ``by_status``: the same by the four status categories of QĐ 13/2019/QĐ-TTg;
    ``breakdowns``: [breakdown, group, people] for every other breakdown of QĐ 13/2019.
    """
    from apps.subjects.choices import StatusCategory
    from apps.subjects.models import EpisodeKind

    def table(code):
        value = values.get(code)
        return value if isinstance(value, dict) else {}

    breakdown, by_category = table(BREAKDOWN_CODE), table(CATEGORY_CODE)
    cells, columns = _people_columns()
    kinds = list(EpisodeKind.objects.order_by("-priority", "name").values_list("code", "name", "is_active"))
    # A retired kind nobody is in any more is left out.
    shown = [(code, name) for code, name, is_active in kinds
             if is_active or any(key.split("|", 1)[0] == code and n for key, n in breakdown.items())]
    categories = [(category.value, str(category.label)) for category in StatusCategory]
    names = {code: name for code, name, _active in kinds}
    rows = []
    for title, groups in BREAKDOWN_GROUPS:
        rows += [[title, label, values.get(code) or 0] for label, code in groups]
    for title, code, label_of in (
            (gettext_noop("Biện pháp cai nghiện, điều trị đã áp dụng trong kỳ"), REHAB_CODE, names.get),
            (gettext_noop("Chất ma túy sử dụng (xét nghiệm dương tính trong kỳ)"), SUBSTANCE_CODE, None),
            (gettext_noop("Nghề nghiệp"), OCCUPATION_CODE, None)):
        found = table(code)
        if not found:
            rows.append([title, gettext_noop("(không có)"), 0])
        for key, number in sorted(found.items(), key=lambda item: (-item[1], item[0])):
            label = (label_of(key) if label_of else key) or gettext_noop("Chưa ghi")
            rows.append([title, label or key, number])
    return {
        "columns": columns,
        "rows": _cross_rows(breakdown, shown, cells),
        "by_status": {"rows": _cross_rows(by_category, categories, cells)},
        "breakdowns": {"rows": rows},
    }


def build_classification_section(ward, year: int) -> dict:
    """The unit's Điều 4 classification for the assessment year the period ends in, as the classification page
    shows it (apps.criteria.classification): the type reached, residents and route, then each type's criteria."""
    from apps.criteria.classification import classify_wards, display

    result = classify_wards([ward], year)[ward.pk]
    rows = [[gettext_noop("Kết luận"), result.label or gettext_noop("Không thuộc diện địa bàn trọng điểm"), None, ""],
            [gettext_noop("Nhân khẩu hiện đang cư trú"), "", result.residents, ""],
            [gettext_noop("Nằm trên tuyến, địa bàn trung chuyển ma túy"), "",
             None, gettext_noop("Có") if result.on_route else gettext_noop("Không")]]
    for row in result.rows():
        for criterion in row["criteria"]:
            for part in criterion["parts"]:
                figure = part["figure"]
                rows.append([row["type"].label, f"{criterion['letter']}) {part['text']}",
                             figure if figure is None or isinstance(figure, int) else
                             float(figure) if isinstance(figure, Decimal) else str(figure),  # "Có"/"Không"
                             "✔" if part["held"] else "—"])
        if row["route"] is not None:
            rows.append([row["type"].label, f"{row['type'].route_letter}) {row['type'].route_min_criteria} "
                         f"{row['type'].route_counts_type.label} + tuyến", None, "✔" if row["route"] else "—"])
    cs = result.classification_set
    return {"year": year, "set": f"{cs.name} (v{cs.version})" if cs else "", "type": result.label, "rows": rows}


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
