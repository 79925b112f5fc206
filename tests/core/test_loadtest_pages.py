"""The load test's pages (scripts/loadtest.py): each reader's pages exist for its role in the demo data.

The script used to skip any page that did not answer 200, so a renamed page silently left the load.
Its page discovery is run here through the test client: every page must answer 200 and link its
detail page, and a page that answers anything else is reported, not dropped.
"""
import io

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from tests.scripts import load_script

pytestmark = pytest.mark.django_db

@pytest.fixture(scope="module")
def loadtest():
    return load_script("loadtest")


@pytest.fixture
def sessions(client_factory):
    call_command("seed_demo", stdout=io.StringIO())
    return {username: client_factory(User.objects.get(username=username)) for username in ("lanhdao", "congan",
                                                                                           "khom01")}


@pytest.fixture
def client_factory():
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client
    return make


def fetch(client, path):
    response = client.get(path)
    return response.status_code, response.content


def test_every_page_of_every_reader_answers_and_links_its_detail_page(loadtest, sessions):
    assert set(loadtest.READERS) == set(sessions)
    targets, problems = loadtest.discover(fetch, sessions)
    assert problems == []
    loaded = {(username, path) for username, _client, path in targets}
    for username, pages in loadtest.READER_PAGES.items():
        for list_path, detail_pattern in pages:
            assert (username, list_path) in loaded
            if detail_pattern:
                details = [path for user, path in loaded if user == username and path.startswith(list_path)
                           and path != list_path]
                assert len(details) == 1, (username, list_path)


def test_a_renamed_or_refused_page_is_reported_not_skipped(loadtest, client_factory, khom_officer, monkeypatch):
    pages = {**loadtest.READER_PAGES, "khom01": [("/case/", None), ("/cases/", None),
                                                 ("/activities/", r'href="(/activities/\d+/)"')]}
    monkeypatch.setattr(loadtest, "READER_PAGES", pages)
    targets, problems = loadtest.discover(fetch, {"khom01": client_factory(khom_officer)})
    assert problems == [
        "khom01: GET /case/ answered 404",
        "khom01: GET /cases/ answered 403",
        "khom01: /activities/ has no link matching href=\"(/activities/\\d+/)\"",
    ]
    assert [path for _user, _client, path in targets] == ["/activities/"]
