"""Writes to the register: each one validated, atomic, scope-checked and audited."""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from apps.core.audit import AuditAction, audit, diff, snapshot
from apps.core.locking import check_and_bump_version

from .choices import MoveKind
from .models import DrugTest, Episode, Person, ResidenceMove, SupportRecord

# The fields a person's form may change; status, next test and search text are derived.
PERSON_FIELDS = ["full_name", "gender", "date_of_birth", "cccd", "khom", "address", "phone", "occupation", "notes"]


def _ensure_in_scope(person: Person, user) -> None:
    """Refuse (and so roll back) a write that leaves the person outside the writer's scope."""
    if not Person.objects.for_user(user).filter(pk=person.pk).exists():
        raise PermissionDenied


def person_sync_status(*, person: Person, today: dt.date | None = None) -> None:
    """Recompute the derived ``status`` and ``next_test_due`` from open episodes and tests.

    Written with a queryset update so it neither bumps the version (a test
    recorded by a colleague is not an edit of the person's record) nor
    overwrites fields someone else is editing.
    """
    open_episodes = list(person.episodes.open().select_related("kind").order_by("-kind__priority", "-started_on"))
    status = open_episodes[0].kind if open_episodes else None
    last_test = person.tests.aggregate(last=Max("tested_on"))["last"]
    next_due = None
    for episode in open_episodes:
        interval = episode.kind.test_interval_days
        if not interval:
            continue
        base = max(episode.started_on, last_test) if last_test else episode.started_on
        due = base + dt.timedelta(days=interval)
        next_due = due if next_due is None else min(next_due, due)
    Person.objects.filter(pk=person.pk).update(status=status, next_test_due=next_due)
    person.status, person.next_test_due = status, next_due


@transaction.atomic
def person_create(*, user, data: dict) -> Person:
    """Register a new person under management."""
    person = Person(**{key: value for key, value in data.items() if key in PERSON_FIELDS}, created_by=user)
    person.full_clean()
    person.save()
    _ensure_in_scope(person, user)
    audit(AuditAction.CREATE, user=user, obj=person, changes=diff(None, snapshot(person)))
    return person


@transaction.atomic
def person_update(*, person: Person, user, data: dict, expected_version: int | None) -> Person:
    """Change a person's record unless someone else saved it since *expected_version* was read."""
    before = snapshot(Person.objects.get(pk=person.pk))
    for key, value in data.items():
        if key in PERSON_FIELDS:
            setattr(person, key, value)
    person.full_clean()
    check_and_bump_version(person, expected_version)
    # update_fields: the derived columns may have moved on since the form was opened.
    person.save(update_fields=PERSON_FIELDS + ["version", "updated_at"])
    _ensure_in_scope(person, user)
    audit(AuditAction.UPDATE, user=user, obj=person, changes=diff(before, snapshot(person)))
    return person


def _create_child(instance, *, user):
    instance.created_by = user
    instance.full_clean()
    instance.save()
    _ensure_in_scope(instance.person, user)
    audit(AuditAction.CREATE, user=user, obj=instance, changes=diff(None, snapshot(instance)),
          extra={"person": instance.person_id})
    return instance


@transaction.atomic
def episode_create(*, person: Person, user, data: dict) -> Episode:
    """Open a management episode; its planned end follows the kind's term unless given."""
    episode = _create_child(Episode(person=person, **data), user=user)
    person_sync_status(person=person)
    return episode


@transaction.atomic
def episode_close(*, episode: Episode, user, data: dict) -> Episode:
    """End an episode on ``data["actual_end"]`` for ``data["end_reason"]``."""
    before = snapshot(episode)
    episode.actual_end, episode.end_reason = data["actual_end"], data["end_reason"]
    episode.full_clean()
    episode.save(update_fields=["actual_end", "end_reason", "updated_at"])
    _ensure_in_scope(episode.person, user)
    audit(AuditAction.UPDATE, user=user, obj=episode, changes=diff(before, snapshot(episode)),
          extra={"person": episode.person_id})
    person_sync_status(person=episode.person)
    return episode


@transaction.atomic
def drug_test_create(*, person: Person, user, data: dict) -> DrugTest:
    """Record a drug test; it moves the person's next test date."""
    test = _create_child(DrugTest(person=person, **data), user=user)
    person_sync_status(person=person)
    return test


@transaction.atomic
def residence_move_create(*, person: Person, user, data: dict) -> ResidenceMove:
    """Record a move; a move to another khóm of the ward also changes the person's current khóm."""
    move = ResidenceMove(person=person, **data)
    if move.kind == MoveKind.WITHIN_WARD and move.from_khom_id is None:
        move.from_khom_id = person.khom_id
    move = _create_child(move, user=user)
    new_khom = move.to_khom if move.kind in (MoveKind.WITHIN_WARD, MoveKind.MOVE_IN) else None
    if new_khom is not None and new_khom.pk != person.khom_id:
        before = snapshot(person)
        person.khom = new_khom
        person.save(update_fields=["khom", "updated_at"])
        # The mover must still see the person at the new address, or the write is refused.
        _ensure_in_scope(person, user)
        audit(AuditAction.UPDATE, user=user, obj=person, changes=diff(before, snapshot(person)),
              extra={"move": move.pk})
    return move


@transaction.atomic
def support_record_create(*, person: Person, user, data: dict) -> SupportRecord:
    """Record reintegration support given to a person."""
    return _create_child(SupportRecord(person=person, **data), user=user)
