"""scripts/bench.py's scenarios still run against the code they measure.

`make bench` is run by hand, rarely; a service whose signature changed (report_create stopped
taking the due dates in issue 16) broke it without any test noticing. Here every page scenario
and the people export run once on the one-ward bench data, in the test database.
"""
import pytest
from django.core.management import call_command

from apps.reports.models import Report
from tests.scripts import load_script

pytestmark = pytest.mark.django_db

@pytest.fixture
def bench(settings):
    # Bench() turns DEBUG off and adds the test client's host; through the settings fixture both are undone.
    settings.DEBUG = False
    call_command("seed_bench", wards=1, people_per_ward=10, stdout=open("/dev/null", "w"))
    script = load_script("bench")
    return script, script.Bench("small")


def test_every_page_scenario_and_the_export_run(bench):
    script, fixtures = bench
    scenarios = script.page_scenarios(fixtures)
    scenarios["export_people"] = script.export_scenarios(fixtures)["export_people"]
    assert set(scenarios) == {name for name in script.SCENARIOS if name != "import_people"}
    for name, run in scenarios.items():
        run()   # a page scenario raises on any status but 200


def test_the_reports_measured_are_the_drug_reports_quarter_one_draft_one_submitted(bench):
    script, fixtures = bench
    script.page_scenarios(fixtures)
    reports = Report.objects.filter(ward=fixtures.ward).order_by("period_start")
    assert [(r.period_start.isoformat(), r.period_end.isoformat(), r.is_draft) for r in reports] == [
        ("2026-03-15", "2026-06-14", False),    # Quý II/2026, submitted: its workbook reads the frozen snapshot
        ("2026-06-15", "2026-09-14", True),     # Quý III/2026, the live draft
    ]
