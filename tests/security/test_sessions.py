"""Sessions: inactivity timeout, absolute lifetime, no extra writes for an active user, production cookie flags."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from apps.core.choices import AuditAction
from apps.core.middleware import (
    SESSION_ACTIVITY_KEY,
    SESSION_IDLE_EXPIRED,
    SESSION_LIFETIME_EXPIRED,
    SESSION_STARTED_KEY,
)
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def shift_session(client, **ages):
    """Pretend the session's clocks were set *ages* seconds ago."""
    session = client.session
    for key, age in ages.items():
        session[key] = time.time() - age
    session.save()


def test_login_starts_both_session_clocks(client_for, police):
    session = client_for(police).session
    assert session[SESSION_STARTED_KEY] == pytest.approx(time.time(), abs=60)
    assert session[SESSION_ACTIVITY_KEY] == pytest.approx(time.time(), abs=60)


def test_a_session_idle_longer_than_the_timeout_is_logged_out(client_for, police, settings):
    client = client_for(police)
    shift_session(client, **{SESSION_ACTIVITY_KEY: settings.SESSION_IDLE_TIMEOUT + 5})
    response = client.get("/khom/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/khom/")
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"])
    assert str(SESSION_IDLE_EXPIRED) in login_page.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, user=police).exists()


def test_a_session_used_within_the_timeout_stays_open(client_for, police, settings):
    client = client_for(police)
    shift_session(client, **{SESSION_ACTIVITY_KEY: settings.SESSION_IDLE_TIMEOUT - 60})
    assert client.get("/khom/").status_code == 200
    # The visit moved the activity clock forward.
    assert time.time() - client.session[SESSION_ACTIVITY_KEY] < 60


def test_an_active_session_still_ends_at_the_absolute_lifetime(client_for, police, settings):
    client = client_for(police)
    shift_session(client, **{SESSION_STARTED_KEY: settings.SESSION_COOKIE_AGE + 5, SESSION_ACTIVITY_KEY: 1})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert str(SESSION_LIFETIME_EXPIRED) in client.get(response["Location"]).content.decode()


def test_the_timeout_is_configurable(client_for, police, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client = client_for(police)
    shift_session(client, **{SESSION_ACTIVITY_KEY: 6 * 60})
    assert client.get("/khom/").status_code == 302


def test_repeated_page_views_do_not_write_the_session_each_time(client_for, police, count_queries):
    client = client_for(police)
    first = count_queries(lambda: client.get("/khom/"))
    second = count_queries(lambda: client.get("/khom/"))
    assert first == second


def test_production_cookies_are_secure_httponly_and_samesite():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update(SECRET_KEY="s" * 20 + "-Production-Only-Secret-Value-0123456789", DJANGO_SETTINGS_MODULE="myhoi.settings")
    code = (
        "import json; from django.conf import settings as s; import django; django.setup();"
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.CSRF_COOKIE_SECURE, s.SESSION_IDLE_TIMEOUT, s.SESSION_COOKIE_AGE, s.OTP_REQUIRED_ROLES]))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    secure, httponly, samesite, csrf_secure, idle, age, otp_roles = json.loads(result.stdout.strip().splitlines()[-1])
    assert (secure, httponly, samesite, csrf_secure) == (True, True, "Lax", True)
    assert idle == 30 * 60 and age == 8 * 3600
    assert set(otp_roles) == {"leadership", "police", "administrator"}
