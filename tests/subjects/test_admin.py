"""The register in the admin: scoped lists, 404 out of scope, scoped choices, folded search, status in sync."""
import pytest
from django.urls import reverse

from apps.accounts.choices import Role
from apps.subjects.models import Episode
from tests.factories.accounts import UserFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, seeded_kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_police(ward):
    """A police officer whom an administrator let into the admin site."""
    return UserFactory(username="t_staff_police_s", role=Role.POLICE, wards=[ward], is_staff=True)


@pytest.mark.parametrize("model", ["person", "episode", "drugtest", "residencemove", "supportrecord", "episodekind"])
def test_every_model_has_an_admin_changelist(client_for, admin_user, person, model):
    assert client_for(admin_user).get(reverse(f"admin:subjects_{model}_changelist")).status_code == 200


def test_staff_police_see_only_people_and_tests_of_their_ward(client_for, staff_police, person, stranger):
    DrugTestFactory(person=stranger)
    client = client_for(staff_police)
    people = client.get(reverse("admin:subjects_person_changelist")).content.decode()
    assert "Nguyễn Văn Đức" in people and "Lê Văn Đông" not in people
    tests = client.get(reverse("admin:subjects_drugtest_changelist")).content.decode()
    assert "Lê Văn Đông" not in tests


def test_the_admin_change_page_of_a_person_out_of_scope_is_404(client_for, staff_police, stranger):
    assert client_for(staff_police).get(reverse("admin:subjects_person_change", args=[stranger.pk])).status_code == 404


def test_admin_foreign_key_choices_are_limited_to_scope(client_for, staff_police, person, stranger, khom, khom2):
    response = client_for(staff_police).get(reverse("admin:subjects_episode_add"))
    assert list(response.context["adminform"].form.fields["person"].queryset) == [person]
    response = client_for(staff_police).get(reverse("admin:subjects_person_add"))
    assert set(response.context["adminform"].form.fields["khom"].queryset) == {khom, khom2}


def test_admin_search_ignores_diacritics(client_for, admin_user, person, neighbour):
    response = client_for(admin_user).get(reverse("admin:subjects_person_changelist"), {"q": "NGUYEN van duc"})
    assert list(response.context["cl"].result_list) == [person]


def test_an_episode_saved_in_the_admin_updates_the_person_status(client_for, admin_user, person):
    kind = seeded_kind("addict")
    response = client_for(admin_user).post(reverse("admin:subjects_episode_add"), {
        "person": person.pk, "kind": kind.pk, "started_on": "2026-01-05", "decision_number": "",
        "decision_date": "", "decision_signer": "", "planned_end": "", "actual_end": "", "end_reason": "", "notes": ""})
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.status == kind
    assert Episode.objects.get(person=person).kind == kind


def test_deleting_the_only_episode_in_the_admin_clears_the_status(client_for, admin_user, person):
    episode = EpisodeFactory(person=person)
    from apps.subjects.services import person_sync_status

    person_sync_status(person=person)
    client_for(admin_user).post(reverse("admin:subjects_episode_delete", args=[episode.pk]), {"post": "yes"})
    person.refresh_from_db()
    assert person.status is None
