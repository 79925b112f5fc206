"""Security headers: a strict Content-Security-Policy on every page, no inline script, deploy check clean."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

REQUIRED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header):
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = " ".join(words[1:])
    return result


def assert_strict_csp(response):
    header = response.get("Content-Security-Policy")
    assert header, f"no CSP on {response.request['PATH_INFO']}"
    found = directives(header)
    for name, value in REQUIRED_DIRECTIVES.items():
        assert found.get(name) == value, (name, header)
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def assert_no_inline_script(response):
    body = response.content.decode()
    assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body).group(0)
    assert not INLINE_HANDLER.search(body), INLINE_HANDLER.search(body).group(0)


def test_anonymous_pages_carry_the_policy(client):
    for path in ["/accounts/login/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert_strict_csp(response)
        assert_no_inline_script(response)


def test_the_lockout_page_carries_the_policy(client, police, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/accounts/login/", {"username": police.username, "password": "sai"})
    assert response.status_code == 429
    assert_strict_csp(response)


def test_every_page_of_each_role_carries_the_policy_and_no_inline_script(client_for, police, leader, khom_officer, khom):
    pages = {
        police: ["/", "/khom/", reverse("khom:detail", args=[khom.pk]), "/accounts/otp/setup/"],
        leader: ["/", "/audit/"],
        khom_officer: ["/", "/khom/"],
    }
    for user, paths in pages.items():
        client = client_for(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (user.username, path)
            assert_strict_csp(response)
            assert_no_inline_script(response)


def test_the_admin_works_under_the_policy_without_inline_script(client_for, admin_user, police):
    client = client_for(admin_user)
    for path in ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{police.pk}/change/", "/admin/core/auditevent/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_csp(response)
        assert_no_inline_script(response)


def test_clickjacking_sniffing_and_referrer_headers_are_set(client_for, police):
    response = client_for(police).get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def production_env(**extra):
    # A production process has none of the test run's switches (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    dropped = ("DEBUG", "DJANGO_SETTINGS_MODULE", "OTP_REQUIRED_ROLES", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(SECRET_KEY="h" * 20 + "-Production-Only-Secret-Value-0123456789", ALLOWED_HOSTS="myhoi.angiang.gov.vn",
               DJANGO_SETTINGS_MODULE="myhoi.settings", **extra)
    return env


def test_check_deploy_reports_nothing_with_production_variables():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"], cwd=ROOT,
                            env=production_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


def test_production_settings_send_hsts_and_redirect_to_https():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_REFERRER_POLICY, s.DEBUG)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=production_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    hsts, redirect, referrer, debug = result.stdout.split()
    assert int(hsts) >= 31536000 and redirect == "True" and referrer == "same-origin" and debug == "False"
