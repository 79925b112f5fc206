"""Writes to the register: each one validated, atomic, scope-checked and audited."""
import datetime as dt
import functools

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.core.audit import AuditAction, audit, diff, snapshot
from apps.core.locking import check_and_bump_version
from apps.core.models import AuditEvent

from .choices import MoveKind
from .models import DrugTest, Episode, Person, ResidenceMove, SupportRecord
from .status import derive_status

# The fields a person's form may change; status, next test and search text are derived.
PERSON_FIELDS = ["full_name", "gender", "date_of_birth", "cccd", "khom", "address", "phone", "occupation", "ethnicity",
                 "education", "stable_residence", "prior_criminal", "prior_administrative", "notes"]


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
    open_episodes = list(person.episodes.open().select_related("kind"))
    last_test = person.tests.aggregate(last=Max("tested_on"))["last"]
    status, next_due = derive_status(open_episodes, last_test)
    Person.objects.filter(pk=person.pk).update(status=status, next_test_due=next_due)
    person.status, person.next_test_due = status, next_due


def person_bulk_create(*, user, people: list[Person], batch_size: int = 1000) -> list[Person]:
    """Insert many checked people at once (the import): what Person.save() and person_create do for one.

    The caller has run full_clean() and writes one audit event per row (apps.imports' history).
    """
    for person in people:
        person.prepare_write()
        person.created_by_id = getattr(user, "pk", None)
    return Person.objects.bulk_create(people, batch_size=batch_size)


def person_bulk_update(*, user, people: list[Person], fields: list[str], batch_size: int = 1000) -> None:
    """Update many checked people at once (the import): their derived columns, lock version and time move too."""
    now = timezone.now()
    for person in people:
        person.prepare_write()
        person.version += 1
        person.updated_at = now
    Person.objects.bulk_update(people, [*fields, "search_text", "version", "updated_at"], batch_size=batch_size)


# Sensitive lookups (issue 14) --------------------------------------------------------------------
# A CCCD is unique across the province, so refusing one always says "this number is on the register
# somewhere": the message cannot hide that (apps.subjects.models.CCCD_UNAVAILABLE hides the rest).
# What can be done is to keep every such refusal, and to flag whoever collects many of them.
LOOKUP_ALERT_REASON = "cccd_lookups"


def is_cccd_refusal(errors) -> bool:
    """Whether *errors* (a ValidationError, or a form field's error list) refuse a CCCD held by another record."""
    if isinstance(errors, ValidationError):
        errors = getattr(errors, "error_dict", {}).get("cccd", [])
    return any(getattr(error, "code", None) == "unique" for error in errors or [])


def cccd_lookups_record(*, user, cccds, source: str) -> int:
    """Audit refused CCCDs held outside *user*'s scope as sensitive lookups; past the daily limit, flag the user.

    A number held inside the scope tells the user nothing they cannot already see, so it is not
    counted. Call this outside the transaction that the refusal rolls back, or the record goes with
    it. Returns how many lookups were recorded.
    """
    numbers = sorted({number for number in cccds if number})
    if not numbers or not getattr(user, "pk", None):
        return 0
    visible = set(Person.objects.for_user(user).filter(cccd__in=numbers).values_list("cccd", flat=True))
    outside = [number for number in numbers if number not in visible]
    for number in outside:
        audit(AuditAction.LOOKUP, user=user, object_type="subjects.person", object_repr=number,
              extra={"cccd": number, "source": source})
    if outside:
        _alert_on_lookups(user=user)
    return len(outside)


def _alert_on_lookups(*, user):
    """One alert a day for a user past CCCD_LOOKUP_ALERT_PER_DAY lookups since local midnight."""
    limit = settings.CCCD_LOOKUP_ALERT_PER_DAY
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = AuditEvent.objects.filter(at__gte=midnight)
    count = today.filter(action=AuditAction.LOOKUP, user=user).count()
    if count <= limit or today.filter(action=AuditAction.ALERT, object_type="accounts.user", object_id=str(user.pk),
                                      extra__reason=LOOKUP_ALERT_REASON).exists():
        return None
    return audit(AuditAction.ALERT, user=user, object_type="accounts.user", object_id=str(user.pk),
                 object_repr=user.get_username(),
                 extra={"reason": LOOKUP_ALERT_REASON, "lookups_today": count, "limit": limit})


def records_cccd_refusal(service):
    """Decorate a service taking ``user`` and ``data``: a refusal of ``data["cccd"]`` is recorded as a lookup.

    Put it above ``@transaction.atomic``, so that the record is written after the service's rollback.
    """

    @functools.wraps(service)
    def wrapper(**kwargs):
        try:
            return service(**kwargs)
        except ValidationError as error:
            cccd = (kwargs.get("data") or {}).get("cccd")
            if cccd and is_cccd_refusal(error):
                cccd_lookups_record(user=kwargs.get("user"), cccds=[cccd], source=service.__name__)
            raise

    return wrapper


@records_cccd_refusal
@transaction.atomic
def person_create(*, user, data: dict) -> Person:
    """Register a new person under management."""
    person = Person(**{key: value for key, value in data.items() if key in PERSON_FIELDS}, created_by=user)
    person.full_clean()
    person.save()
    _ensure_in_scope(person, user)
    audit(AuditAction.CREATE, user=user, obj=person, changes=diff(None, snapshot(person)))
    return person


@records_cccd_refusal
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
    """Record a move; a move to another khóm of the ward also changes the person's current khóm, and the new
    address (when given) becomes the person's address."""
    move = ResidenceMove(person=person, **data)
    if move.kind == MoveKind.WITHIN_WARD and move.from_khom_id is None:
        move.from_khom_id = person.khom_id
    move = _create_child(move, user=user)
    new_khom = move.to_khom if move.kind in (MoveKind.WITHIN_WARD, MoveKind.MOVE_IN) else None
    changed = []
    before = snapshot(person)
    if new_khom is not None and new_khom.pk != person.khom_id:
        person.khom, changed = new_khom, [*changed, "khom"]
    if move.new_address and move.new_address != person.address:
        person.address, changed = move.new_address, [*changed, "address"]
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
        # The mover must still see the person at the new address, or the write is refused.
        _ensure_in_scope(person, user)
        audit(AuditAction.UPDATE, user=user, obj=person, changes=diff(before, snapshot(person)),
              extra={"move": move.pk})
    return move


@transaction.atomic
def support_record_create(*, person: Person, user, data: dict) -> SupportRecord:
    """Record reintegration support given to a person."""
    return _create_child(SupportRecord(person=person, **data), user=user)
