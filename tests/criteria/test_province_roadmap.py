"""The province roadmap /criteria/province/ (issue 17 §4): targets assigned by the province and registered by the
units, recognitions against the province's target (QĐ 1209/QĐ-UBND, as data), each unit's classification and
status, the Excel export; aggregates only, and a constant number of queries in the number of units."""
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from apps.accounts.choices import Role
from apps.core.models import AuditEvent
from apps.criteria import services
from apps.criteria.choices import SelfAssessmentStatus
from apps.criteria.models import ProvinceTarget, WardTarget
from apps.criteria.selectors import province_roadmap
from tests.factories.accounts import UserFactory
from tests.factories.criteria import WardSelfAssessmentFactory
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import PersonFactory


def _recognised(ward, year=2025, number="15/QĐ-UBND"):
    """A recognised self-assessment written directly (its workflow is tested in test_self_assessment.py)."""
    return WardSelfAssessmentFactory(
        ward=ward, year=year, status=SelfAssessmentStatus.RECOGNISED, submitted_at=dt.datetime(2025, 12, 20,
                                                                                             tzinfo=dt.timezone.utc),
        snapshot={"classification": {"type": ""}}, decision_number=number, decided_on=dt.date(2026, 1, 12),
        valid_until=dt.date(2026, 12, 31))


def _units(n, start=0):
    return [WardFactory(code=f"9{index:04d}", name=f"Xã Thử {index}") for index in range(start, start + n)]


# ---------------------------------------------------------------- the figures
def test_the_province_targets_are_seeded_as_data(db):
    targets = {t.year: t.percent for t in ProvinceTarget.objects.all()}
    assert targets == {2025: Decimal("20.00"), 2030: Decimal("100.00")}
    assert all("1209/QĐ-UBND" in t.legal_basis for t in ProvinceTarget.objects.all())


def test_targeted_registered_and_recognised_units_against_the_provinces_target(ward, other_ward, province_officer,
                                                                             leader):
    third = WardFactory(code="WC", name="Xã C")
    services.ward_target_assign(user=province_officer, ward=ward, data={"year": 2025, "assigned": True})
    services.ward_target_assign(user=province_officer, ward=other_ward, data={"year": 2025, "assigned": True})
    services.ward_target_register(user=leader, ward=ward, data={"year": 2025, "registered": True})
    services.ward_target_register(user=leader, ward=ward, data={"year": 2026, "registered": True})
    _recognised(ward)
    roadmap = province_roadmap(province_officer, 2025)
    selected = roadmap["selected"]
    assert roadmap["total"] == 3
    assert (selected["assigned"], selected["registered"], selected["recognised"]) == (2, 1, 1)
    assert selected["target_percent"] == Decimal("20.00") and selected["target_units"] == 1  # ceil(20 % of 3)
    assert selected["recognised_percent"] == 33.3
    by_year = {row["year"]: row for row in roadmap["years"]}
    assert (by_year[2026]["registered"], by_year[2026]["target_percent"]) == (1, None)
    assert by_year[2030]["target_units"] == 3
    rows = {row["id"]: row for row in roadmap["wards"]}
    assert rows[ward.pk]["assigned"] and rows[ward.pk]["registered"] and rows[ward.pk]["recognised"]
    assert not rows[third.pk]["assigned"] and rows[third.pk]["status"] == ""


def test_a_recognition_counts_for_the_year_it_was_assessed_for(ward, province_leadership):
    _recognised(ward, year=2025)
    years = {row["year"]: row["recognised"] for row in province_roadmap(province_leadership, 2026)["years"]}
    assert years[2025] == 1 and years[2026] == 0


def test_withdrawing_a_target_is_recorded_and_audited(ward, province_officer):
    services.ward_target_assign(user=province_officer, ward=ward, data={"year": 2025, "assigned": True})
    services.ward_target_assign(user=province_officer, ward=ward, data={"year": 2025, "assigned": False})
    target = WardTarget.objects.get(ward=ward, year=2025)
    assert not target.assigned and target.assigned_by == province_officer
    assert AuditEvent.objects.filter(object_type="criteria.wardtarget", object_id=str(target.pk)).count() == 2


def test_only_the_province_assigns_and_only_the_wards_leadership_registers(ward, other_ward, leader, police,
                                                                         province, province_officer):
    from django.core.exceptions import PermissionDenied

    for user in (leader, police, province):
        with pytest.raises(PermissionDenied):
            services.ward_target_assign(user=user, ward=ward, data={"year": 2025, "assigned": True})
    for user in (police, province_officer):
        with pytest.raises(PermissionDenied):
            services.ward_target_register(user=user, ward=ward, data={"year": 2025, "registered": True})
    with pytest.raises(PermissionDenied):
        services.ward_target_register(user=leader, ward=other_ward, data={"year": 2025, "registered": True})
    assert not WardTarget.objects.exists()


# ---------------------------------------------------------------- the page
def test_the_page_redirects_anonymous_users_and_is_forbidden_to_khom_officers(client, client_for, khom_officer):
    response = client.get(reverse("criteria:province"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client_for(khom_officer).get(reverse("criteria:province")).status_code == 403
    assert client_for(khom_officer).get(reverse("criteria:province_export")).status_code == 403


@pytest.mark.parametrize("role", ["province", "province_officer", "province_leadership"])
def test_the_province_roles_see_every_unit_and_no_personal_record(role, request, client_for, ward, other_ward, khom):
    PersonFactory(khom=khom, full_name="Người Riêng Tư")
    illustrative = WardFactory(code="WI", name="Xã Minh Họa", is_illustrative=True)
    _recognised(ward)
    response = client_for(request.getfixturevalue(role)).get(reverse("criteria:province"), {"year": "2025"})
    assert response.status_code == 200
    body = response.content.decode()
    assert {w["id"] for w in response.context["roadmap"]["wards"]} == {ward.pk, other_ward.pk, illustrative.pk}
    assert "Người Riêng Tư" not in body and "số liệu minh họa" in body and "20 %" in body


def test_ward_leadership_sees_its_own_ward_only_and_registers_through_the_page(client_for, leader, ward, other_ward):
    client = client_for(leader)
    response = client.get(reverse("criteria:province"), {"year": "2026"})
    assert [w["id"] for w in response.context["roadmap"]["wards"]] == [ward.pk]
    response = client.post(reverse("criteria:target_register", args=[ward.pk]), {"year": "2026", "value": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("criteria:province") + "?year=2026"
    assert WardTarget.objects.get(ward=ward, year=2026).registered
    # another ward is out of scope
    assert client.post(reverse("criteria:target_register", args=[other_ward.pk]),
                       {"year": "2026", "value": "on"}).status_code == 404
    # the province's button is not the ward's
    assert client.post(reverse("criteria:target_assign", args=[ward.pk]),
                       {"year": "2026", "value": "on"}).status_code == 403


def test_the_province_officer_assigns_through_the_page(client_for, province_officer, ward):
    client = client_for(province_officer)
    response = client.post(reverse("criteria:target_assign", args=[ward.pk]), {"year": "2025", "value": "on"})
    assert response.status_code == 302 and WardTarget.objects.get(ward=ward, year=2025).assigned
    assert client.get(reverse("criteria:target_assign", args=[ward.pk])).status_code == 405


@pytest.mark.parametrize("year", ["abc", "²", "9" * 5000, "1900", ""])
def test_a_bad_year_in_the_query_shows_the_current_one(client_for, province_officer, year):
    response = client_for(province_officer).get(reverse("criteria:province"), {"year": year})
    assert response.status_code == 200 and 2025 <= response.context["roadmap"]["year"] <= 2030


def test_a_bad_year_posted_to_a_target_is_refused_without_a_change(client_for, province_officer, ward):
    response = client_for(province_officer).post(reverse("criteria:target_assign", args=[ward.pk]),
                                                 {"year": "2099", "value": "on"})
    assert response.status_code == 302 and not WardTarget.objects.exists()


# ---------------------------------------------------------------- the export
def test_the_export_holds_the_years_and_the_units_as_values_and_is_audited(client_for, province_officer, ward,
                                                                          other_ward):
    other_ward.is_illustrative = True
    other_ward.save()
    services.ward_target_assign(user=province_officer, ward=ward, data={"year": 2025, "assigned": True})
    _recognised(ward, number="=HYPERLINK(\"x\")")
    response = client_for(province_officer).get(reverse("criteria:province_export"), {"year": "2025"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    year_rows = {row[0]: row for row in rows if isinstance(row[0], int)}
    assert year_rows[2025][1:7] == (20, 1, 1, 0, 1, 50)
    assert year_rows[2026][1] is None
    units = {row[0]: row for row in rows if row[0] in (ward.code, other_ward.code)}
    assert units[ward.code][4] == "Có" and units[ward.code][6] == "Được công nhận không ma túy"
    assert units[ward.code][7] == "=HYPERLINK(\"x\")"  # text, never a formula
    assert units[other_ward.code][8] == "Số liệu minh họa"
    assert not any(cell.data_type == "f" for row in book.active.iter_rows() for cell in row)
    assert AuditEvent.objects.filter(action="export", object_type="criteria.wardtarget",
                                     user=province_officer).exists()


# ---------------------------------------------------------------- query counts
@pytest.mark.parametrize("view", ["criteria:province", "criteria:province_export"])
def test_the_page_and_the_export_issue_the_same_queries_at_two_sizes(view, client_for, province_leadership,
                                                                   count_queries, db):
    client = client_for(province_leadership)
    for ward in _units(2):
        KhomFactory(ward=ward)
        _recognised(ward)
    def fetch():
        response = client.get(reverse(view), {"year": "2025"})
        assert response.status_code == 200
        if view.endswith("export"):
            b"".join(response.streaming_content)

    small = count_queries(fetch)
    for index, ward in enumerate(_units(25, start=100)):
        KhomFactory(ward=ward)
        WardTarget.objects.create(ward=ward, year=2025, assigned=True, registered=index % 2 == 0)
        if index % 3 == 0:
            _recognised(ward)
    large = count_queries(fetch)
    assert small == large
