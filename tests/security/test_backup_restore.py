"""manage.py backup / restore: a round trip into a fresh database keeps every row; restore never overwrites.

pg_dump runs in another session, so it sees only committed rows: those that migrations seeded
(permissions, groups, episode kinds, criteria sets…) and one ward committed here on a side
connection and deleted afterwards. No transactional test: its flush would remove the seeded
rows for the tests that run after it.
"""
import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from apps.core.management.commands.restore import NOT_EMPTY


def server_connection(dbname="postgres"):
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(dbname=dbname, host=db.get("HOST") or None, port=db.get("PORT") or None,
                            user=db.get("USER") or None, password=db.get("PASSWORD") or None)
    conn.autocommit = True
    return conn


def row_counts(dbname):
    conn = server_connection(dbname)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT table_name FROM information_schema.tables "
                           "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        conn.close()


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    conn = server_connection()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@pytest.fixture
def committed_ward(db):
    """A ward committed outside the test transaction (so pg_dump sees it), removed at the end."""
    conn = server_connection(connection.settings_dict["NAME"])
    with conn.cursor() as cursor:
        cursor.execute("INSERT INTO khom_ward (created_at, updated_at, code, name, province, population) "
                       "VALUES (now(), now(), 'ZZBK', %s, 'An Giang', 1) RETURNING id", [WARD_NAME])
        ward_id = cursor.fetchone()[0]
    yield ward_id
    with conn.cursor() as cursor:
        cursor.execute("DELETE FROM khom_ward WHERE id = %s", [ward_id])
    conn.close()


WARD_NAME = "Phường =1+1 Đức"


def test_backup_then_restore_into_a_fresh_database_keeps_every_row_of_every_table(tmp_path, committed_ward,
                                                                                   fresh_database):
    call_command("backup", dir=str(tmp_path))
    files = list(tmp_path.glob("myhoi-*.dump"))
    assert len(files) == 1 and files[0].stat().st_size > 0
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"

    call_command("restore", str(files[0]), dbname=fresh_database)
    original = row_counts(connection.settings_dict["NAME"])
    restored = row_counts(fresh_database)
    assert original == restored
    assert restored["khom_ward"] >= 1 and restored["auth_permission"] > 0 and restored["django_migrations"] > 0

    conn = server_connection(fresh_database)
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM khom_ward WHERE id = %s", [committed_ward])
        assert cursor.fetchone()[0] == WARD_NAME
        cursor.execute("INSERT INTO core_auditevent (at, username, action, object_type, object_id, object_repr, "
                       "changes, extra) VALUES (now(), 'x', 'view', 't', '1', 't', '{}', '{}')")
        # The append-only trigger came back with the data.
        with pytest.raises(psycopg2.Error):
            cursor.execute("DELETE FROM core_auditevent")
    conn.close()


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    dump = tmp_path / "myhoi-x-20260101T000000Z.dump"
    dump.write_bytes(b"not used")
    with pytest.raises(CommandError) as error:
        call_command("restore", str(dump))
    name = connection.settings_dict["NAME"]
    assert str(error.value).startswith(NOT_EMPTY.split("(")[0].format(name=name))


@pytest.mark.django_db
def test_restore_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such backup file"):
        call_command("restore", str(tmp_path / "nothing.dump"))


@pytest.mark.django_db
def test_backup_keep_prunes_the_oldest_files_of_this_database_only(tmp_path):
    name = connection.settings_dict["NAME"]
    old = [tmp_path / f"myhoi-{name}-2020010{i}T000000000000Z.dump" for i in range(1, 4)]
    for path in old:
        path.write_bytes(b"old")
    other = tmp_path / "myhoi-otherdb-20200101T000000000000Z.dump"
    other.write_bytes(b"other")
    call_command("backup", dir=str(tmp_path), keep=2)
    remaining = sorted(p.name for p in tmp_path.glob(f"myhoi-{name}-*.dump"))
    assert len(remaining) == 2
    assert old[2].name in remaining and old[0].name not in remaining and old[1].name not in remaining
    assert other.exists()
