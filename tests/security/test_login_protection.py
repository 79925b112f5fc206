"""Login throttling (django-axes): lockout by username + address, Vietnamese page, every attempt audited."""
import pytest
from django.test import override_settings

from apps.accounts.views import LOCKOUT_MESSAGE
from apps.core.choices import AuditAction
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def failures(post_login, username, n, ip="127.0.0.1"):
    for _ in range(n):
        post_login(username, "sai-mat-khau", ip=ip)


def test_the_real_login_form_signs_a_user_in_and_rotates_the_session_key(client, police, post_login):
    session = client.session  # creates a session and its cookie, as a visitor's browser would have
    session["probe"] = 1
    session.save()
    before = session.session_key
    response = post_login(police.username)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert int(client.session["_auth_user_id"]) == police.pk


def test_a_username_is_locked_after_the_failure_limit_from_one_address(client, settings, police, post_login):
    failures(post_login, police.username, settings.AXES_FAILURE_LIMIT)
    response = post_login(police.username)  # the right password no longer helps
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    expected = LOCKOUT_MESSAGE % {"limit": settings.AXES_FAILURE_LIMIT,
                                  "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    assert expected in response.content.decode()
    assert "tạm thời bị khoá" in response.content.decode()


def test_below_the_limit_the_right_password_still_works(police, settings, post_login):
    failures(post_login, police.username, settings.AXES_FAILURE_LIMIT - 1)
    assert post_login(police.username).status_code == 302


def test_the_lockout_is_per_username_and_address_pair(settings, police, leader, post_login):
    failures(post_login, police.username, settings.AXES_FAILURE_LIMIT, ip="10.0.0.1")
    assert post_login(police.username, ip="10.0.0.2").status_code == 302  # same user, other address
    assert post_login(leader.username, ip="10.0.0.1").status_code == 302  # other user, same address


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_lockout_follows_the_forwarded_client_address(client, settings, police):
    def attempt(forwarded, password="sai-mat-khau"):
        return client.post("/accounts/login/", {"username": police.username, "password": password},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("203.0.113.7")
    assert attempt("203.0.113.7", "Khong-doan-duoc-2025").status_code == 429
    # Another client behind the same proxy is not locked out with the attacker.
    assert attempt("198.51.100.9", "Khong-doan-duoc-2025").status_code == 302
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).first()
    assert event.ip == "203.0.113.7"


def test_every_failed_attempt_writes_exactly_one_audit_row_even_when_locked(settings, police, post_login):
    attempts = settings.AXES_FAILURE_LIMIT + 2
    failures(post_login, police.username, attempts)
    rows = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, username=police.username)
    assert rows.count() == attempts
    assert all("password" not in row.extra for row in rows)


def test_a_successful_login_is_audited(police, post_login):
    post_login(police.username)
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, user=police).count() == 1


def test_the_admin_login_is_throttled_too(client, settings, admin_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": admin_user.username, "password": "sai-mat-khau"})
    response = client.post("/admin/login/", {"username": admin_user.username, "password": "Khong-doan-duoc-2025"})
    assert response.status_code == 429


def test_passwords_are_hashed_with_argon2_and_short_or_common_ones_refused(db):
    from django.conf import settings as dj_settings
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    # settings_test swaps in a fast hasher; production's first hasher is Argon2.
    import myhoi.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert dj_settings.AUTH_PASSWORD_VALIDATORS == production.AUTH_PASSWORD_VALIDATORS
    for weak in ["Ab1!short", "password123"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Mot-cau-dai-kho-doan-7")
