"""The kỳ đánh giá of QĐ 28/2025/QĐ-TTg Điều 7: 15/12 of the year before to 14/12, as the convention (data) says.

Data dated 14/12/2025 counts in the 2025 assessment, data dated 15/12/2025 in 2026's: in the criteria
evaluation, the khóm criteria, the roadmap's recognitions and the year the pages open on.
"""
import datetime as dt

import pytest

from apps.activities.models import Activity
from apps.core.choices import ConventionCode
from apps.core.models import PeriodConvention
from apps.criteria import cycle
from apps.criteria.choices import CriteriaScope
from apps.criteria.models import CriteriaSet
from apps.criteria.selectors import evaluate_criteria, roadmap_figures, roadmap_requests
from apps.indicators import registry
from apps.indicators.registry import Area
from tests.factories.criteria import CriteriaSetFactory, RecognitionFactory, seeded_set

pytestmark = pytest.mark.django_db


def test_the_assessment_period_runs_from_the_15th_of_december_to_the_14th():
    period = cycle.assessment_period(2025)
    assert (period.start, period.end) == (dt.date(2024, 12, 15), dt.date(2025, 12, 14))
    assert cycle.assessment_year_of(dt.date(2025, 12, 14)) == 2025
    assert cycle.assessment_year_of(dt.date(2025, 12, 15)) == 2026
    assert cycle.current_assessment_year(dt.date(2025, 12, 15)) == 2026


def test_the_cut_is_data_an_administrator_may_change():
    PeriodConvention.objects.filter(code=ConventionCode.ASSESSMENT).update(start_day=1)
    assert cycle.assessment_year_of(dt.date(2025, 12, 15)) == 2025
    assert cycle.assessment_period(2025).start == dt.date(2025, 1, 1)


def _session(khom, day):
    Activity.objects.create(ward=khom.ward, khom=khom, held_on=day, topic="Tuyên truyền", participants=30,
                            organiser="Ban điều hành khóm")


def test_a_criterion_counts_data_of_14_december_in_2025_and_of_15_december_in_2026(khom):
    criteria = list(seeded_set(CriteriaScope.KHOM).criteria.filter(indicator="propaganda_sessions"))
    _session(khom, dt.date(2024, 12, 14))  # 2024's period
    _session(khom, dt.date(2024, 12, 15))  # 2025's first day
    for month in (3, 6):
        _session(khom, dt.date(2025, month, 1))
    _session(khom, dt.date(2025, 12, 14))  # 2025's last day
    _session(khom, dt.date(2025, 12, 15))  # 2026's
    key = Area.of(khom).key
    figure_2025, passed_2025 = evaluate_criteria(criteria, [khom], 2025)[key][criteria[0].code]
    figure_2026, _passed = evaluate_criteria(criteria, [khom], 2026)[key][criteria[0].code]
    assert (figure_2025, passed_2025, figure_2026) == (4, True, 1)


def test_a_set_valid_from_15_december_applies_to_the_next_year():
    CriteriaSetFactory(code="sau-15-12", scope=CriteriaScope.WARD, valid_from=dt.date(2025, 12, 15), version=9)
    assert CriteriaSet.objects.current(CriteriaScope.WARD, 2025).code != "sau-15-12"
    assert CriteriaSet.objects.current(CriteriaScope.WARD, 2026).code == "sau-15-12"


def test_on_14_december_2025_the_roadmap_knows_2025_and_on_the_15th_2026(ward, khom, khom2):
    RecognitionFactory(khom=khom, year=2025, decided_on=dt.date(2025, 12, 10))
    RecognitionFactory(khom=khom2, year=2026, decided_on=dt.date(2025, 12, 15), valid_until=dt.date(2026, 12, 14))
    evaluated = registry.evaluate_batch(roadmap_requests([ward]))
    on_14 = {row["year"]: row["recognised"] for row in roadmap_figures(evaluated, as_of=dt.date(2025, 12, 14))["years"]}
    on_15 = {row["year"]: row["recognised"] for row in roadmap_figures(evaluated, as_of=dt.date(2025, 12, 15))["years"]}
    assert (on_14[2025], on_14[2026]) == (1, None)
    assert (on_15[2025], on_15[2026]) == (1, 1)
