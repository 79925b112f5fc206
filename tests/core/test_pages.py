"""Role × page matrix of the foundation pages, scope, health check."""
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

from apps.core.audit import audit
from apps.core.choices import AuditAction
from tests.factories.khom import KhomFactory


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["dashboard", "khom:list", "audit"])
def test_anonymous_visitor_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login_from_khom_detail(client, khom):
    response = client.get(reverse("khom:detail", args=[khom.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


ROLE_MATRIX = {
    # role fixture: (dashboard, khom list, audit)
    "admin_user": (200, 200, 200),
    "leader": (200, 200, 200),
    "police": (200, 200, 403),
    "khom_officer": (200, 200, 403),
    "province": (200, 200, 403),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role, expected", ROLE_MATRIX.items())
def test_each_role_reaches_exactly_its_pages(request, client_for, role, expected):
    client = client_for(request.getfixturevalue(role))
    got = tuple(client.get(reverse(name)).status_code for name in ("dashboard", "khom:list", "audit"))
    assert got == expected


@pytest.mark.django_db
def test_khom_list_shows_only_khom_in_scope(client_for, police, khom, khom2, other_khom):
    content = client_for(police).get(reverse("khom:list")).content.decode()
    assert "Khóm A01" in content and "Khóm A02" in content and "Khóm B01" not in content


@pytest.mark.django_db
def test_khom_officer_sees_only_his_khom(client_for, khom_officer, khom, khom2):
    client = client_for(khom_officer)
    content = client.get(reverse("khom:list")).content.decode()
    assert "Khóm A01" in content and "Khóm A02" not in content
    assert client.get(reverse("khom:detail", args=[khom.pk])).status_code == 200
    assert client.get(reverse("khom:detail", args=[khom2.pk])).status_code == 404


@pytest.mark.django_db
def test_khom_of_another_ward_is_not_found_for_ward_staff(client_for, police, other_khom):
    assert client_for(police).get(reverse("khom:detail", args=[other_khom.pk])).status_code == 404


@pytest.mark.django_db
def test_province_viewer_sees_khom_of_every_ward(client_for, province, khom, other_khom):
    client = client_for(province)
    assert client.get(reverse("khom:detail", args=[other_khom.pk])).status_code == 200


@pytest.mark.django_db
def test_khom_list_query_count_does_not_grow_with_rows(client_for, police, ward, count_queries):
    client = client_for(police)
    KhomFactory.create_batch(2, ward=ward)
    client.get(reverse("khom:list"))  # warm the session
    small = count_queries(lambda: client.get(reverse("khom:list")))
    KhomFactory.create_batch(40, ward=ward)
    large = count_queries(lambda: client.get(reverse("khom:list")))
    assert small == large


@pytest.mark.django_db
def test_dashboard_roadmap_counts_khom_per_target_year(client_for, leader, ward):
    KhomFactory.create_batch(4, ward=ward, target_year=2025)
    KhomFactory.create_batch(3, ward=ward, target_year=2029)
    response = client_for(leader).get(reverse("dashboard"))
    rows = {row["year"]: row for row in response.context["roadmap"]["years"]}
    assert rows[2025]["planned"] == 4 and rows[2029]["cumulative"] == 7 and rows[2029]["cumulative_percent"] == 100


@pytest.mark.django_db
def test_leadership_reads_only_the_audit_events_of_its_ward(client_for, leader, police, other_police):
    audit(AuditAction.VIEW, user=police, object_type="subjects.person", object_id="1", object_repr="Hồ sơ phường A")
    audit(AuditAction.VIEW, user=other_police, object_type="subjects.person", object_id="2", object_repr="Hồ sơ phường B")
    content = client_for(leader).get(reverse("audit")).content.decode()
    assert "Hồ sơ phường A" in content and "Hồ sơ phường B" not in content


@pytest.mark.django_db
def test_audit_viewer_filters_by_action(client_for, admin_user, police):
    audit(AuditAction.VIEW, user=police, object_repr="xem-1")
    audit(AuditAction.EXPORT, user=police, object_repr="xuat-1")
    content = client_for(admin_user).get(reverse("audit"), {"action": "export"}).content.decode()
    assert "xuat-1" in content and "xem-1" not in content


@pytest.mark.django_db
def test_healthz_answers_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(client):
    with mock.patch("apps.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_navigation_shows_only_pages_the_role_may_use(client_for, police, leader):
    police_page = client_for(police).get(reverse("dashboard")).content.decode()
    assert reverse("audit") not in police_page
    leader_page = client_for(leader).get(reverse("dashboard")).content.decode()
    assert reverse("audit") in leader_page


@pytest.mark.django_db
def test_interface_is_vietnamese_by_default_and_switches_to_english(client_for, police):
    client = client_for(police)
    assert "Đăng xuất" in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log out" in client.get(reverse("dashboard")).content.decode()
