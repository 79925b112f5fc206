"""Services: scope re-checked inside the transaction, status kept in sync."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.models import AuditEvent
from apps.subjects.choices import EndReason, Gender, MoveKind
from apps.subjects.models import Person
from apps.subjects.services import episode_close, person_create, person_sync_status, residence_move_create
from tests.factories.subjects import EpisodeFactory, seeded_kind

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


def test_the_status_is_the_open_episode_of_highest_priority(person):
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"))
    EpisodeFactory(person=person, kind=seeded_kind("compulsory_rehab"))
    person_sync_status(person=person)
    person.refresh_from_db()
    assert person.status.code == "compulsory_rehab"


def test_closing_the_last_open_episode_clears_status_and_next_test(police, person):
    episode = EpisodeFactory(person=person, kind=seeded_kind("addict"))
    person_sync_status(person=person)
    episode_close(episode=episode, user=police, data={"actual_end": dt.date(2026, 3, 1),
                                                     "end_reason": EndReason.TRANSFERRED})
    person.refresh_from_db()
    assert (person.status, person.next_test_due) == (None, None)


def test_syncing_the_status_does_not_bump_the_version(person):
    EpisodeFactory(person=person)
    person_sync_status(person=person)
    person.refresh_from_db()
    assert person.version == 1
