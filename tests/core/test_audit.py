import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from apps.core.choices import AuditAction
from apps.core.models import AuditEvent
from tests.factories.accounts import UserFactory

PASSWORD = "Khong-doan-duoc-2025"


@pytest.mark.django_db
def test_successful_login_is_audited_with_ip(client, police):
    response = client.post(reverse("login"), {"username": police.username, "password": PASSWORD},
                           REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.user_id == police.pk and event.ip == "10.1.2.3"


@pytest.mark.django_db
def test_failed_login_is_audited_without_the_password(client, police):
    response = client.post(reverse("login"), {"username": police.username, "password": "sai-mat-khau"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.username == police.username
    assert "sai-mat-khau" not in str(event.extra)


@pytest.mark.django_db
def test_logout_is_audited(client_for, police):
    client = client_for(police)
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, user_id=police.pk).exists()


@pytest.mark.django_db
def test_admin_change_is_audited_with_before_and_after(client_for, admin_user, khom):
    client = client_for(admin_user)
    url = reverse("admin:khom_khom_change", args=[khom.pk])
    data = {"ward": khom.ward_id, "code": khom.code, "name": "Khóm Đổi Tên", "population": 2000,
            "households": 500, "head_name": "", "police_officer": "", "target_year": 2027,
            "status": khom.status, "recognised_on": ""}
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="khom.khom")
    assert event.changes["name"] == ["Khóm A01", "Khóm Đổi Tên"]
    assert event.changes["target_year"] == [2026, 2027]
    assert event.ward_id == khom.ward_id


@pytest.mark.django_db
def test_database_refuses_to_update_or_delete_audit_rows(police):
    from apps.core.audit import audit

    event = audit(AuditAction.VIEW, user=police, object_type="x", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(username="someone-else")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.username == police.username


@pytest.mark.django_db
def test_deleting_a_user_keeps_their_audit_rows(police):
    from apps.core.audit import audit

    audit(AuditAction.VIEW, user=police, object_type="x", object_id="1")
    user = UserFactory(username="short-lived")
    audit(AuditAction.VIEW, user=user, object_type="x", object_id="2")
    user.delete()
    assert AuditEvent.objects.filter(username="short-lived").count() == 1


@pytest.mark.django_db
def test_the_admin_object_type_filter_names_the_blank_type_instead_of_an_empty_link(client_for, admin_user, police):
    from apps.core.admin import NO_OBJECT_TYPE

    AuditEvent.objects.create(action=AuditAction.LOGIN, user=police, username=police.username)  # touches no object
    AuditEvent.objects.create(action=AuditAction.VIEW, user=police, username=police.username,
                              object_type="subjects.person", object_id="1")

    response = client_for(admin_user).get(reverse("admin:core_auditevent_changelist"))

    links = {choice["display"]: choice["query_string"]
             for spec in response.context["cl"].filter_specs if spec.field_path == "object_type"
             for choice in spec.choices(response.context["cl"])}
    assert links[str(NO_OBJECT_TYPE)] == "?object_type="
    assert links["subjects.person"] == "?object_type=subjects.person"
    assert "" not in links
    assert f'<a href="?object_type=">{NO_OBJECT_TYPE}</a>' in response.content.decode()


# Behind proxies: each proxy appends the address it received from, so only the last
# TRUSTED_PROXY_COUNT entries are facts; anything to their left is whatever the client typed.
def _login(client, user, forwarded, password=PASSWORD):
    return client.post(reverse("login"), {"username": user.username, "password": password},
                       REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
@pytest.mark.parametrize("proxies, address", [(1, "2.2.2.2"), (2, "1.1.1.1")])
def test_behind_trusted_proxies_the_audited_login_address_is_the_entry_the_nearest_trusted_proxy_saw(
        client, settings, police, proxies, address):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert _login(client, police, "1.1.1.1, 2.2.2.2").status_code == 302
    assert AuditEvent.objects.get(action=AuditAction.LOGIN, user=police).ip == address


@pytest.mark.django_db
def test_behind_one_proxy_a_client_cannot_escape_the_lockout_by_rotating_a_forged_leftmost_entry(
        client, settings, police):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, police, f"198.51.100.{n}, 2.2.2.2", password="sai-mat-khau")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"2.2.2.2"}
    assert set(AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).values_list("ip", flat=True)) == {"2.2.2.2"}
    assert _login(client, police, "1.1.1.1, 2.2.2.2").status_code == 429
