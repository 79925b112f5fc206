"""manage.py import_xlsx KIND FILE [--dry-run]: the web import's engine on the command line."""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.core.audit import audit_context
from apps.imports.choices import ImportKind
from apps.imports.engine import run_import
from apps.imports.archive import Limits
from apps.imports.progress import TerminalProgress


class Command(BaseCommand):
    help = ("Import people (persons), drug tests (tests) or cases (cases) from an .xlsx file. "
            "Exit status 0 only when every row is valid; otherwise nothing is written and each bad row is listed.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--user", help="import as this user (scope and history); default: the first superuser")

    def handle(self, *args, kind, file, dry_run, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        actor = self.actor(user)
        # At most one byte past the limit: the engine's check (apps.imports.archive) refuses a larger file.
        with path.open("rb") as source:
            data = source.read(Limits.from_settings().upload + 1)
        # Every event of the run (one per row written, one for the run) names the acting user and the command.
        with audit_context(user=actor, source="command:import_xlsx"):
            outcome = run_import(kind=kind, data=data, file_name=path.name, user=actor,
                                 dry_run=dry_run, progress=TerminalProgress(self.stderr._out))
        for problem in outcome.errors:
            self.stderr.write(problem.as_text())
        for note in outcome.notes:
            self.stdout.write(note.as_text())
        summary = (f"{outcome.total} rows: {outcome.created} new, {outcome.updated} updated, "
                   f"{outcome.unchanged} unchanged, {outcome.error_rows} with errors")
        if not outcome.ok:
            raise CommandError(f"{summary}. Nothing was written.")
        self.stdout.write(summary + (". Dry run: nothing was written." if dry_run else ". Imported."))

    def actor(self, username):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(username=username, is_active=True)
            except User.DoesNotExist:
                raise CommandError(f"no active user {username!r}")
        actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("no active superuser: pass --user USERNAME")
        return actor
