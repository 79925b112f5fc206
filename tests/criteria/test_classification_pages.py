"""The unit's classification page, the classification on the province's list and the roadmap page, and its
freezing on the self-assessment's submit: aggregates only, scoped like every page."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.cases.models import Hotspot
from apps.criteria.models import WardYearData
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hot_ward(ward, khom):
    """Ward A as type III: one organising place is type II's b, nothing else… plus one person with a file."""
    WardYearData.objects.create(ward=ward, year=2025, residents=10_000, on_drug_route=True)
    for n in range(2):
        Hotspot.objects.create(ward=ward, khom=khom, address=f"Hẻm {n}", kind="organising_use",
                               found_on=dt.date(2025, 3, 1))
    return ward


def url(ward):
    return reverse("criteria:classification", args=[ward.pk]) + "?year=2025"


def test_anonymous_to_login_khom_officer_refused_other_ward_not_found(client, client_for, hot_ward, other_ward,
                                                                      khom_officer, leader):
    response = client.get(url(hot_ward))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client_for(khom_officer).get(url(hot_ward)).status_code == 403
    assert client_for(leader).get(url(other_ward)).status_code == 404


@pytest.mark.parametrize("role", ["leader", "police", "province", "province_officer", "province_leadership",
                                  "admin_user"])
def test_the_units_page_shows_its_figures_residents_and_route_and_no_person(request, client_for, hot_ward, khom, role):
    PersonFactory(khom=khom, full_name="Người Riêng Tư")
    response = client_for(request.getfixturevalue(role)).get(url(hot_ward))
    assert response.status_code == 200
    body = response.content.decode()
    result = response.context["result"]
    assert result.residents == 10_000 and result.on_route is True
    assert [r.held["b"] for r in result.types[:2]] == [True, True]
    assert "10000" in body and "Người Riêng Tư" not in body and "cần đối chiếu văn bản gốc" in body


def test_a_bad_year_shows_the_current_one(client_for, leader, hot_ward):
    response = client_for(leader).get(reverse("criteria:classification", args=[hot_ward.pk]), {"year": "²"})
    assert response.status_code == 200 and response.context["year"] in range(2025, 2031)


def test_the_province_list_and_the_roadmap_page_show_each_units_classification(client_for, province_leadership,
                                                                               leader, hot_ward, khom):
    from apps.subjects.models import Episode  # noqa: F401  (people with a file make type III)
    from tests.factories.subjects import EpisodeFactory, seeded_kind

    for _ in range(10):  # a: 0.1 % → type II's a; b: 2 places; on the route: đ of type II holds? (needs type III's)
        EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("addict"), started_on=dt.date(2025, 2, 1))
    response = client_for(province_leadership).get(reverse("criteria:province"), {"year": "2025"})
    row = next(w for w in response.context["roadmap"]["wards"] if w["id"] == hot_ward.pk)
    # type II: a (0.1 %) and b (2 ≥ 1) and đ (type III's a on the route… only 1 of 2): 2 of 3 → type III.
    assert row["classification"] == "Loại III"
    assert response.context["roadmap"]["province_classification"] is not None
    assert url(hot_ward) in response.content.decode()
    roadmap = client_for(leader).get(reverse("criteria:roadmap"), {"year": "2025"})
    assert roadmap.context["classifications"] == [{"ward": hot_ward, "label": "Loại III"}]
    # Ward staff are not shown the province's Điều 5 figures, which add up every unit.
    assert client_for(leader).get(reverse("criteria:province"), {"year": "2025"}).context["roadmap"][
        "province_classification"] is None


def test_the_report_page_and_workbook_show_the_classification_of_the_year_the_period_ends_in(client_for, leader,
                                                                                             hot_ward):
    import io

    from openpyxl import load_workbook

    from apps.core.choices import PeriodKind
    from tests.factories.reports import ReportFactory

    # Quý IV/2025 cut on the 15th ends on 14/12/2025: the 2025 kỳ đánh giá.
    report = ReportFactory(ward=hot_ward, period_kind=PeriodKind.QUARTER, period_start=dt.date(2025, 9, 15),
                           due_on=dt.date(2025, 12, 20), editable_until=dt.date(2025, 12, 30))
    client = client_for(leader)
    page = client.get(reverse("reports:detail", args=[report.pk]))
    table = next(t for t in page.context["tables"] if t.key == "classification")
    assert "2025" in table.title and table.rows[1][2] == 10_000
    response = client.get(reverse("reports:export", args=[report.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [row for row in book["Phân loại"].iter_rows(values_only=True) if row and row[0]]
    assert any(row[0] == "Kết luận" for row in rows)
    assert any(str(row[1]).startswith("b) ") and row[2] == 2 and row[3] == "✔" for row in rows)
