"""Record transfers between wards (issue 18 §3): the writes and the reads.

The way of a record from ward A to ward B:

- ``transfer_start``: A's police record that the person moved to B; the record is still A's, and a
  "gửi hồ sơ trong 5 ngày làm việc" task stands for A (``transfer_tasks``);
- ``transfer_request``: or B's police, refused a CCCD held elsewhere, ask for the record; the number
  goes to its holder (A) server-side, B learns nothing more than the refusal told it, A decides;
- ``transfer_send``: A's police send it (the task clears); B's police are told;
- ``transfer_accept``: B's police take it into one of their khóm: the person, and every episode,
  test, move and support record (all scoped through the person's khóm), case participations
  included, belong to B from then on; A keeps the transfer row as its trace and gets 404 on the record;
- ``transfer_refuse``: the holding ward turns a request down or cancels its own, the new ward
  declines a record sent to it or withdraws its request; the record stays where it is.

Each step is audited for both wards (the audit log of the ward leadership reads events by ward), the
receiving ward without the person's details until the record is sent to it. Notifications go to the
police of the other ward only (apps.notifications; texts name the wards, never the person).
"""
import datetime as dt

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.audit import AuditAction, audit, diff, snapshot
from apps.core.workdays import WorkingCalendar
from apps.notifications.choices import NotificationKind
from apps.notifications.selectors import recipients
from apps.notifications.services import notify

from .choices import OPEN_TRANSFER_STATUSES, TRANSFER_TO_SEND_STATUSES, MoveKind, TransferStatus
from .models import CCCD_UNAVAILABLE, TRANSFER_ALREADY_OPEN, Person, RecordTransfer, ResidenceMove, RuleBook
from .services import cccd_lookups_record

# The one answer to a request that cannot be made: the same whether the number is on the register
# or not, so a request tells no more than the person form's refusal already did.
TRANSFER_REQUEST_UNAVAILABLE = _("Không thể gửi đề nghị chuyển hồ sơ cho số CCCD này. Hãy kiểm tra lại số CCCD.")
TRANSFER_IN_YOUR_SCOPE = _("Người có số CCCD này đã thuộc phạm vi bạn phụ trách: hãy tìm trong danh sách đối tượng.")
TRANSFER_TO_OWN_WARD = _("Phường nhận hồ sơ phải khác phường đang quản lý người này.")
TRANSFER_NOT_SENDER = _("Chỉ Công an phường đang giữ hồ sơ mới gửi được hồ sơ này.")
TRANSFER_NOT_RECEIVER = _("Chỉ Công an phường nhận mới tiếp nhận được hồ sơ này.")
TRANSFER_NOT_TO_SEND = _("Hồ sơ này không còn chờ gửi.")
TRANSFER_NOT_SENT = _("Hồ sơ này không ở tình trạng chờ tiếp nhận.")
TRANSFER_CANNOT_REFUSE = _("Bạn không thể hủy hoặc từ chối thủ tục chuyển này ở tình trạng hiện tại.")
TRANSFER_KHOM_OF_RECEIVER = _("Chọn một khóm của phường nhận hồ sơ.")
TRANSFER_REASON_REQUIRED = _("Hãy ghi lý do.")

# What the receiving ward's audit log shows of a transfer whose record it has not been sent: its own request.
RECEIVER_AUDIT_FIELDS = ("status", "to_ward_id", "to_khom_id", "moved_on", "start_on", "notes", "refusal_reason",
                         "decided_at", "decided_by_id")

# Who holds the record until acceptance, who receives it: the sides of a transfer for a user.
SENDER, RECEIVER = "sender", "receiver"


# Reads ------------------------------------------------------------------------------------------

def transfer_sides(transfer: RecordTransfer, user) -> set[str]:
    """The sides *user* acts for: ``sender`` (police/leadership of the holding ward), ``receiver``, both, or none."""
    if user.is_administrator:
        return {SENDER, RECEIVER}
    wards = user.scope_ward_ids
    return ({SENDER} if transfer.from_ward_id in wards else set()) | ({RECEIVER} if transfer.to_ward_id in wards
                                                                      else set())


def transfer_shows_record(transfer: RecordTransfer, user) -> bool:
    """Whether *user* may read who the transfer is about and where it comes from.

    The holding ward always; the receiving ward once the record has been sent to it. Before that
    the receiving ward sees only its own request (the number it typed, its khóm, the status).
    """
    sides = transfer_sides(transfer, user)
    return SENDER in sides or (RECEIVER in sides and transfer.sent_at is not None)


def transfer_actions(transfer: RecordTransfer, user) -> set[str]:
    """What *user* may do with *transfer* now: a subset of {"send", "accept", "refuse"}."""
    if not user.has_perm("subjects.change_recordtransfer"):
        return set()
    sides, actions = transfer_sides(transfer, user), set()
    if SENDER in sides and transfer.status in TRANSFER_TO_SEND_STATUSES:
        actions |= {"send", "refuse"}
    if RECEIVER in sides and transfer.status == TransferStatus.SENT:
        actions |= {"accept", "refuse"}
    if RECEIVER in sides and transfer.status == TransferStatus.REQUESTED:
        actions.add("refuse")  # the new ward withdraws its request
    return actions


def transfer_due(transfer: RecordTransfer, calendar: WorkingCalendar | None = None,
                 rules: RuleBook | None = None) -> dt.date:
    """The last day for sending the record: the rule's file-transfer working days (ManagementRule, 5 under
    ND 105/2021) in force on ``start_on``, counted from ``start_on``."""
    calendar = calendar or WorkingCalendar(transfer.start_on, transfer.start_on + dt.timedelta(days=45))
    days = (rules or RuleBook()).on(transfer.start_on).transfer_working_days
    return calendar.add_working_days(transfer.start_on, days)


def transfer_tasks(user):
    """The transfers whose record *user*'s ward still has to send, oldest first (one unsliced queryset).

    The task belongs to the holding ward: a request the user's ward made of another is not its task.
    """
    if not (user.is_administrator or user.is_police or user.is_leadership):
        return RecordTransfer.objects.none()  # no query at all for the roles that have no part in transfers
    rows = RecordTransfer.objects.for_user(user).filter(status__in=TRANSFER_TO_SEND_STATUSES)
    if not user.is_administrator:
        rows = rows.filter(from_ward_id__in=user.scope_ward_ids)
    return rows.order_by("start_on", "pk")


def offers_transfer_request(user, messages) -> bool:
    """Whether a page listing these refusals (an import's errors) should offer "yêu cầu chuyển hồ sơ".

    When one is the neutral CCCD refusal (in any of the site's languages: a batch keeps its errors as
    they were written) and the user may request a transfer. The refusal itself is left as it is.
    """
    if not user.has_perm("subjects.add_recordtransfer"):
        return False
    refusals = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            refusals.add(str(CCCD_UNAVAILABLE))
    return any(str(message) in refusals for message in messages)


def incoming_outgoing(queryset, user):
    """*queryset* narrowed to ``direction``: "in" (to the user's wards) or "out" (from them)."""
    wards = user.scope_ward_ids
    return {"in": queryset.filter(to_ward_id__in=wards), "out": queryset.filter(from_ward_id__in=wards)}


# Writes -----------------------------------------------------------------------------------------

def _notice(text_builder) -> str:
    # Stored once for every recipient: in the installation's language, not the actor's.
    with translation.override(settings.LANGUAGE_CODE):
        return text_builder()


def _receiver_knows(transfer: RecordTransfer) -> bool:
    """Whether the receiving ward has any part in *transfer* yet: it asked for the record, or was sent it."""
    return transfer.requested_by_receiver or transfer.sent_at is not None


def _audit_both(action, *, user, transfer, before=None, receiver_sees_record=True, extra=None):
    """One event for each ward's log (the receiving ward's once it has a part in the transfer), the
    receiving ward's without any detail of the record before the record is sent to it."""
    changes = diff(before, snapshot(transfer))
    extra = {"transfer": transfer.pk, **(extra or {})}
    audit(action, user=user, obj=transfer, ward_id=transfer.from_ward_id, changes=changes, extra=extra)
    if not _receiver_knows(transfer):
        return
    if not receiver_sees_record:
        changes = {key: value for key, value in changes.items() if key in RECEIVER_AUDIT_FIELDS}
    audit(action, user=user, obj=transfer, ward_id=transfer.to_ward_id, changes=changes, extra=extra)


def _locked(transfer: RecordTransfer) -> RecordTransfer:
    """The transfer read again under a row lock, so that two clicks (or two officers) act once."""
    return RecordTransfer.objects.select_for_update().get(pk=transfer.pk)


def _still_held(transfer: RecordTransfer) -> None:
    """Refuse a step when the record is no longer in the sending ward (moved since by other means)."""
    if not Person.objects.filter(pk=transfer.person_id, khom__ward_id=transfer.from_ward_id).exists():
        raise ValidationError(TRANSFER_NOT_TO_SEND)


def _require(user, permission: str) -> None:
    """The pages check the role first; a service called from elsewhere (a shell, a command) checks it too."""
    if not user.has_perm(permission):
        raise PermissionDenied


def _police_of(ward_id):
    return recipients(roles=[Role.POLICE], ward=ward_id)


@transaction.atomic
def transfer_start(*, user, person: Person, data: dict) -> RecordTransfer:
    """The holding ward records that *person* moved to ``data["to_ward"]``: the record waits to be sent."""
    _require(user, "subjects.add_recordtransfer")
    person = Person.objects.for_user(user).select_related("khom", "khom__ward").select_for_update(of=("self",)).get(
        pk=person.pk)
    to_ward = data.get("to_ward")
    if to_ward is not None and to_ward.pk == person.khom.ward_id:
        raise ValidationError({"to_ward": TRANSFER_TO_OWN_WARD})
    transfer = RecordTransfer(
        person=person, status=TransferStatus.TO_SEND, from_ward_id=person.khom.ward_id, from_khom=person.khom,
        to_ward=to_ward, person_name=person.full_name, moved_on=data.get("moved_on"),
        start_on=data.get("moved_on") or timezone.localdate(), notes=data.get("notes", ""), created_by=user)
    transfer.full_clean()
    transfer.save()
    _audit_both(AuditAction.CREATE, user=user, transfer=transfer, extra={"person": person.pk})
    return transfer


def transfer_request(*, user, data: dict) -> RecordTransfer:
    """The new ward's police ask for the record of the person with ``data["cccd"]``, into ``data["khom"]``.

    A number outside the user's scope is a sensitive lookup (issue 14): it is recorded as one
    whether the request is made or refused, outside the transaction that a refusal rolls back.
    """
    cccd = (data.get("cccd") or "").strip()
    try:
        return _transfer_request(user=user, cccd=cccd, data=data)
    finally:
        cccd_lookups_record(user=user, cccds=[cccd], source="transfer_request")


@transaction.atomic
def _transfer_request(*, user, cccd: str, data: dict) -> RecordTransfer:
    khom = data.get("khom")
    if khom is None or not user.has_perm("subjects.add_recordtransfer") or khom.ward_id not in user.scope_ward_ids:
        raise ValidationError({"khom": TRANSFER_KHOM_OF_RECEIVER})
    # Read past the scope on purpose, and only here: the number leads to its holder, whom the
    # requester never sees until the holding ward sends the record.
    person = (Person._base_manager.select_related("khom").select_for_update(of=("self",))
              .filter(cccd=cccd).first()) if cccd else None
    if person is None:
        raise ValidationError({"cccd": TRANSFER_REQUEST_UNAVAILABLE})
    if Person.objects.for_user(user).filter(pk=person.pk).exists():
        raise ValidationError({"cccd": TRANSFER_IN_YOUR_SCOPE})
    if RecordTransfer.objects.filter(person=person, status__in=OPEN_TRANSFER_STATUSES).exists():
        # Neutral as well: the holding ward is already dealing with this record.
        raise ValidationError({NON_FIELD_ERRORS: TRANSFER_ALREADY_OPEN})
    transfer = RecordTransfer(
        person=person, status=TransferStatus.REQUESTED, requested_by_receiver=True,
        from_ward_id=person.khom.ward_id, from_khom=person.khom, to_ward_id=khom.ward_id, to_khom=khom,
        person_name=person.full_name, moved_on=data.get("moved_on"), start_on=timezone.localdate(),
        notes=data.get("notes", ""), created_by=user)
    transfer.full_clean()
    transfer.save()
    _audit_both(AuditAction.CREATE, user=user, transfer=transfer, receiver_sees_record=False)
    to_ward = khom.ward
    notify(kind=NotificationKind.TRANSFER_REQUESTED, obj=transfer, actor=user,
           text=_notice(lambda: gettext("%(ward)s đề nghị chuyển hồ sơ một đối tượng") % {"ward": to_ward.name}),
           audience=_police_of(transfer.from_ward_id))
    return transfer


@transaction.atomic
def transfer_send(*, user, transfer: RecordTransfer) -> RecordTransfer:
    """The holding ward sends the record: the 5-working-day task clears, the receiving ward's police are told."""
    _require(user, "subjects.change_recordtransfer")
    transfer = _locked(transfer)
    if SENDER not in transfer_sides(transfer, user):
        raise ValidationError(TRANSFER_NOT_SENDER)
    if transfer.status not in TRANSFER_TO_SEND_STATUSES:
        raise ValidationError(TRANSFER_NOT_TO_SEND)
    _still_held(transfer)
    before = snapshot(transfer)
    transfer.status, transfer.sent_at, transfer.sent_by = TransferStatus.SENT, timezone.now(), user
    transfer.full_clean()
    transfer.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
    _audit_both(AuditAction.UPDATE, user=user, transfer=transfer, before=before, extra={"step": "send"})
    transfer = RecordTransfer.objects.with_related().get(pk=transfer.pk)
    notify(kind=NotificationKind.TRANSFER_REQUESTED, obj=transfer, actor=user,
           text=_notice(lambda: gettext("%(sender)s chuyển hồ sơ một đối tượng sang %(receiver)s, chờ tiếp nhận")
                        % {"sender": transfer.from_ward.name, "receiver": transfer.to_ward.name}),
           audience=_police_of(transfer.to_ward_id))
    return transfer


@transaction.atomic
def transfer_accept(*, user, transfer: RecordTransfer, data: dict) -> RecordTransfer:
    """The receiving ward takes the record into ``data["to_khom"]``: the person and its history become its own."""
    _require(user, "subjects.change_recordtransfer")
    transfer = _locked(transfer)
    if RECEIVER not in transfer_sides(transfer, user):
        raise ValidationError(TRANSFER_NOT_RECEIVER)
    if transfer.status != TransferStatus.SENT:
        raise ValidationError(TRANSFER_NOT_SENT)
    _still_held(transfer)
    khom = data.get("to_khom")
    if khom is None or khom.ward_id != transfer.to_ward_id:
        raise ValidationError({"to_khom": TRANSFER_KHOM_OF_RECEIVER})
    before = snapshot(transfer)
    transfer.status, transfer.to_khom = TransferStatus.ACCEPTED, khom
    transfer.decided_at, transfer.decided_by = timezone.now(), user
    transfer.full_clean()
    transfer.save(update_fields=["status", "to_khom", "decided_at", "decided_by", "updated_at"])

    person = Person.objects.select_for_update(of=("self",)).select_related("khom").get(pk=transfer.person_id)
    person_before = snapshot(person)
    person.khom = khom
    # A new version: an edit form still open in the old ward must not write over the moved record.
    person.version += 1
    person.save(update_fields=["khom", "version", "updated_at"])
    changes = diff(person_before, snapshot(person))
    for ward_id in (transfer.from_ward_id, transfer.to_ward_id):
        audit(AuditAction.UPDATE, user=user, obj=person, ward_id=ward_id, changes=changes,
              extra={"transfer": transfer.pk})
    from_ward = transfer.from_ward
    move = ResidenceMove(
        person=person, kind=MoveKind.MOVE_IN, moved_on=transfer.moved_on, to_khom=khom,
        other_place=f"{transfer.from_khom.name}, {from_ward.name}"[:255],
        # The police knew of the move when the transfer was opened.
        notified_on=max(transfer.moved_on, timezone.localdate(transfer.created_at)),
        notes=gettext("Tiếp nhận hồ sơ chuyển từ %(ward)s") % {"ward": from_ward.name}, created_by=user)
    move.full_clean()
    move.save()
    for ward_id in (transfer.from_ward_id, transfer.to_ward_id):
        audit(AuditAction.CREATE, user=user, obj=move, ward_id=ward_id, changes=diff(None, snapshot(move)),
              extra={"person": person.pk, "transfer": transfer.pk})
    # Scope re-checked after the write: the receiver must now see the record.
    if not Person.objects.for_user(user).filter(pk=person.pk).exists():
        raise ValidationError({"to_khom": TRANSFER_KHOM_OF_RECEIVER})
    _audit_both(AuditAction.UPDATE, user=user, transfer=transfer, before=before, extra={"step": "accept"})
    to_ward = transfer.to_ward
    notify(kind=NotificationKind.TRANSFER_ACCEPTED, obj=transfer, actor=user,
           text=_notice(lambda: gettext("%(receiver)s đã tiếp nhận hồ sơ chuyển từ %(sender)s")
                        % {"receiver": to_ward.name, "sender": from_ward.name}),
           audience=_police_of(transfer.from_ward_id))
    return transfer


@transaction.atomic
def transfer_refuse(*, user, transfer: RecordTransfer, data: dict) -> RecordTransfer:
    """End an open transfer without moving the record, with ``data["reason"]`` said to both wards."""
    _require(user, "subjects.change_recordtransfer")
    transfer = _locked(transfer)
    if "refuse" not in transfer_actions(transfer, user):
        raise ValidationError(TRANSFER_CANNOT_REFUSE)
    reason = " ".join(str(data.get("reason") or "").split())
    if not reason:
        raise ValidationError({"reason": TRANSFER_REASON_REQUIRED})
    receiver_saw = transfer.status == TransferStatus.SENT
    before = snapshot(transfer)
    transfer.status, transfer.refusal_reason = TransferStatus.REFUSED, reason[:255]
    transfer.decided_at, transfer.decided_by = timezone.now(), user
    transfer.full_clean()
    transfer.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by", "updated_at"])
    _audit_both(AuditAction.UPDATE, user=user, transfer=transfer, before=before, receiver_sees_record=receiver_saw,
                extra={"step": "refuse"})
    return transfer

