"""The admin under the same rule as the pages: what it shows of personal records is logged, its exports are
logged with their row count, and a deletion records the values of every row it removes."""
import pytest
from django.urls import reverse
from openpyxl import load_workbook
from io import BytesIO

from apps.core.choices import AuditAction
from apps.core.models import AuditEvent
from apps.subjects.models import DrugTest, Episode, Person
from tests.factories.cases import CaseFactory
from tests.factories.subjects import (DrugTestFactory, EpisodeFactory, PersonFactory, ResidenceMoveFactory,
                                      SupportRecordFactory, seeded_kind)
from tests.security.test_admin_locking import change_form_data

pytestmark = pytest.mark.django_db

CCCD = "089090123456"


@pytest.fixture
def person(khom):
    return PersonFactory(khom=khom, full_name="Nguyễn Văn Đức", cccd=CCCD)


def events(action):
    return AuditEvent.objects.filter(action=action).order_by("id")


def test_a_search_of_the_admin_list_of_people_writes_one_view_event_with_the_search(client_for, admin_user, person):
    PersonFactory(khom=person.khom)
    response = client_for(admin_user).get(reverse("admin:subjects_person_changelist"), {"q": CCCD},
                                          REMOTE_ADDR="192.0.2.40")
    assert list(response.context["cl"].result_list) == [person]
    event = events(AuditAction.VIEW).get()
    assert (event.object_type, event.ip, event.extra["via"], event.extra["q"], event.extra["rows"]) == (
        "subjects.person", "192.0.2.40", "admin", CCCD, 1)


@pytest.mark.parametrize("model", ["person", "case"])
def test_opening_a_person_or_a_case_in_the_admin_writes_a_view_event(client_for, admin_user, person, khom, model):
    obj = person if model == "person" else CaseFactory(khom=khom)
    url = reverse(f"admin:{obj._meta.app_label}_{model}_change", args=[obj.pk])
    assert client_for(admin_user).get(url).status_code == 200
    event = events(AuditAction.VIEW).get()
    assert (event.object_type, event.object_id, event.extra["via"]) == (obj._meta.label_lower, str(obj.pk), "admin")


def test_saving_in_the_admin_is_an_update_not_a_view(client_for, admin_user, person):
    client = client_for(admin_user)
    url = reverse("admin:subjects_person_change", args=[person.pk])
    data = change_form_data(client.get(url))
    data["address"] = "Địa chỉ mới"
    assert client.post(url, data).status_code == 302
    assert events(AuditAction.VIEW).count() == 1  # the GET that opened the form
    assert events(AuditAction.UPDATE).get().changes["address"][1] == "Địa chỉ mới"


def test_a_person_picker_search_in_the_admin_writes_a_view_event(client_for, admin_user, person):
    response = client_for(admin_user).get(reverse("admin:autocomplete"), {
        "term": CCCD, "app_label": "subjects", "model_name": "episode", "field_name": "person"})
    assert response.status_code == 200 and response.json()["results"][0]["id"] == str(person.pk)
    event = events(AuditAction.VIEW).get()
    assert (event.object_type, event.extra["q"], event.extra["autocomplete"]) == ("subjects.person", CCCD, True)


def _export(client, url):
    """Post the admin's export form (format 0 = the safe XLSX) the way its page does."""
    response = client.post(url, {"format": "0", "resource": "0"})
    if response.get("Content-Type", "").startswith("text/html"):
        form = response.context["form"]
        data = {"format": "0", "resource": "0"}
        data.update({name: "on" for name in form.fields if name.startswith(("personresource_", "resource_"))})
        response = client.post(url, data)
    return response


def test_exporting_the_register_from_the_admin_writes_an_export_event_with_its_rows(client_for, admin_user, person,
                                                                                   khom, khom2):
    PersonFactory(khom=khom, full_name="Trần Văn Hai")
    PersonFactory(khom=khom2, full_name="Lê Văn Khóm Khác")
    url = reverse("admin:subjects_person_export") + f"?khom__id__exact={khom.pk}"
    response = _export(client_for(admin_user), url)
    assert response.status_code == 200
    text = " ".join(str(c.value) for row in load_workbook(BytesIO(response.content)).active.iter_rows()
                    for c in row if c.value)
    assert "Trần Văn Hai" in text and "Lê Văn Khóm Khác" not in text
    event = events(AuditAction.EXPORT).get()
    assert (event.object_type, event.extra["via"], event.extra["rows"]) == ("subjects.person", "admin", 2)
    assert event.extra["filters"] == {"khom__id__exact": str(khom.pk)}


def test_deleting_a_person_in_the_admin_logs_the_values_of_every_row_deleted_with_it(client_for, admin_user,
                                                                                     person, khom):
    episodes = [EpisodeFactory(person=person),
                EpisodeFactory(person=person, kind=seeded_kind("addict"), decision_number="7/QĐ-UBND")]
    tests = [DrugTestFactory(person=person, episode=episodes[0]), DrugTestFactory(person=person)]
    move, support = ResidenceMoveFactory(person=person), SupportRecordFactory(person=person)
    client = client_for(admin_user)
    url = reverse("admin:subjects_person_delete", args=[person.pk])
    assert client.get(url).status_code == 200
    confirmation = events(AuditAction.VIEW).get()
    assert confirmation.object_id == str(person.pk) and confirmation.extra["page"] == "delete_confirmation"

    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists() and not Episode.objects.exists()
    deleted = list(events(AuditAction.DELETE))
    assert len(deleted) == 1 + 2 + 2 + 1 + 1
    root = deleted[0]
    assert (root.object_type, root.object_id) == ("subjects.person", str(person.pk))
    assert root.changes["full_name"] == ["Nguyễn Văn Đức", None] and root.changes["cccd"] == [CCCD, None]
    by_row = {(e.object_type, e.object_id): e for e in deleted[1:]}
    expected = ([("subjects.episode", e.pk) for e in episodes] + [("subjects.drugtest", t.pk) for t in tests]
                + [("subjects.residencemove", move.pk), ("subjects.supportrecord", support.pk)])
    assert set(by_row) == {(label, str(pk)) for label, pk in expected}
    assert by_row[("subjects.episode", str(episodes[1].pk))].changes["decision_number"] == ["7/QĐ-UBND", None]
    assert by_row[("subjects.drugtest", str(tests[0].pk))].changes["episode_id"] == [episodes[0].pk, None]
    assert all(e.extra["cascade_of"] == f"subjects.person:{person.pk}" and e.changes for e in deleted[1:])
    assert all(e.ward_id == khom.ward_id and e.user_id == admin_user.pk for e in deleted)
    assert not events(AuditAction.UPDATE).exists()  # the tests' episode link goes with the tests


def test_deleting_an_episode_logs_the_tests_whose_link_it_clears(client_for, admin_user, person):
    episode = EpisodeFactory(person=person)
    test = DrugTestFactory(person=person, episode=episode)
    response = client_for(admin_user).post(reverse("admin:subjects_episode_delete", args=[episode.pk]),
                                           {"post": "yes"})
    assert response.status_code == 302
    assert DrugTest.objects.get(pk=test.pk).episode_id is None
    assert events(AuditAction.DELETE).get().changes["started_on"] == [episode.started_on.isoformat(), None]
    update = events(AuditAction.UPDATE).get()
    assert (update.object_id, update.changes) == (str(test.pk), {"episode_id": [episode.pk, None]})
    assert update.extra["cascade_of"] == f"subjects.episode:{episode.pk}"


def test_the_delete_selected_action_logs_each_person_and_what_goes_with_them(client_for, admin_user, person, khom):
    other = PersonFactory(khom=khom)
    EpisodeFactory(person=other)
    client = client_for(admin_user)
    url = reverse("admin:subjects_person_changelist")
    selection = {"action": "delete_selected", "_selected_action": [person.pk, other.pk]}
    assert client.post(url, selection).status_code == 200  # the confirmation page
    assert set(events(AuditAction.VIEW).get().extra["ids"]) == {str(person.pk), str(other.pk)}
    assert client.post(url, {**selection, "post": "yes"}).status_code == 302
    assert sorted(events(AuditAction.DELETE).values_list("object_type", flat=True)) == [
        "subjects.episode", "subjects.person", "subjects.person"]


def test_an_episode_deleted_from_the_persons_change_form_is_logged_with_its_values(client_for, admin_user, person):
    episode = EpisodeFactory(person=person, decision_number="9/QĐ-UBND")
    client = client_for(admin_user)
    url = reverse("admin:subjects_person_change", args=[person.pk])
    data = change_form_data(client.get(url))
    data["episodes-0-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert not Episode.objects.exists()
    event = events(AuditAction.DELETE).get()
    assert (event.object_type, event.object_id) == ("subjects.episode", str(episode.pk))
    assert event.changes["decision_number"] == ["9/QĐ-UBND", None]
    assert event.extra["inline_of"] == f"subjects.person:{person.pk}"
