"""Reads of criteria: live evaluation of an assessment, hotspot classification, the roadmap."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from apps.core.numbers import percent
from apps.core.periods import Period, year_of
from apps.indicators import registry
from apps.indicators.registry import KHOM, Area
from apps.khom.choices import ROADMAP_YEARS

from .choices import AssessmentStatus, CriteriaScope, HotspotGroup
from .models import Assessment, AssessmentItem, CriteriaSet, Criterion, Evidence

# What the roadmap counts per year: all khóm, khóm planned by then, khóm recognised for it.
ROADMAP_CODES = registry.uses(__name__, ["khoms_total", "khoms_planned", "khoms_recognised"])


@dataclass
class ItemRow:
    """One line of an assessment as shown: the criterion, its figure and whether it holds."""

    item: AssessmentItem
    criterion: Criterion
    figure: object
    passed: bool | None
    frozen: bool

    @property
    def unit(self):
        return registry.get(self.criterion.indicator).unit if self.criterion.is_computed else ""


def evaluate_criteria(criteria, areas, year: int) -> dict[str, dict[str, tuple]]:
    """{area key: {criterion code: (figure, passed)}} for computed *criteria*, in one registry batch."""
    computed = [c for c in criteria if c.is_computed]
    codes = sorted({c.indicator for c in computed})
    return criteria_verdicts(computed, registry.evaluate(codes, areas, Period.year(year)) if codes else {})


def criteria_verdicts(criteria, values: dict) -> dict[str, dict[str, tuple]]:
    """{area key: {criterion code: (figure, passed)}} from registry *values* ({area key: {code: figure}})."""
    computed = [c for c in criteria if c.is_computed]
    return {
        key: {c.code: (figures.get(c.indicator), c.holds(figures.get(c.indicator))) for c in computed}
        for key, figures in values.items()
    }


def assessment_items(assessment: Assessment) -> list[ItemRow]:
    """The rows of *assessment*: live figures while editable, the frozen ones once submitted."""
    items = list(
        assessment.items.select_related("criterion", "updated_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.without_data()))
        .order_by("criterion__order", "criterion__code")
    )
    if assessment.is_editable:
        live = evaluate_criteria([i.criterion for i in items], [assessment.area], assessment.year)
        figures = live.get(assessment.area.key, {})
    rows = []
    for item in items:
        criterion = item.criterion
        if not criterion.is_computed:
            rows.append(ItemRow(item, criterion, None, item.passed, not assessment.is_editable))
        elif assessment.is_editable:
            figure, passed = figures.get(criterion.code, (None, False))
            rows.append(ItemRow(item, criterion, figure, passed, False))
        else:
            rows.append(ItemRow(item, criterion, _number(item.figure), item.passed, True))
    return rows


def _number(value):
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def overall_result(criteria_set: CriteriaSet, rows) -> dict:
    """Whether the set holds for these rows.

    Drug-free sets: every criterion must hold. Hotspot classification: the
    groups a–đ hold when any of their criteria holds, and the set holds
    when at least ``min_groups`` groups do.
    """
    if not criteria_set.is_classification:
        failing = [r.criterion for r in rows if not r.passed]
        return {"passed": not failing, "failing": failing, "groups": None}
    groups = defaultdict(bool)
    for row in rows:
        letter = row.criterion.group or row.criterion.code
        groups[letter] = groups[letter] or bool(row.passed)
    held = sum(1 for ok in groups.values() if ok)
    labels = dict(HotspotGroup.choices)
    return {
        "passed": held >= (criteria_set.min_groups or 0),
        "failing": [r.criterion for r in rows if not r.passed],
        "groups": [{"letter": labels.get(k, k), "held": v} for k, v in sorted(groups.items(), key=lambda kv: _group_order(kv[0]))],
        "held": held,
        "min_groups": criteria_set.min_groups,
    }


def _group_order(letter):
    order = [g.value for g in HotspotGroup]
    return order.index(letter) if letter in order else len(order)


def hotspot_classification(ward, year: int, *, manual: dict[str, bool] | None = None,
                           criteria_set: CriteriaSet | None = None) -> dict:
    """The QĐ 28/2025 hotspot test for one ward in *year* from live data (see hotspot_classifications)."""
    results = hotspot_classifications([ward], year, manual=manual, criteria_set=criteria_set)
    if not results:
        return {"criteria_set": None, "passed": False, "groups": [], "held": 0, "min_groups": None, "rows": []}
    return results[0]


# ---------------------------------------------------------------- roadmap
def roadmap_requests(areas) -> list:
    """The registry requests of the roadmap over *areas*, one per roadmap year, to batch with a page's own."""
    return [(ROADMAP_CODES, areas, Period.year(year)) for year in ROADMAP_YEARS]


def roadmap_figures(evaluated: list, *, as_of: dt.date) -> dict:
    """The roadmap from the results of ``roadmap_requests()``: the one computation every page shows.

    ``years``: per roadmap year, khóm planned that year (``planned``) and up to it
    (``cumulative``, and its share of all khóm), and khóm recognised FOR that year:
    a recognition counts for the year it was assessed for, so the decision of
    20/01/2026 on the 2025 assessment counts for 2025. A year after *as_of*'s has
    no recognitions yet (None). ``recognised`` is the figure of the latest year up
    to *as_of*'s that has any (``recognised_year``; the current year when none has):
    what a headline calls “recognised”. ``areas``: {area key: {"total", "recognised"}}
    for that year. Figures of several areas are added up, which is exact for counts.
    """
    known_until = year_of(as_of)
    sums = [{code: sum(values.get(code) or 0 for values in result.values()) for code in ROADMAP_CODES}
            for result in evaluated]
    total = sums[0]["khoms_total"] if sums else 0
    years, before = [], 0
    for year, figures in zip(ROADMAP_YEARS, sums):
        cumulative = figures["khoms_planned"]
        years.append({
            "year": year, "planned": cumulative - before, "cumulative": cumulative,
            "cumulative_percent": percent(cumulative, total, decimals=1),
            "recognised": figures["khoms_recognised"] if year <= known_until else None,
        })
        before = cumulative
    with_recognitions = [row["year"] for row in years if row["recognised"]]
    headline = with_recognitions[-1] if with_recognitions else min(max(known_until, ROADMAP_YEARS.start),
                                                                    ROADMAP_YEARS.stop - 1)
    at_headline = evaluated[ROADMAP_YEARS.index(headline)] if evaluated else {}
    return {
        "years": years,
        "total": total,
        "recognised": sum(values.get("khoms_recognised") or 0 for values in at_headline.values()),
        "recognised_year": headline,
        "areas": {key: {"total": values.get("khoms_total") or 0, "recognised": values.get("khoms_recognised") or 0}
                  for key, values in at_headline.items()},
    }


def current_assessment_year(today: dt.date | None = None) -> int:
    """The assessment year (QĐ 28/2025: 15/12 of the year before to 14/12) that *today* falls in.

    Cut as the ``assessment`` period convention says (data: an administrator may change its day).
    """
    return year_of(today or timezone.localdate(), start_day=_assessment_start_day())


def assessment_period(year: int) -> Period:
    """The assessment period of *year*: 15/12/(year − 1)–14/12/year as the ``assessment`` convention cuts it."""
    return Period.year(year, start_day=_assessment_start_day())


def _assessment_start_day() -> int:
    from apps.core.choices import ConventionCode
    from apps.core.models import PeriodConvention

    convention = PeriodConvention.objects.filter(code=ConventionCode.ASSESSMENT).first()
    return convention.start_day if convention else 1


def waiting_for(user):
    """What waits for *user*'s decision: for ward leadership the khóm and ward assessments submitted by someone
    else (four-eyes); for the province officer the self-assessments sent to the province, for province
    leadership those forwarded to it. Empty for everyone else."""
    from .models import WardSelfAssessment

    status = self_assessments_waiting_status(user)
    if status:
        return WardSelfAssessment.objects.for_user(user).filter(status=status)
    if not (user.is_leadership and user.has_perm("criteria.approve_assessment")):
        return Assessment.objects.none()
    return (Assessment.objects.for_user(user).filter(status=AssessmentStatus.SUBMITTED)
            .exclude(submitted_by=user))


def self_assessments_waiting_status(user) -> str | None:
    """The status of the self-assessments that wait for *user*: the province's two steps, None for other roles."""
    from .choices import SelfAssessmentStatus

    if user.is_province_officer and user.has_perm("criteria.review_wardselfassessment"):
        return SelfAssessmentStatus.SUBMITTED
    if user.is_province_leadership and user.has_perm("criteria.decide_wardselfassessment"):
        return SelfAssessmentStatus.FORWARDED
    return None


def _roadmap_year() -> int:
    year = timezone.localdate().year
    return min(max(year, ROADMAP_YEARS.start), ROADMAP_YEARS.stop - 1)


def roadmap(user, year: int | None = None) -> dict:
    """The 2025–2030 roadmap in *user*'s scope, as plain data for the roadmap page.

    ``years``, ``total``, ``recognised``: ``roadmap_figures()`` over the khóm in
    scope. ``khoms`` (not for province viewers): each khóm's target year, status,
    whether it is recognised for ``recognised_year``, and the criteria of the
    *year*'s khóm set it still fails — computed ones from live data, manual ones
    unless the latest assessment of the year judged them passed. ``wards``
    (province viewers and administrators): the same per ward, counts only.
    A constant number of queries whatever the number of khóm.
    """
    from apps.khom.models import Khom

    year = year or _roadmap_year()
    khoms = list(Khom.objects.for_user(user).select_related("ward").order_by("ward__name", "code"))
    khom_ids = [k.pk for k in khoms]
    areas = [Area(KHOM, pk) for pk in khom_ids]
    figures = roadmap_figures(registry.evaluate_batch(roadmap_requests(areas)), as_of=timezone.localdate())

    criteria_set = CriteriaSet.objects.current(CriteriaScope.KHOM, year)
    criteria = list(criteria_set.criteria.order_by("order", "code")) if criteria_set else []
    live = evaluate_criteria(criteria, areas, year) if khom_ids else {}
    manual_passed = _manual_passed(criteria_set, khom_ids, year) if criteria else {}

    khom_rows = []
    for khom in khoms:
        key = f"khom:{khom.pk}"
        failing = []
        for criterion in criteria:
            if criterion.is_computed:
                figure, ok = live.get(key, {}).get(criterion.code, (None, False))
            else:
                figure, ok = None, criterion.code in manual_passed.get(khom.pk, set())
            if not ok:
                failing.append({"code": criterion.code, "text": criterion.text, "figure": figure,
                                "computed": criterion.is_computed})
        is_recognised = bool(figures["areas"].get(key, {}).get("recognised"))
        khom_rows.append({
            "id": khom.pk, "code": khom.code, "name": khom.name, "ward_id": khom.ward_id, "ward": khom.ward.name,
            "target_year": khom.target_year, "status": khom.status, "status_label": khom.get_status_display(),
            "recognised_on": khom.recognised_on, "is_recognised": is_recognised,
            "failing": failing, "failing_count": len(failing),
            "on_track": not failing or is_recognised,
        })

    ward_rows = defaultdict(lambda: {"total": 0, "recognised": 0, "meeting_criteria": 0,
                                     "targeted": defaultdict(int), "failing": defaultdict(int)})
    for row in khom_rows:
        ward = ward_rows[(row["ward_id"], row["ward"])]
        ward["total"] += 1
        ward["recognised"] += row["is_recognised"]
        ward["meeting_criteria"] += not row["failing"]
        if row["target_year"]:
            ward["targeted"][row["target_year"]] += 1
        for failure in row["failing"]:
            ward["failing"][failure["code"]] += 1
    wards = [
        {"id": ward_id, "name": name, "total": data["total"], "recognised": data["recognised"],
         "meeting_criteria": data["meeting_criteria"],
         "targeted": [data["targeted"].get(y, 0) for y in ROADMAP_YEARS],
         "failing": [{"code": c.code, "text": c.text, "khoms": data["failing"].get(c.code, 0)} for c in criteria]}
        for (ward_id, name), data in sorted(ward_rows.items(), key=lambda kv: kv[0][1])
    ]
    personal = user.sees_personal_records
    return {
        "year": year,
        "years": figures["years"],
        "total": figures["total"],
        "recognised": figures["recognised"],
        "recognised_year": figures["recognised_year"],
        "criteria_set": criteria_set.name if criteria_set else "",
        "criteria": [{"code": c.code, "text": c.text} for c in criteria],
        # Khóm-level rows name no person, but province viewers get the ward summary only (need to know).
        "khoms": khom_rows if personal else [],
        "wards": wards,
        "per_ward": not personal,
    }


def _manual_passed(criteria_set, khom_ids, year) -> dict[int, set]:
    """{khóm id: codes of manual criteria judged passed} in the latest assessment of *year* against the set."""
    rows = (AssessmentItem.objects.filter(
        assessment__criteria_set=criteria_set, assessment__khom_id__in=khom_ids, assessment__year=year,
        criterion__kind="manual", passed=True,
    ).exclude(assessment__status=AssessmentStatus.RETURNED).values_list("assessment__khom_id", "criterion__code"))
    result = defaultdict(set)
    for khom_id, code in rows:
        result[khom_id].add(code)
    return result




def hotspot_classifications(wards, year: int, *, manual: dict[str, bool] | None = None,
                            criteria_set: CriteriaSet | None = None) -> list[dict]:
    """The QĐ 28/2025 hotspot test for several wards in one registry batch.

    Manual conditions (e.g. (đ) on a drug route) count as held only when
    *manual* says so ({criterion code: True}); an assessment records them.
    """
    criteria_set = criteria_set or CriteriaSet.objects.current(CriteriaScope.HOTSPOT, year)
    if criteria_set is None or not wards:
        return []
    criteria = list(criteria_set.criteria.order_by("order", "code"))
    live = evaluate_criteria(criteria, [Area.of(w) for w in wards], year)
    manual = manual or {}
    result = []
    for ward in wards:
        figures = live.get(Area.of(ward).key, {})
        rows = [ItemRow(None, c, *figures.get(c.code, (None, bool(manual.get(c.code)))), False) for c in criteria]
        outcome = overall_result(criteria_set, rows)
        outcome.update(ward=ward, criteria_set=criteria_set, rows=rows)
        result.append(outcome)
    return result


# ---------------------------------------------------------------- the ward's self-assessment (issue 17 §3)
def ward_classifications(wards, year: int) -> dict[int, dict]:
    """{ward id: {"type": label or "", "json": the classification as frozen}} for *wards* in *year*, in one batch."""
    result = {}
    for outcome in hotspot_classifications(list(wards), year):
        criteria_set = outcome["criteria_set"]
        result[outcome["ward"].pk] = {
            "type": criteria_set.result_label if outcome["passed"] else "",
            "json": {
                "type": criteria_set.result_label if outcome["passed"] else "",
                "criteria_set": {"code": criteria_set.code, "version": criteria_set.version},
                "held": outcome["held"], "min_groups": outcome["min_groups"],
                "rows": [{"code": r.criterion.code, "group": r.criterion.group, "figure": r.figure,
                          "passed": bool(r.passed)} for r in outcome["rows"]],
            },
        }
    return result


def ward_criteria_assessment(ward, year: int) -> Assessment | None:
    """The ward's approved assessment of *year* against a ward drug-free set (the latest one), or None."""
    return (Assessment.objects.filter(ward=ward, khom__isnull=True, year=year, criteria_set__scope=CriteriaScope.WARD,
                                      status=AssessmentStatus.APPROVED)
            .select_related("criteria_set").order_by("-decided_at", "-id").first())


def khom_results(ward, year: int) -> list[dict]:
    """Each khóm of *ward*: its latest khóm assessment of *year* (status, result) and whether it is recognised
    for *year*; counts and judgements only, in three queries."""
    from apps.khom.models import Khom

    from .models import Recognition

    khoms = list(Khom.objects.filter(ward=ward).order_by("code"))
    latest = {}
    for assessment in (Assessment.objects.filter(ward=ward, year=year, khom__isnull=False,
                                                 criteria_set__scope=CriteriaScope.KHOM)
                       .order_by("khom_id", "-id").only("id", "khom_id", "status", "passed")):
        latest.setdefault(assessment.khom_id, assessment)
    recognised = set(Recognition.objects.filter(khom__ward=ward, year=year, revoked_on__isnull=True)
                     .values_list("khom_id", flat=True))
    rows = []
    for khom in khoms:
        assessment = latest.get(khom.pk)
        rows.append({"code": khom.code, "name": khom.name,
                     "status": assessment.status if assessment else "", "passed": assessment.passed if assessment else None,
                     "recognised": khom.pk in recognised})
    return rows


def self_assessment_contents(ward, year: int) -> dict:
    """What a ward sends the province for *year*: classification, drug-free criteria, khóm results, evidence list.

    Live while the ward prepares it; ``services.self_assessment_submit`` freezes exactly this.
    ``criteria`` is None while the ward has no approved assessment against a ward drug-free set.
    """
    classification = ward_classifications([ward], year).get(ward.pk, {"type": "", "json": {"type": ""}})
    assessment = ward_criteria_assessment(ward, year)
    criteria, evidence = None, []
    if assessment is not None:
        criteria_set = assessment.criteria_set
        criteria = {
            "assessment": assessment.pk,
            "criteria_set": {"code": criteria_set.code, "version": criteria_set.version, "name": criteria_set.name,
                             "checked": criteria_set.checked},
            "passed": assessment.passed,
            "items": [{key: item.get(key) for key in ("code", "text", "kind", "figure", "passed", "note")}
                      for item in assessment.snapshot.get("items", [])],
        }
        evidence = [
            {"id": e.pk, "criterion": e.item.criterion.code, "filename": e.filename, "size": e.size, "sha256": e.sha256}
            for e in Evidence.objects.without_data().filter(item__assessment=assessment)
            .select_related("item__criterion").order_by("id")
        ]
    khoms = khom_results(ward, year)
    period = assessment_period(year)
    return {
        "period": {"year": year, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "classification": classification["json"],
        "criteria": criteria,
        "khoms": khoms,
        "khoms_total": len(khoms),
        "khoms_recognised": sum(1 for k in khoms if k["recognised"]),
        "evidence": evidence,
    }


# ---------------------------------------------------------------- the province roadmap (issue 17 §4)
def province_roadmap(user, year: int) -> dict:
    """Per roadmap year the units targeted, registered and recognised against the province's target, and for
    *year* each unit's classification and status: counts and statuses only, never a personal record.

    A constant number of queries whatever the number of units: the units, their targets, their
    self-assessments, the province's targets, and the live classification (one registry batch).
    A unit's classification is the one it sent the province (frozen) once it has sent it, else the live one.
    """
    import math

    from apps.khom.models import Ward

    from .choices import SelfAssessmentStatus
    from .models import ProvinceTarget, WardSelfAssessment, WardTarget

    wards = list(Ward.objects.for_user(user).order_by("name", "code"))
    in_scope = Ward.objects.for_user(user).values("pk")
    targets = {(t.ward_id, t.year): t for t in WardTarget.objects.filter(ward__in=in_scope)}
    self_assessments = {
        (s.ward_id, s.year): s for s in WardSelfAssessment.objects.filter(ward__in=in_scope).only(
            "id", "ward_id", "year", "status", "classification_type", "decision_number", "decided_on", "valid_until")}
    province_targets = {t.year: t for t in ProvinceTarget.objects.all()}
    live = ward_classifications(wards, year) if wards else {}
    total = len(wards)

    years = []
    for each in ROADMAP_YEARS:
        target = province_targets.get(each)
        assigned = sum(1 for w in wards if getattr(targets.get((w.pk, each)), "assigned", False))
        registered = sum(1 for w in wards if getattr(targets.get((w.pk, each)), "registered", False))
        recognised = sum(1 for w in wards if getattr(self_assessments.get((w.pk, each)), "status", "")
                         == SelfAssessmentStatus.RECOGNISED)
        years.append({
            "year": each,
            "target_percent": target.percent if target else None,
            "target_units": math.ceil(target.percent * total / 100) if target else None,
            "legal_basis": target.legal_basis if target else "",
            "assigned": assigned, "registered": registered, "recognised": recognised,
            "recognised_percent": percent(recognised, total, decimals=1),
        })

    rows = []
    for ward in wards:
        target = targets.get((ward.pk, year))
        sent = self_assessments.get((ward.pk, year))
        frozen = sent is not None and sent.status != SelfAssessmentStatus.DRAFT
        rows.append({
            "id": ward.pk, "code": ward.code, "name": ward.full_name, "kind": ward.get_kind_display(),
            "is_illustrative": ward.is_illustrative,
            "classification": sent.classification_type if frozen else live.get(ward.pk, {}).get("type", ""),
            "classification_frozen": frozen,
            "assigned": bool(target and target.assigned), "registered": bool(target and target.registered),
            "self_assessment": sent,
            "status": sent.status if sent else "",
            "status_label": sent.get_status_display() if sent else "",
            "recognised": bool(sent and sent.status == SelfAssessmentStatus.RECOGNISED),
        })
    return {"year": year, "total": total, "years": years, "wards": rows,
            "selected": next(row for row in years if row["year"] == year)}
