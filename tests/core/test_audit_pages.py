"""One rule for the pages: every page that shows personal records writes exactly one view event per GET,
lists with their filters and search text (ScopedViewMixin.audit_list / audit_view)."""
import pytest
from django.urls import reverse

from apps.core.choices import AuditAction
from apps.core.models import AuditEvent
from tests.factories.cases import CaseFactory, HotspotFactory, ParticipantFactory
from tests.factories.subjects import EpisodeFactory, PersonFactory

pytestmark = pytest.mark.django_db

CCCD = "089090123456"


@pytest.fixture
def person(khom):
    return PersonFactory(khom=khom, full_name="Nguyễn Văn Đức", cccd=CCCD)


def views():
    return AuditEvent.objects.filter(action=AuditAction.VIEW)


def test_a_search_of_the_people_list_by_cccd_writes_one_view_event_with_the_search_text(client_for, police, person):
    PersonFactory(khom=person.khom, full_name="Trần Văn Khác")
    response = client_for(police).get(reverse("subjects:list"), {"q": CCCD, "gender": "male"}, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 200 and list(response.context["object_list"]) == [person]
    event = views().get()
    assert (event.user_id, event.ip, event.object_type) == (police.pk, "192.0.2.1", "subjects.person")
    assert event.extra["q"] == CCCD
    assert event.extra["filters"] == {"q": CCCD, "gender": "male"}
    assert (event.extra["list"], event.extra["view"], event.extra["page"], event.extra["rows"]) == (
        True, "subjects:list", 1, 1)
    assert event.ward_id == police.primary_ward_id


@pytest.mark.parametrize("name", ["subjects:list", "subjects:deadlines", "cases:list", "cases:hotspot_list"])
def test_every_list_of_personal_records_writes_exactly_one_view_event(client_for, police, person, khom, name):
    EpisodeFactory(person=person)
    ParticipantFactory(case=CaseFactory(khom=khom), person=person, outsider_name="", outsider_birth_year=None,
                      outsider_residence="")
    HotspotFactory(khom=khom)
    response = client_for(police).get(reverse(name), {"q": "duc", "page": "1"})
    assert response.status_code == 200
    event = views().get()
    assert event.extra["list"] is True and event.extra["view"] == name
    assert event.extra["q"] == "duc" and "page" not in event.extra["filters"]


def test_a_refused_list_writes_no_view_event(client_for, province, person):
    assert client_for(province).get(reverse("subjects:list"), {"q": CCCD}).status_code == 403
    assert not views().exists()


@pytest.mark.parametrize("name", ["subjects:detail", "subjects:edit", "subjects:episode_create", "subjects:test_create",
                                  "subjects:move_create", "subjects:support_create"])
def test_every_page_of_a_person_writes_one_view_event_for_that_person(client_for, police, person, name):
    assert client_for(police).get(reverse(name, args=[person.pk])).status_code == 200
    event = views().get()
    assert (event.object_type, event.object_id, event.extra["view"]) == ("subjects.person", str(person.pk), name)


def test_the_close_page_of_an_episode_writes_one_view_event(client_for, police, person):
    episode = EpisodeFactory(person=person)
    assert client_for(police).get(reverse("subjects:episode_close", args=[episode.pk])).status_code == 200
    event = views().get()
    assert (event.object_type, event.object_id) == ("subjects.episode", str(episode.pk))


@pytest.mark.parametrize("name, factory", [("cases:detail", CaseFactory), ("cases:edit", CaseFactory),
                                           ("cases:hotspot_detail", HotspotFactory),
                                           ("cases:hotspot_edit", HotspotFactory)])
def test_every_page_of_a_case_or_a_hotspot_writes_one_view_event(client_for, police, khom, name, factory):
    obj = factory(khom=khom)
    assert client_for(police).get(reverse(name, args=[obj.pk])).status_code == 200
    event = views().get()
    assert (event.object_type, event.object_id) == (obj._meta.label_lower, str(obj.pk))


def test_a_form_sent_back_is_audited_by_its_service_not_as_a_view(client_for, police, person):
    response = client_for(police).post(reverse("subjects:test_create", args=[person.pk]), {"tested_on": ""})
    assert response.status_code == 200  # the form comes back with its errors
    assert not AuditEvent.objects.exclude(action=AuditAction.LOGIN).exists()


def test_a_person_out_of_scope_writes_a_denial_not_a_view(client_for, police, other_khom):
    stranger = PersonFactory(khom=other_khom)
    assert client_for(police).get(reverse("subjects:detail", args=[stranger.pk])).status_code == 404
    assert not views().exists()
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_id=str(stranger.pk)).exists()
