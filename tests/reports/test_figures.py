"""The snapshot builder: every section read from the registry (and the criteria evaluation built on it)."""
import datetime as dt

from apps.criteria.choices import CriteriaScope
from apps.criteria.models import CriteriaSet
from apps.criteria.selectors import evaluate_criteria
from apps.core.periods import Period
from apps.indicators import registry
from apps.reports.figures import build_snapshot
from apps.reports.tables import report_tables
from tests.factories.criteria import RecognitionFactory
from tests.factories.khom import KhomFactory

Q1 = Period.quarter(2026, 1)


def test_the_criteria_section_shows_the_computed_criteria_of_the_current_set(ward, khom, khom2, known_data):
    snapshot = build_snapshot(ward=ward, period=Q1)
    section = snapshot["sections"]["criteria"]
    criteria_set = CriteriaSet.objects.current(CriteriaScope.KHOM, 2026)
    computed = [c for c in criteria_set.criteria.order_by("order", "code") if c.is_computed]
    verdicts = evaluate_criteria(computed, [registry.Area("khom", khom.pk)], 2026)[f"khom:{khom.pk}"]
    failing = [c.code for c in computed if not verdicts[c.code][1]]
    row = next(r for r in section["rows"] if r[0] == khom.name)
    assert row[-2] == f"{len(computed) - len(failing)}/{len(computed)}"
    assert row[-1] == (", ".join(failing) or "—")
    assert failing  # khóm A01 has users and an offender in 2026: it cannot pass


def test_the_roadmap_section_counts_planned_and_recognised_khom(ward, khom, khom2):
    khom.target_year = 2025
    khom.save()
    RecognitionFactory(khom=khom, year=2025, decided_on=dt.date(2026, 1, 20))
    rows = {row[0]: row for row in build_snapshot(ward=ward, period=Q1)["sections"]["roadmap"]["rows"]}
    # The decision of January 2026 on the 2025 assessment counts for 2025, the year assessed.
    assert rows[2025][1:] == [1, 1, 50.0, 1]
    assert rows[2026][1:] == [1, 2, 100.0, 0]
    assert rows[2027][4] is None  # after the period: not known yet


def test_the_roadmap_section_rounds_the_share_of_all_khom_half_up(ward):
    # 1 of 16 khóm = 6.25 % → 6.3 (to even: 6.2); 3 of 16 = 18.75 % → 18.8 either way.
    for year in [2025] + [2026] * 2 + [2027] * 13:
        KhomFactory(ward=ward, target_year=year)
    rows = {row[0]: row for row in build_snapshot(ward=ward, period=Q1)["sections"]["roadmap"]["rows"]}
    assert [rows[year][3] for year in (2025, 2026, 2027)] == [6.3, 18.8, 100.0]


def test_a_snapshot_is_plain_json_and_renders_into_ten_tables(ward, khom, known_data):
    import json

    snapshot = build_snapshot(ward=ward, period=Q1)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert [t.key for t in report_tables(snapshot)] == ["summary", "khoms", "people-status", "people", "people-other",
                                                         "cases", "activities", "roadmap", "criteria", "classification"]
    # A report frozen before the classification section existed still renders its nine.
    del snapshot["sections"]["classification"]
    assert len(report_tables(snapshot)) == 9


def test_a_snapshot_from_before_the_breakdowns_still_renders_its_one_people_table(ward, khom, known_data):
    snapshot = build_snapshot(ward=ward, period=Q1)
    people = snapshot["sections"]["people"]
    del people["by_status"], people["breakdowns"]
    assert [t.key for t in report_tables(snapshot)][2:4] == ["people", "cases"]
