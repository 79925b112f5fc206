"""The one roadmap computation: a recognition counts for the year it was assessed for, on every page that shows it."""
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.core.choices import PeriodKind
from apps.criteria.models import RECOGNITION_YEAR_NOT_ASSESSED, Recognition
from apps.criteria.selectors import roadmap_figures, roadmap_requests
from apps.indicators import registry
from apps.khom.models import Ward
from apps.reports.dashboard import dashboard_data
from apps.reports.models import Report
from tests.factories.criteria import RecognitionFactory
from tests.factories.khom import KhomFactory

pytestmark = pytest.mark.django_db


def figures(areas, as_of):
    return roadmap_figures(registry.evaluate_batch(roadmap_requests(areas)), as_of=as_of)


def by_year(result):
    return {row["year"]: row for row in result["years"]}


def test_a_decision_taken_after_the_year_counts_for_the_year_assessed_and_a_revoked_one_not_at_all(ward):
    khoms = [KhomFactory(ward=ward, target_year=2025) for _ in range(3)] + [KhomFactory(ward=ward, target_year=2027)]
    RecognitionFactory(khom=khoms[0], year=2025, decided_on=dt.date(2026, 1, 20))
    RecognitionFactory(khom=khoms[1], year=2025, decided_on=dt.date(2025, 12, 28))
    RecognitionFactory(khom=khoms[2], year=2025, decided_on=dt.date(2026, 1, 20),
                       revoked_on=dt.date(2026, 3, 1), revocation_reason="Phát hiện người sử dụng mới")
    result = figures([ward], as_of=dt.date(2026, 6, 1))
    years = by_year(result)
    assert [years[2025][key] for key in ("planned", "cumulative", "cumulative_percent", "recognised")] == [3, 3, 75.0, 2]
    assert years[2026]["recognised"] == 0 and years[2027]["recognised"] is None  # 2027 is not known yet
    assert years[2027]["planned"] == 1 and years[2030]["cumulative"] == 4
    # A headline reads the latest year with recognitions: 2025, while 2026 awaits its decisions.
    assert (result["recognised"], result["recognised_year"], result["total"]) == (2, 2025, 4)
    assert result["areas"] == {f"ward:{ward.pk}": {"total": 4, "recognised": 2}}


def test_the_headline_moves_to_the_current_year_once_it_has_recognitions(ward, khom, khom2):
    RecognitionFactory(khom=khom, year=2025)
    RecognitionFactory(khom=khom2, year=2026, decided_on=dt.date(2026, 12, 20), valid_until=dt.date(2027, 12, 31))
    result = figures([ward], as_of=dt.date(2026, 12, 25))
    assert (result["recognised"], result["recognised_year"]) == (1, 2026)
    assert figures([ward], as_of=dt.date(2025, 3, 1))["recognised_year"] == 2025  # nothing known: the current year


def test_a_recognition_based_on_an_assessment_carries_the_assessments_year(khom, assessment):
    recognition = Recognition(khom=khom, assessment=assessment, year=assessment.year + 1, decision_number="1/QĐ",
                              decided_on=dt.date(2026, 1, 20), valid_until=dt.date(2026, 12, 31))
    with pytest.raises(ValidationError) as error:
        recognition.full_clean()
    assert error.value.message_dict["year"] == [RECOGNITION_YEAR_NOT_ASSESSED]
    recognition.year = assessment.year
    recognition.full_clean()


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return Ward.objects.get(name="Mỹ Thới"), User.objects.get(username="lanhdao")


def test_the_demo_shows_four_khom_recognised_for_2025_on_the_dashboard_the_workbook_and_both_roadmaps(client, demo):
    ward, leader = demo
    # The demo's decisions were taken on 20/01/2026, for the 2025 assessments.
    assert set(Recognition.objects.filter(khom__ward=ward, revoked_on__isnull=True)
               .values_list("year", "decided_on")) == {(2025, dt.date(2026, 1, 20))}
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")

    dashboard = client.get(reverse("dashboard")).context["dashboard"]
    assert by_year(dashboard["roadmap"])[2025]["recognised"] == 4
    assert dashboard["roadmap_chart"]["series"][1]["values"][0] == 4
    assert dashboard["khoms"] == {"recognised": 4, "total": 19, "year": 2025}
    # Looked at as of 31/12/2025, the year the decisions of January 2026 were made for, the figure is the same.
    assert by_year(dashboard_data(leader, today=dt.date(2025, 12, 31))["roadmap"])[2025]["recognised"] == 4

    roadmap = client.get(reverse("criteria:roadmap"))
    assert by_year(roadmap.context["roadmap"])[2025]["recognised"] == 4
    assert "4 trên 19 khóm trong phạm vi của bạn được công nhận không ma túy năm 2025." in roadmap.content.decode()

    # The province roadmap counts the khóm of its units with the same computation.
    for user in (leader, User.objects.get(username="ubndtinh"), User.objects.get(username="tinh")):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        province = client.get(reverse("criteria:province"), {"year": "2025"})
        row = next(r for r in province.context["roadmap"]["years"] if r["year"] == 2025)
        assert row["khoms_recognised"] == 4, user.username
        assert next(w for w in province.context["roadmap"]["wards"] if w["id"] == ward.pk)["khoms_recognised"] == 4
        assert '<td class="text-end" data-khoms-recognised="2025">4</td>' in province.content.decode()
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")

    for report in Report.objects.filter(ward=ward, period_kind__in=[PeriodKind.YEAR, PeriodKind.QUARTER]):
        response = client.get(reverse("reports:export", args=[report.pk]))
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        rows = [row for row in book["Lộ trình"].iter_rows(values_only=True) if row and str(row[0]) == "2025"]
        assert rows and rows[0][4] == 4, report.period.label
