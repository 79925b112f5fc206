"""Optimistic locking in the admin: a change form opened before someone else's save is refused, not applied."""
import datetime as dt

import pytest
from django.db.models import F

from apps.core.admin import LOCK_FIELD
from apps.core.locking import STALE_VERSION, StaleVersionError
from apps.subjects.models import Person
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db


def _plain(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def change_form_data(response):
    """The POST data a browser would send back from an admin change page, unchanged."""
    data = {}

    def add(form):
        for name in form.fields:
            value = _plain(form[name].value())
            if value is not None:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


@pytest.fixture
def person(khom):
    return PersonFactory(khom=khom, full_name="Trần Văn Khoá")


def test_the_change_page_carries_the_version_it_was_opened_with(client_for, admin_user, person):
    response = client_for(admin_user).get(f"/admin/subjects/person/{person.pk}/change/")
    assert response.status_code == 200
    assert f'name="{LOCK_FIELD}" value="{person.version}"' in response.content.decode()


def test_a_save_from_a_current_form_goes_through_and_advances_the_version(client_for, admin_user, person):
    client = client_for(admin_user)
    data = change_form_data(client.get(f"/admin/subjects/person/{person.pk}/change/"))
    data["full_name"] = "Trần Văn Mới"
    response = client.post(f"/admin/subjects/person/{person.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    person.refresh_from_db()
    assert person.full_name == "Trần Văn Mới" and person.version == 2


def test_a_save_from_a_stale_form_is_refused_and_keeps_what_was_typed(client_for, admin_user, person):
    client = client_for(admin_user)
    data = change_form_data(client.get(f"/admin/subjects/person/{person.pk}/change/"))
    Person.objects.filter(pk=person.pk).update(version=F("version") + 1, address="Sửa bởi người khác")
    data["full_name"] = "Trần Văn Ghi Đè"
    response = client.post(f"/admin/subjects/person/{person.pk}/change/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert str(STALE_VERSION) in body
    assert "Trần Văn Ghi Đè" in body  # the typed value is still in the form
    person.refresh_from_db()
    assert person.full_name == "Trần Văn Khoá" and person.address == "Sửa bởi người khác" and person.version == 2


def test_save_model_rechecks_the_version_under_a_row_lock(rf, admin_user, person):
    from django.contrib import admin

    model_admin = admin.site.get_model_admin(Person)
    request = rf.post("/")
    request.user = admin_user
    form_class = model_admin.get_form(request, person, change=True)
    form = form_class(instance=person)
    form.cleaned_data = {LOCK_FIELD: person.version}
    Person.objects.filter(pk=person.pk).update(version=F("version") + 1)  # someone saved in between
    with pytest.raises(StaleVersionError):
        model_admin.save_model(request, person, form, change=True)


def test_models_without_a_version_get_no_lock_field(rf, admin_user, khom):
    from django.contrib import admin

    from apps.khom.models import Khom

    request = rf.get("/")
    request.user = admin_user
    form_class = admin.site.get_model_admin(Khom).get_form(request, khom, change=True)
    assert LOCK_FIELD not in form_class.base_fields
