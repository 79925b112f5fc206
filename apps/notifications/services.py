"""Writes of notifications: tell an event's audience, mark read, the digest preference, overdue notices.

The one call other apps make, inside the transaction of their event::

    from apps.accounts.choices import Role
    from apps.notifications.choices import NotificationKind
    from apps.notifications.selectors import recipients
    from apps.notifications.services import notify

    notify(kind=NotificationKind.REPORT_RETURNED, obj=report, text=f"{report.ward.name} · {report.period.label}",
           audience=recipients(roles=[Role.LEADERSHIP, Role.POLICE], ward=report.ward_id))

No audit record of its own: the event that notifies is audited by its service, and the
notification says nothing the audit record does not.
"""
import re

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from apps.core.audit import AuditAction, audit, current_audit_context, diff, snapshot

from .choices import NotificationKind
from .models import Notification, NotificationPreference

# Errors of the calling code (not of a user's input): the caller is wrong, nothing is written.
TEXT_REQUIRED = "A notification needs a short text saying where (an area, a period), never who."
TEXT_TOO_LONG = "A notification's text has at most 200 characters."
TEXT_HAS_ID_NUMBER = "A notification's text must not carry an identity number (9 or more digits in a row)."
LINK_REQUIRED = "A notification needs a link: pass obj= with get_absolute_url(), or url=."
LINK_NOT_LOCAL = "A notification's link is a path on this site (\"/…\"), not %r."

TEXT_MAX_LENGTH = 200
# A CMND has 9 digits, a CCCD 12: no such run belongs in a notification (dates and numbers are shorter).
_ID_NUMBER = re.compile(r"\d{9,}")

#: Default of notify(actor=…): the acting user of the audit context (the request's user, a command's --user).
FROM_CONTEXT = object()


def _clean_text(text) -> str:
    # Stored once for every recipient, so in the installation's language, whichever one the actor uses.
    with translation.override(settings.LANGUAGE_CODE):
        text = " ".join(str(text or "").split())
    if not text:
        raise ValueError(TEXT_REQUIRED)
    if len(text) > TEXT_MAX_LENGTH:
        raise ValueError(TEXT_TOO_LONG)
    if _ID_NUMBER.search(text):
        raise ValueError(TEXT_HAS_ID_NUMBER)
    return text


def _clean_link(obj, url) -> str:
    if not url:
        getter = getattr(obj, "get_absolute_url", None)
        if getter is None:
            raise ValueError(LINK_REQUIRED)
        url = getter()
    url = str(url)
    # Only a path of this site: never another host (//host, /\host), never a scheme.
    if not url.startswith("/") or url.startswith(("//", "/\\")) or any(ch.isspace() for ch in url) or len(url) > 500:
        raise ValueError(LINK_NOT_LOCAL % url)
    return url


def _recipient_ids(audience) -> list[int]:
    if isinstance(audience, QuerySet):
        return list(audience.values_list("pk", flat=True))
    return [getattr(user, "pk", user) for user in audience]


def notify(*, kind, text, audience, obj=None, url=None, actor=FROM_CONTEXT) -> list[Notification]:
    """Tell every user of *audience* (users, their ids, or ``recipients(...)``) that *kind* happened.

    *text* says where — an area, a period, a year — and never who: no person's name, no CCCD
    (a run of 9+ digits is refused). The link is *url* or ``obj.get_absolute_url()``, a path of
    this site. *actor*, by default the audit context's acting user, is left out of the audience:
    nobody is told what they just did. Returns the notifications written (one INSERT).
    """
    kind = NotificationKind(kind)
    text = _clean_text(text)
    link = _clean_link(obj, url)
    if actor is FROM_CONTEXT:
        context = current_audit_context()
        actor = context.acting_user() if context else None
    actor_id = getattr(actor, "pk", None)
    ids = [pk for pk in dict.fromkeys(_recipient_ids(audience)) if pk is not None and pk != actor_id]
    if not ids:
        return []
    now = timezone.now()
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None and obj.pk is not None else ""
    return Notification.objects.bulk_create([
        Notification(recipient_id=pk, kind=kind, text=text, url=link, object_type=object_type, object_id=object_id,
                     created_at=now)
        for pk in ids
    ])


def notification_mark_read(*, user, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (again: a no-op)."""
    if notification.recipient_id != user.pk:
        raise ValueError("A user marks only their own notifications.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; how many were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preference_update(*, user, email_digest: bool) -> NotificationPreference:
    """Opt the user in or out of the daily e-mail digest (audited)."""
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    before = snapshot(preference)
    preference.email_digest = bool(email_digest)
    preference.save(update_fields=["email_digest"])
    changes = diff(before, snapshot(preference))
    if changes:
        audit(AuditAction.UPDATE, user=user, obj=preference, changes=changes)
    return preference


def overdue_notices_refresh(*, user, counts) -> list[Notification]:
    """Keep one unread "task overdue" notice per kind of task for *user*, from today's *counts*.

    *counts* are OverdueCounts (apps.notifications.registry). A kind still overdue updates its
    unread notice (new count, today's time) rather than piling a new one up every day; a kind no
    longer overdue loses its unread notice; a notice already read stays as it was.
    """
    now = timezone.now()
    unread = {n.object_id: n for n in Notification.objects.filter(
        recipient=user, kind=NotificationKind.TASK_OVERDUE, read_at__isnull=True)}
    kept = []
    for item in counts:
        text = _clean_text(f"{item.label}: {item.count}")
        link = _clean_link(None, item.url)
        notice = unread.pop(item.code, None)
        if notice is None:
            notice = Notification(recipient=user, kind=NotificationKind.TASK_OVERDUE, object_type="overdue",
                                  object_id=item.code)
        notice.text, notice.url, notice.created_at = text, link, now
        notice.save()
        kept.append(notice)
    stale = [notice.pk for notice in unread.values()]
    if stale:
        Notification.objects.filter(pk__in=stale).delete()
    return kept
