"""Fixtures for the security tests: a login helper that goes through the real login form."""
import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_axes(db):
    """Each test starts with no failed-login counters (axes keeps them in the database)."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    cache.clear()
    yield


PASSWORD = "Khong-doan-duoc-2025"


@pytest.fixture
def post_login(client):
    """post_login(username, password, ip=...) → the response of the real login form."""

    def run(username, password=PASSWORD, ip="127.0.0.1", **extra):
        return client.post("/accounts/login/", {"username": username, "password": password},
                           REMOTE_ADDR=ip, **extra)

    return run
