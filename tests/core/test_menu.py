"""The navigation menu: every entry names a page and a permission that exist, checked at start-up."""
import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory
from django.urls import NoReverseMatch

from apps.accounts.models import User
from apps.core import context_processors
from apps.core.checks import MENU_PERMISSION_UNKNOWN, MENU_URL_UNKNOWN, check_menu


@pytest.fixture
def renamed(monkeypatch):
    """The menu after a page was renamed in its urls.py but not here."""
    menu = [*context_processors.MENU, ("subjects:people", "Đối tượng", "subjects.view_person")]
    monkeypatch.setattr(context_processors, "MENU", menu)


def test_every_menu_entry_reverses_and_names_a_declared_permission():
    assert check_menu() == []
    assert not [e for e in checks.run_checks(tags=[checks.Tags.urls]) if e.id.startswith("core.")]


def test_the_check_fails_on_a_menu_entry_whose_url_does_not_reverse(renamed):
    errors = check_menu()
    assert [(e.id, e.level, e.obj) for e in errors] == [(MENU_URL_UNKNOWN, checks.ERROR, "subjects:people")]


def test_manage_py_check_stops_on_a_menu_entry_whose_url_does_not_reverse(renamed):
    with pytest.raises(SystemCheckError, match=MENU_URL_UNKNOWN):
        call_command("check")


def test_the_check_fails_on_a_menu_entry_whose_permission_no_model_declares(monkeypatch):
    monkeypatch.setattr(context_processors, "MENU", [("subjects:list", "Đối tượng", "subjects.view_persons")])
    errors = check_menu()
    assert [(e.id, e.obj) for e in errors] == [(MENU_PERMISSION_UNKNOWN, "subjects:list")]
    assert "subjects.view_persons" in errors[0].msg


def test_a_menu_entry_that_does_not_reverse_raises_instead_of_leaving_the_menu(renamed):
    request = RequestFactory().get("/")
    request.user = User(username="quan-tri", is_superuser=True, is_active=True)
    with pytest.raises(NoReverseMatch):
        context_processors.navigation(request)


def test_the_menu_lists_every_entry_for_a_user_with_every_permission():
    request = RequestFactory().get("/subjects/")
    request.user = User(username="quan-tri", is_superuser=True, is_active=True)
    menu = context_processors.navigation(request)["menu"]
    assert [str(item["label"]) for item in menu] == [str(label) for _name, label, _perm in context_processors.MENU]
    assert [item["url"] for item in menu if item["active"]] == ["/subjects/"]
