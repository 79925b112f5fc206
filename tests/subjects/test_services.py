"""Services: scope re-checked inside the transaction, status kept in sync."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.models import AuditEvent
from apps.subjects.choices import EndReason, Gender, MoveKind
from apps.subjects.models import Episode, Person
from apps.subjects.services import (drug_test_create, episode_close, person_create, person_sync_status, person_update,
                                    residence_move_create)
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, EpisodeKindFactory, PersonFactory, seeded_kind

pytestmark = pytest.mark.django_db


def test_creating_a_person_outside_the_writer_scope_is_rolled_back(police, other_khom):
    with pytest.raises(PermissionDenied):
        person_create(user=police, data={"full_name": "Ngoài phạm vi", "gender": Gender.MALE,
                                         "date_of_birth": dt.date(1990, 1, 1), "khom": other_khom})
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_a_move_out_of_the_writer_scope_is_rolled_back(police, person, other_khom):
    with pytest.raises(PermissionDenied):
        residence_move_create(person=person, user=police, data={"kind": MoveKind.MOVE_IN,
                                                                "moved_on": dt.date(2026, 2, 1), "to_khom": other_khom})
    person.refresh_from_db()
    assert person.khom.code == "A01"
    assert not person.moves.exists()


def test_an_officer_moving_a_person_of_his_ward_to_a_khom_of_another_ward_is_refused_and_nothing_saved(
        police, person, other_khom):
    with pytest.raises(PermissionDenied):
        person_update(person=person, user=police, data={"khom": other_khom, "occupation": "Thợ điện"},
                      expected_version=person.version)
    person.refresh_from_db()
    assert (person.khom.code, person.occupation, person.version) == ("A01", "", 1)
    assert not AuditEvent.objects.filter(action="update").exists()


def test_an_officer_may_move_a_person_to_another_khom_of_his_own_ward(police, person, khom, khom2):
    person_update(person=person, user=police, data={"khom": khom2}, expected_version=person.version)
    person.refresh_from_db()
    assert (person.khom, person.version) == (khom2, 2)
    assert AuditEvent.objects.get(action="update").changes == {"khom_id": [khom.pk, khom2.pk]}


def test_the_status_is_the_open_episode_of_highest_priority_even_when_another_started_later(person):
    EpisodeFactory(person=person, kind=seeded_kind("compulsory_rehab"), started_on=dt.date(2026, 1, 5))
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=dt.date(2026, 2, 5))
    person_sync_status(person=person)
    person.refresh_from_db()
    assert person.status.code == "compulsory_rehab"


def test_between_kinds_of_equal_priority_the_status_is_the_episode_started_last(person, neighbour):
    one, other = EpisodeKindFactory(priority=55), EpisodeKindFactory(priority=55)
    for someone, (earlier, later) in ((person, (one, other)), (neighbour, (other, one))):
        # The earlier one is recorded first, so neither the order of rows nor of kinds gives the answer.
        EpisodeFactory(person=someone, kind=earlier, started_on=dt.date(2026, 1, 1))
        EpisodeFactory(person=someone, kind=later, started_on=dt.date(2026, 3, 1))
        person_sync_status(person=someone)
        assert someone.status == later


def test_syncing_the_status_costs_three_queries_whatever_the_number_of_open_episodes(person, django_assert_num_queries):
    for code in ("illegal_user", "addict", "methadone", "compulsory_rehab"):
        EpisodeFactory(person=person, kind=seeded_kind(code))
    with django_assert_num_queries(3):  # open episodes with their kinds, the last test, the update
        person_sync_status(person=person)


def test_recording_a_drug_test_audits_the_writer_the_test_and_its_person(police, person):
    test = drug_test_create(person=person, user=police, data={"tested_on": dt.date(2026, 2, 1), "result": "negative"})
    assert test.created_by == police
    event = AuditEvent.objects.get(action="create")
    assert (event.user, event.object_type, event.object_id) == (police, "subjects.drugtest", str(test.pk))
    assert event.ward_id == person.khom.ward_id
    assert event.changes["tested_on"] == [None, "2026-02-01"] and event.changes["result"] == [None, "negative"]
    assert event.extra == {"person": person.pk}


def test_closing_an_episode_leaves_what_a_colleague_wrote_on_it_meanwhile(police, person):
    episode = EpisodeFactory(person=person, kind=seeded_kind("addict"))
    Episode.objects.filter(pk=episode.pk).update(notes="Đã liên hệ gia đình")
    episode_close(episode=episode, user=police, actual_end=dt.date(2026, 3, 1), end_reason=EndReason.TRANSFERRED)
    episode.refresh_from_db()
    assert (episode.actual_end, episode.notes) == (dt.date(2026, 3, 1), "Đã liên hệ gia đình")


def test_closing_the_last_open_episode_clears_status_and_next_test(police, person):
    episode = EpisodeFactory(person=person, kind=seeded_kind("addict"))
    person_sync_status(person=person)
    episode_close(episode=episode, user=police, actual_end=dt.date(2026, 3, 1), end_reason=EndReason.TRANSFERRED)
    person.refresh_from_db()
    assert (person.status, person.next_test_due) == (None, None)


def test_syncing_the_status_does_not_bump_the_version(person):
    EpisodeFactory(person=person)
    person_sync_status(person=person)
    person.refresh_from_db()
    assert person.version == 1


def test_with_two_open_episodes_the_next_test_is_due_at_the_shorter_interval(person):
    # Illegal use is tested every 90 days, an addict not in treatment every 30: the stricter rule wins.
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=dt.date(2026, 1, 5))
    EpisodeFactory(person=person, kind=seeded_kind("addict"), started_on=dt.date(2026, 1, 20))
    person_sync_status(person=person)
    person.refresh_from_db()
    assert person.next_test_due == dt.date(2026, 2, 19)


def test_the_next_test_counts_from_the_last_test_when_it_is_later_than_the_episode_start(person):
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=dt.date(2026, 1, 5))
    EpisodeFactory(person=person, kind=seeded_kind("compulsory_rehab"), started_on=dt.date(2026, 1, 5))  # no interval
    DrugTestFactory(person=person, tested_on=dt.date(2026, 3, 1))
    DrugTestFactory(person=person, tested_on=dt.date(2025, 12, 1))
    person_sync_status(person=person)
    person.refresh_from_db()
    assert person.next_test_due == dt.date(2026, 3, 1) + dt.timedelta(days=90)
