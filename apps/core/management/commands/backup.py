"""Dump the configured database with pg_dump (custom format) into a timestamped file; optionally prune old ones."""
import datetime as dt
import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BACKUP_PREFIX = "myhoi-"
BACKUP_SUFFIX = ".dump"


def pg_environment(db: dict) -> dict:
    """libpq variables for the database settings *db*, so no password ever appears on a command line."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def backups_in(directory: Path, dbname: str) -> list[Path]:
    """This database's backup files in *directory*, oldest first (the timestamp in the name sorts)."""
    return sorted(directory.glob(f"{BACKUP_PREFIX}{dbname}-*{BACKUP_SUFFIX}"))


class Command(BaseCommand):
    help = "Back up the database: pg_dump custom format into DIR/myhoi-<db>-<UTC timestamp>.dump; --keep N prunes."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "var" / "backups")),
                            help="directory for backup files (created if missing)")
        parser.add_argument("--keep", type=int, default=None,
                            help="keep only the N newest backups of this database in DIR")

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        directory = Path(options["dir"])
        directory.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        target = directory / f"{BACKUP_PREFIX}{db['NAME']}-{stamp}{BACKUP_SUFFIX}"
        partial = target.with_suffix(".partial")
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}", db["NAME"]]
        result = subprocess.run(command, env=pg_environment(db), capture_output=True, text=True)
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        # Renamed only when complete, so a crash never leaves a truncated file that looks like a backup.
        partial.rename(target)
        os.chmod(target, 0o600)  # personal data: readable by the service account only
        self.stdout.write(str(target))
        keep = options["keep"]
        if keep is not None:
            if keep < 1:
                raise CommandError("--keep must be at least 1.")
            for old in backups_in(directory, db["NAME"])[:-keep]:
                old.unlink()
                self.stdout.write(f"removed {old}")
