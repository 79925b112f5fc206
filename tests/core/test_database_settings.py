"""The app's database connections run with PostgreSQL's JIT compiler off (issue 9: it tripled a report query)."""
from django.db import connection


def test_connections_run_without_the_jit_compiler(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
