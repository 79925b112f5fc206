"""manage.py send_digests — the daily e-mail digest, run once a day by cron or a systemd timer."""
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from apps.core.audit import audit_context
from apps.notifications.digest import DONE_TODAY, FAILED, NO_EMAIL, NOTHING_NEW, OPTED_OUT, SENT, send_digests


class Command(BaseCommand):
    help = ("Send each user the daily digest: unread notifications since the last one and overdue task counts, "
            "with links. Runs once per user per day; exit status 1 when a message could not be sent.")

    def handle(self, *args, **options):
        with audit_context(source="command:send_digests"):
            try:
                run = send_digests()
            except ImproperlyConfigured as error:
                raise CommandError(str(error)) from None
        self.stdout.write(
            f"Digests of {run.day:%Y-%m-%d}: {run[SENT]} sent, {run[NOTHING_NEW]} with nothing new, "
            f"{run[OPTED_OUT]} opted out, {run[NO_EMAIL]} without an e-mail address, "
            f"{run[DONE_TODAY]} already done today, {run[FAILED]} failed.")
        if run.stopped_by:
            raise CommandError(f"Stopped: the mail server failed ({run.stopped_by}); check EMAIL_URL or EMAIL_HOST. "
                               "The users not reached yet get their digest from the next run.")
        if run[FAILED]:
            raise CommandError(f"{run[FAILED]} digest(s) could not be sent; the next run retries them.")
