"""Writes to the register: each one validated, atomic, scope-checked and audited."""
import datetime as dt
import functools

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import AuditAction, audit, diff, snapshot
from apps.core.locking import check_and_bump_version
from apps.core.models import AuditEvent

from apps.core.periods import add_months

from .choices import EndReason, MoveKind, TestResult
from .models import DrugTest, Episode, EpisodeKind, Person, ResidenceMove, SupportRecord
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


class RecordsChangedMeanwhile(Exception):
    """People an import read were changed by someone else before it wrote them: the import writes nothing."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count

    def __str__(self):
        return str(RECORDS_CHANGED_DURING_IMPORT % {"count": self.count})


RECORDS_CHANGED_DURING_IMPORT = _("%(count)s hồ sơ trong file vừa được người khác sửa trong lúc nhập: không ghi gì; "
                                  "hãy tải lại danh sách, kiểm tra và nhập lại.")


def person_bulk_update(*, user, people: list[Person], fields: list[str], batch_size: int = 1000) -> None:
    """Update many checked people at once (the import): their derived columns, lock version and time move too.

    The rows are locked and their versions compared with those the import read: a record saved by someone
    else meanwhile is never overwritten with the file's older reading (RecordsChangedMeanwhile, nothing
    written), as a stale edit form is refused.
    """
    stored = dict(Person._base_manager.select_for_update().filter(pk__in=[person.pk for person in people])
                  .values_list("pk", "version"))
    changed = sum(1 for person in people if stored.get(person.pk) != person.version)
    if changed:
        raise RecordsChangedMeanwhile(changed)
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


# Under 18 on the day the post-rehab management starts: the minors' term (ND 116/2021/NĐ-CP).
ADULT_AGE = 18


def post_rehab_term(*, person: Person, kind: EpisodeKind, started_on: dt.date) -> tuple[Episode, int] | None:
    """(the previous measure, months) when *kind* is the management that follows the person's last ended episode.

    The term follows the previous measure (issue 18 §2): the kind that ended names the kind that follows
    it and the months, for adults and for minors (age on *started_on*).
    """
    previous = (person.episodes.filter(actual_end__isnull=False, actual_end__lte=started_on, kind__followed_by=kind)
                .select_related("kind").order_by("-actual_end", "-pk").first())
    if previous is None:
        return None
    minor = person.age_on(started_on) < ADULT_AGE
    months = previous.kind.followed_by_months_minor if minor else previous.kind.followed_by_months_adult
    return (previous, months) if months else None


def planned_end_for(*, person: Person, kind: EpisodeKind, started_on: dt.date) -> dt.date | None:
    """The planned end of a new episode: by the previous measure for post-rehab management, else the kind's term."""
    term = post_rehab_term(person=person, kind=kind, started_on=started_on)
    months = term[1] if term else kind.default_term_months
    return add_months(started_on, months) if months else None


@transaction.atomic
def episode_create(*, person: Person, user, data: dict) -> Episode:
    """Open a management episode; its planned end follows the kind's term (for post-rehab management, the
    previous measure's) unless given. A kind that may not be open with one of the person's open episodes
    is refused (Episode.clean, issue 18 §5)."""
    episode = Episode(person=person, **data)
    if episode.planned_end is None and episode.kind_id and episode.started_on:
        episode.planned_end = planned_end_for(person=person, kind=episode.kind, started_on=episode.started_on)
    episode = _create_child(episode, user=user)
    person_sync_status(person=person)
    return episode


RESTART_NOT_OPEN = _("Đợt quản lý này đã kết thúc: không ra quyết định mới trên đợt này được.")
RESTART_NOT_ALLOWED = _("Loại đợt quản lý này không tính lại thời hạn khi có kết quả dương tính mới.")
RESTART_BEFORE_START = _("Ngày bắt đầu của quyết định mới phải sau ngày bắt đầu của đợt đang mở.")
RESTART_BEFORE_TEST = _("Quyết định mới áp dụng cho lần sử dụng mới: ngày bắt đầu không được trước ngày xét "
                        "nghiệm dương tính %(day)s.")
CLOSE_ALREADY_ENDED = _("Đợt quản lý này vừa được kết thúc (hoặc đã có quyết định mới): tải lại trang để xem.")


def restart_offer(test: DrugTest) -> Episode | None:
    """The open episode a positive *test* calls a new decision on (the term starts again), or None.

    A positive test during an open episode of a kind that restarts on a new use (issue 18 §2).
    """
    if test.result != TestResult.POSITIVE:
        return None
    return (Episode.objects.filter(person_id=test.person_id, actual_end__isnull=True,
                                   kind__restarts_on_positive_test=True, started_on__lt=test.tested_on)
            .select_related("kind", "person").order_by("-started_on", "-pk").first())


@transaction.atomic
def episode_restart(*, episode: Episode, user, data: dict, expected_version=None) -> Episode:
    """A new decision after a new use during the term: the open episode ends the day the new one starts,
    and the new episode of the same kind runs a whole term again from its start (issue 18 §2)."""
    episode = Episode.objects.select_for_update().select_related("kind").get(pk=episode.pk)
    if episode.actual_end is not None:
        raise ValidationError(RESTART_NOT_OPEN)
    if not episode.kind.restarts_on_positive_test:
        raise ValidationError(RESTART_NOT_ALLOWED)
    started_on = data.get("started_on")
    if started_on is None or started_on <= episode.started_on:
        raise ValidationError({"started_on": RESTART_BEFORE_START})
    # The new decision answers the new use: it cannot start before the latest positive test of the term.
    used_on = (DrugTest.objects.filter(person_id=episode.person_id, result=TestResult.POSITIVE,
                                       tested_on__gt=episode.started_on)
               .aggregate(latest=Max("tested_on"))["latest"])
    if used_on is not None and started_on < used_on:
        raise ValidationError({"started_on": RESTART_BEFORE_TEST % {"day": f"{used_on:%d/%m/%Y}"}},
                              code="before_test")
    before = snapshot(episode)
    episode.actual_end, episode.end_reason = started_on, EndReason.NEW_DECISION
    episode.full_clean()
    episode.save(update_fields=["actual_end", "end_reason", "updated_at"])
    audit(AuditAction.UPDATE, user=user, obj=episode, changes=diff(before, snapshot(episode)),
          extra={"person": episode.person_id})
    fields = {key: data.get(key, "") for key in ("decision_number", "decision_signer", "notes")}
    new = Episode(person=episode.person, kind=episode.kind, started_on=started_on,
                  decision_date=data.get("decision_date"), **fields,
                  planned_end=add_months(started_on, episode.kind.default_term_months)
                  if episode.kind.default_term_months else None)
    new = _create_child(new, user=user)
    person_sync_status(person=episode.person)
    return new


@transaction.atomic
def episode_close(*, episode: Episode, user, data: dict) -> Episode:
    """End an episode on ``data["actual_end"]`` for ``data["end_reason"]``.

    The row is locked and re-read: an episode that a restart or another close ended meanwhile is refused,
    never ended a second time over the first.
    """
    stored = Episode._base_manager.select_for_update().get(pk=episode.pk)
    if stored.actual_end is not None:
        raise ValidationError(CLOSE_ALREADY_ENDED, code="already_ended")
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
    address (when given) becomes the person's address.

    The person's row is locked for the transaction and, when it changes, its version moves on: an edit
    form opened before the move is refused as stale instead of writing the old khóm and address back.
    """
    stored_version = Person._base_manager.select_for_update().values_list("version", flat=True).get(pk=person.pk)
    move = ResidenceMove(person=person, **data)
    if move.kind == MoveKind.WITHIN_WARD and move.from_khom_id is None:
        move.from_khom_id = person.khom_id
    move = _create_child(move, user=user)
    if move.kind == MoveKind.MOVE_OUT:
        _end_episodes_that_stay(person=person, user=user, day=move.moved_on, move=move)
    new_khom = move.to_khom if move.kind in (MoveKind.WITHIN_WARD, MoveKind.MOVE_IN) else None
    changed = []
    before = snapshot(person)
    if new_khom is not None and new_khom.pk != person.khom_id:
        person.khom, changed = new_khom, [*changed, "khom"]
    if move.new_address and move.new_address != person.address:
        person.address, changed = move.new_address, [*changed, "address"]
    if changed:
        person.version = stored_version + 1
        person.save(update_fields=[*changed, "version", "updated_at"])
        # The mover must still see the person at the new address, or the write is refused.
        _ensure_in_scope(person, user)
        audit(AuditAction.UPDATE, user=user, obj=person, changes=diff(before, snapshot(person)),
              extra={"move": move.pk})
    return move


def _end_episodes_that_stay(*, person: Person, user, day: dt.date, move) -> None:
    """On a move away, end the open episodes whose kind does not continue after a move (``continues_on_move``);
    the others keep their planned end: the term continues for what remains (issue 18 §2)."""
    ending = person.episodes.open().filter(kind__continues_on_move=False, started_on__lte=day)
    for episode in ending:
        before = snapshot(episode)
        episode.actual_end, episode.end_reason = day, EndReason.MOVED_AWAY
        episode.save(update_fields=["actual_end", "end_reason", "updated_at"])
        audit(AuditAction.UPDATE, user=user, obj=episode, changes=diff(before, snapshot(episode)),
              extra={"person": person.pk, "move": move.pk})
    person_sync_status(person=person)


@transaction.atomic
def residence_move_notify(*, move: ResidenceMove, user, data: dict) -> ResidenceMove:
    """Record the day the police were told of a move."""
    before = snapshot(move)
    move.notified_on = data["notified_on"]
    move.full_clean()
    move.save(update_fields=["notified_on", "updated_at"])
    _ensure_in_scope(move.person, user)
    audit(AuditAction.UPDATE, user=user, obj=move, changes=diff(before, snapshot(move)), extra={"person": move.person_id})
    return move


@transaction.atomic
def support_record_create(*, person: Person, user, data: dict) -> SupportRecord:
    """Record reintegration support given to a person."""
    return _create_child(SupportRecord(person=person, **data), user=user)
