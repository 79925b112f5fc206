"""Restore a pg_dump custom-format backup into an EMPTY database (never over existing data)."""
import subprocess
from pathlib import Path

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .backup import pg_environment

NOT_EMPTY = ("Database {name} is not empty ({count} tables): restore refuses to write over existing data. "
             "Create an empty database (e.g. DATABASE_URL=.../new manage.py ensure_database) and restore into it.")


def user_table_count(db: dict, dbname: str) -> int:
    """Number of tables outside PostgreSQL's own schemas."""
    conn = psycopg2.connect(dbname=dbname, host=db.get("HOST") or None, port=db.get("PORT") or None,
                            user=db.get("USER") or None, password=db.get("PASSWORD") or None, connect_timeout=10)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            )
            return cursor.fetchone()[0]
    finally:
        conn.close()


class Command(BaseCommand):
    help = "Restore FILE (from manage.py backup) into the configured database, which must exist and be empty."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .dump file written by manage.py backup")
        parser.add_argument("--dbname", default=None,
                            help="restore into this database on the same server instead of DATABASE_URL's")

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        dbname = options["dbname"] or db["NAME"]
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such backup file: {path}")
        try:
            count = user_table_count(db, dbname)
        except psycopg2.OperationalError as exc:
            raise CommandError(f"Cannot connect to database {dbname}: {str(exc).strip().splitlines()[0]}") from exc
        if count:
            raise CommandError(NOT_EMPTY.format(name=dbname, count=count))
        # One transaction: a failed restore leaves the database empty, not half-filled.
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                   f"--dbname={dbname}", str(path)]
        result = subprocess.run(command, env=pg_environment(db), capture_output=True, text=True)
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        self.stdout.write(f"Restored {path} into {dbname} ({user_table_count(db, dbname)} tables).")
