"""Shared fixtures: two wards, khóm in each, and one user per role scoped to ward A."""
import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from apps.accounts.choices import Role
from tests.factories.accounts import UserFactory
from tests.factories.khom import KhomFactory, WardFactory


@pytest.fixture
def ward(db):
    return WardFactory(code="WA", name="Phường A")


@pytest.fixture
def other_ward(db):
    return WardFactory(code="WB", name="Phường B")


@pytest.fixture
def khom(ward):
    return KhomFactory(ward=ward, code="A01", name="Khóm A01")


@pytest.fixture
def khom2(ward):
    """A second khóm of the same ward (outside khom_officer's scope)."""
    return KhomFactory(ward=ward, code="A02", name="Khóm A02")


@pytest.fixture
def other_khom(other_ward):
    return KhomFactory(ward=other_ward, code="B01", name="Khóm B01")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="t_admin", role=Role.ADMINISTRATOR, is_superuser=True)


@pytest.fixture
def leader(ward):
    return UserFactory(username="t_leader", role=Role.LEADERSHIP, wards=[ward])


@pytest.fixture
def police(ward):
    return UserFactory(username="t_police", role=Role.POLICE, wards=[ward])


@pytest.fixture
def other_police(other_ward):
    return UserFactory(username="t_police_b", role=Role.POLICE, wards=[other_ward])


@pytest.fixture
def khom_officer(khom):
    return UserFactory(username="t_khom", role=Role.KHOM_OFFICER, khoms=[khom])


@pytest.fixture
def province(db):
    return UserFactory(username="t_province", role=Role.PROVINCE)


@pytest.fixture
def province_officer(db):
    return UserFactory(username="t_pc04", role=Role.PROVINCE_OFFICER)


@pytest.fixture
def province_leadership(db):
    return UserFactory(username="t_ubndtinh", role=Role.PROVINCE_LEADERSHIP)


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as *user*."""

    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture
def count_queries():
    """count_queries(callable) → number of SQL queries it issued."""

    def run(func):
        with CaptureQueriesContext(connection) as ctx:
            func()
        return len(ctx.captured_queries)

    return run


@pytest.fixture(autouse=True)
def vietnamese_by_default():
    """Start every test in the default language: a test that switched to English must not leak it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_addoption(parser):
    parser.addoption("--update-query-counts", action="store_true", default=False,
                     help="rewrite tests/bench/query_counts.json with the query counts measured "
                          "(tests/bench/test_query_counts.py); commit it with the change that moved them")
