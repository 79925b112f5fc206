"""A khóm's profile: its figures from the indicator registry, its criteria and its recognitions.

Every number is read from ``registry.evaluate_batch`` for the khóm as an area, nothing is counted here.
The criteria and recognitions live in apps.criteria, above this app: they are read through its
selectors, imported when asked (as the registry reads this app's models), so the import graph
still points downwards at import time.
"""
import datetime as dt

from django.utils import timezone

from apps.core.models import PeriodConvention
from apps.core.choices import ConventionCode, PeriodKind
from apps.core.periods import Period
from apps.indicators import registry

from .links import figure_link, khom_lists

# The figures of a khóm's page, in the order shown.
PROFILE_CODES = registry.uses(__name__, [
    "persons_managed", "users_addicts", "in_treatment", "overdue_tests", "drug_tests", "positive_tests",
    "cases_detected", "active_hotspots", "propaganda_sessions", "propaganda_attendance", "commitment_percent",
])
BREAKDOWN_CODE, = registry.uses(__name__, ["persons_by_status_sex_age"])
BREAKDOWN_SEPARATOR = "|"


def year_to_date(today: dt.date | None = None):
    """The drug reports' year (its convention's cut) up to today: the period a khóm's page counts."""
    today = today or timezone.localdate()
    convention = PeriodConvention.get(ConventionCode.DRUG_REPORT)
    return convention.containing(PeriodKind.YEAR, today).until(today)


def people_by_status(breakdown: dict | None, kinds: dict) -> list[dict]:
    """[{"code", "name", "count"}] from the breakdown indicator's {"kind|gender|band": people}, by status."""
    counts: dict = {}
    for key, number in (breakdown or {}).items():
        code = key.split(BREAKDOWN_SEPARATOR, 1)[0]
        counts[code] = counts.get(code, 0) + (number or 0)
    rows = [{"code": code, "name": kinds.get(code, (code, None))[0], "kind_id": kinds.get(code, (None, None))[1],
             "count": number} for code, number in counts.items()]
    return sorted(rows, key=lambda row: (-row["count"], str(row["name"])))


def _criteria_year(day: dt.date) -> int:
    """The assessment year (kỳ đánh giá) of *day*, kept inside the programme's years (as the roadmap does)."""
    from apps.criteria.cycle import assessment_year_of

    from .choices import ROADMAP_YEARS

    return min(max(assessment_year_of(day), ROADMAP_YEARS.start), ROADMAP_YEARS.stop - 1)


def khom_criteria(year: int):
    """(the khóm criteria set of *year* or None, its criteria in order)."""
    from apps.criteria.choices import CriteriaScope
    from apps.criteria.models import CriteriaSet

    criteria_set = CriteriaSet.objects.current(CriteriaScope.KHOM, year)
    return criteria_set, (list(criteria_set.criteria.order_by("order", "code")) if criteria_set else [])


def khom_criteria_status(user, khom, *, year: int, criteria_set, criteria, figures: dict) -> dict:
    """The khóm criteria of *year* with where this khóm stands on each, its assessments and its recognitions.

    A computed criterion from the registry's *figures* of the year; a manual one as the latest assessment
    of the year judged it (not yet judged: not passed), as the roadmap reads them.
    """
    from apps.criteria.models import Assessment, Recognition
    from apps.criteria.selectors import _manual_passed, criteria_verdicts

    area = registry.Area(registry.KHOM, khom.pk)
    live = criteria_verdicts(criteria, {area.key: figures}).get(area.key, {})
    manual = _manual_passed(criteria_set, [khom.pk], year).get(khom.pk, set()) if criteria else set()
    rows = []
    for criterion in criteria:
        if criterion.is_computed:
            figure, passed = live.get(criterion.code, (None, False))
            unit = registry.get(criterion.indicator).unit
        else:
            figure, passed, unit = None, criterion.code in manual, ""
        rows.append({"code": criterion.code, "text": criterion.text, "computed": criterion.is_computed,
                     "figure": figure, "unit": unit, "passed": passed})
    assessments = list(Assessment.objects.for_user(user).filter(khom=khom).select_related("criteria_set")
                       .order_by("-year", "-pk")[:10])
    recognitions = list(Recognition.objects.for_user(user).filter(khom=khom).order_by("-decided_on", "-pk"))
    return {"year": year, "set": criteria_set, "rows": rows, "passed": sum(row["passed"] for row in rows),
            "assessments": assessments, "recognitions": recognitions}


def khom_profile(user, khom, today: dt.date | None = None) -> dict:
    """What a khóm's page shows beyond its record; a constant number of queries whatever its size."""
    from apps.subjects.models import EpisodeKind

    from apps.criteria.cycle import assessment_period

    period = year_to_date(today)
    year = _criteria_year(period.end)
    criteria_set, criteria = khom_criteria(year)
    criteria_codes = sorted({c.indicator for c in criteria if c.is_computed})
    area = registry.Area(registry.KHOM, khom.pk)
    # One batch: the page's figures and the criteria's figures of their year, one grouped query per model.
    values, criteria_values = (result[area.key] for result in registry.evaluate_batch([
        (PROFILE_CODES + [BREAKDOWN_CODE], [area], period),
        (criteria_codes, [area], assessment_period(year)),
    ]))
    figures = []
    for code in PROFILE_CODES:
        indicator = registry.get(code)
        figures.append({"code": code, "label": indicator.label, "unit": indicator.unit,
                        "description": indicator.description, "value": values.get(code),
                        "url": figure_link(user, code, period, khom_id=khom.pk)})
    kinds = {code: (name, pk) for code, name, pk in EpisodeKind.objects.values_list("code", "name", "pk")}
    statuses = people_by_status(values.get(BREAKDOWN_CODE), kinds)
    from urllib.parse import urlencode

    from django.urls import reverse

    people_url = reverse("subjects:list") if user.has_perm("subjects.view_person") else None
    for row in statuses:
        row["url"] = (f"{people_url}?{urlencode({'khom': khom.pk, 'status': row['kind_id']})}"
                      if people_url and row["kind_id"] else None)
    return {
        "period": period,
        "figures": figures,
        "statuses": statuses,
        "criteria": khom_criteria_status(user, khom, year=year, criteria_set=criteria_set, criteria=criteria,
                                         figures=criteria_values),
        "lists": khom_lists(user, khom.pk),
    }
