"""The daily e-mail digest: per user, the unread notifications since the last digest and today's overdue tasks.

Counts and links only. A notification's text never names a person (notify() is told so and refuses
identity numbers); the digest adds no name either, not even the recipient's.
"""
import logging
import smtplib
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import NotificationPreference
from .registry import overdue_counter
from .selectors import digest_notifications
from .services import overdue_notices_refresh

logger = logging.getLogger(__name__)

SITE_URL_MISSING = "SITE_URL must be set (e.g. https://myhoi.angiang.gov.vn): the digest's links are absolute."
# A digest lists at most this many notifications, then says how many more wait in the inbox.
DIGEST_MAX_ITEMS = 50

# A refusal of one message (its recipient, its content): the others may still go.
MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
# Anything else from the mail server or the network (refused login, no connection, a timeout) would fail
# every message the same way, each after EMAIL_TIMEOUT: the run stops at the first one.

# What happened to each user in one run (the command reports the counts).
SENT, NOTHING_NEW, OPTED_OUT, NO_EMAIL, DONE_TODAY, FAILED = (
    "sent", "nothing_new", "opted_out", "no_email", "done_today", "failed")
OUTCOMES = (SENT, NOTHING_NEW, OPTED_OUT, NO_EMAIL, DONE_TODAY, FAILED)


def site_url() -> str:
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ImproperlyConfigured(SITE_URL_MISSING)
    return base


@dataclass
class Digest:
    """What one user's digest says: its notifications (capped), how many more, the overdue counts."""

    day: object
    notifications: list
    more: int
    overdue: list
    base_url: str

    @property
    def overdue_total(self) -> int:
        return sum(item.count for item in self.overdue)

    @property
    def notification_total(self) -> int:
        return len(self.notifications) + self.more

    @property
    def is_empty(self) -> bool:
        return not self.notifications and not self.overdue

    def absolute(self, path: str) -> str:
        return self.base_url + path

    def context(self) -> dict:
        return {
            "day": self.day,
            "notifications": [{"kind": n.get_kind_display(), "text": n.text,
                               "url": self.absolute(n.get_absolute_url())} for n in self.notifications],
            "more": self.more,
            "notification_total": self.notification_total,
            "overdue": [{"label": item.label, "count": item.count, "url": self.absolute(item.url)}
                        for item in self.overdue],
            "overdue_total": self.overdue_total,
            "inbox_url": self.absolute(reverse("notifications:inbox")),
            "preferences_url": self.absolute(reverse("notifications:inbox")) + "#email-digest",
        }

    def message(self, *, to: str, connection=None) -> EmailMessage:
        context = self.context()
        with translation.override(settings.LANGUAGE_CODE):
            subject = " ".join(render_to_string("notifications/email/digest_subject.txt", context).split())
            body = render_to_string("notifications/email/digest.txt", context)
        message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
                               connection=connection, headers={"Auto-Submitted": "auto-generated"})
        return message


def build_digest(user, *, day, since, overdue, base_url) -> Digest:
    rows = list(digest_notifications(user, since=since)[: DIGEST_MAX_ITEMS + 1])
    more = 0
    if len(rows) > DIGEST_MAX_ITEMS:
        more = digest_notifications(user, since=since).count() - DIGEST_MAX_ITEMS
        rows = rows[:DIGEST_MAX_ITEMS]
    return Digest(day=day, notifications=rows, more=more, overdue=overdue, base_url=base_url)


@dataclass
class DigestRun:
    """The outcome of one send_digests run: how many users ended each way."""

    day: object
    counts: Counter = field(default_factory=Counter)
    # The class of the mail-server error that stopped the run early, if one did.
    stopped_by: str = ""

    def __getitem__(self, outcome):
        return self.counts[outcome]


def _digest_one(user, *, day, count_overdue, base_url, connection) -> str:
    with transaction.atomic():
        NotificationPreference.objects.get_or_create(user=user)
        preference = NotificationPreference.objects.select_for_update().get(user=user)
        if preference.digest_day == day:
            return DONE_TODAY
        preference.digest_day = day
        overdue = count_overdue(user)
        overdue_notices_refresh(user=user, counts=overdue)
        outcome = SENT
        if not preference.email_digest:
            outcome = OPTED_OUT
        elif not (user.email or "").strip():
            outcome = NO_EMAIL
        else:
            digest = build_digest(user, day=day, since=preference.digest_sent_at, overdue=overdue, base_url=base_url)
            if digest.is_empty:
                outcome = NOTHING_NEW
            else:
                # Sent inside the transaction: if the server refuses it, the day is not marked done
                # and the next run tries again.
                digest.message(to=user.email.strip(), connection=connection).send()
                preference.digest_sent_at = timezone.now()
        preference.save(update_fields=["digest_day", "digest_sent_at"])
        return outcome


def send_digests(*, day=None, connection=None) -> DigestRun:
    """Handle every active user once for *day* (today, Asia/Ho_Chi_Minh): overdue notices, then the e-mail.

    Run again the same day, it sends nothing twice: each user's day is recorded with their
    preference. A user whose message the server refuses is counted as failed and retried by the
    next run; the others go on.
    """
    base_url = site_url()
    day = day or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        return _send_all(day=day, base_url=base_url, connection=connection)


def _send_all(*, day, base_url, connection) -> DigestRun:
    run = DigestRun(day=day)
    count_overdue = overdue_counter(day)
    connection = connection or get_connection()
    # Read at once (a province has a few thousand accounts): each user then gets a transaction of their own.
    users = list(get_user_model().objects.filter(is_active=True).order_by("pk"))
    try:
        for user in users:
            try:
                outcome = _digest_one(user, day=day, count_overdue=count_overdue, base_url=base_url,
                                      connection=connection)
            except MESSAGE_REFUSED as error:
                # The address, not the person: the log names neither.
                logger.warning("send_digests: the digest of user id %s was refused: %s", user.pk,
                               error.__class__.__name__)
                outcome = FAILED
            except (smtplib.SMTPException, OSError) as error:
                logger.error("send_digests: stopped, the mail server failed: %s", error.__class__.__name__)
                run.counts[FAILED] += 1
                run.stopped_by = error.__class__.__name__
                break
            run.counts[outcome] += 1
    finally:
        connection.close()
    return run
