"""Helpers for tests that need two real database connections: threads working on committed rows.

A row lock, a unique index or a snapshot only matter between two transactions, so
the actors of these tests are threads, each with its own connection. The test's own
transaction (pytest-django's ``db``) stays out of the way (see tests/cases/test_numbering.py,
and why these tests are not transactional: a flush of the whole database per test
would cost more than the test). Whatever the threads commit is removed at the end by
``CommittedRows``.
"""
import threading
import time

from django.db import connection, connections, transaction


def in_thread(func, results, errors):
    """A thread that runs *func* on a connection of its own, appending its result or its exception."""

    def run():
        try:
            results.append(func())
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run, daemon=True)


def in_own_connection(func, timeout=60):
    """Run *func* in a thread of its own and return its result: its writes are committed."""
    results, errors = [], []
    thread = in_thread(func, results, errors)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"{func} still running after {timeout} s")
    if errors:
        raise errors[0]
    return results[0]


def connections_waiting_for_a_lock() -> int:
    """How many connections to this database are blocked on a lock right now."""
    with connection.cursor() as cursor:
        # Statistics views are snapshotted once per transaction, and this runs inside the test's one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                       "AND datname = current_database()")
        return cursor.fetchone()[0]


def wait_until_blocked(count, timeout=30) -> bool:
    """Wait (bounded) until *count* connections are blocked on a lock: proof that they really tried."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if connections_waiting_for_a_lock() >= count:
            return True
        time.sleep(0.01)
    return False


class RowHolder:
    """A third connection that holds a transaction open, e.g. a row lock or an uncommitted row, until released."""

    def __init__(self, work):
        self.work = work
        self.ready, self.release = threading.Event(), threading.Event()
        self.results, self.errors = [], []
        self.thread = in_thread(self._run, self.results, self.errors)

    def _run(self):
        with transaction.atomic():
            self.work()
            self.ready.set()
            assert self.release.wait(90)
            # Roll back: whatever the holder did only served to make the others wait.
            transaction.set_rollback(True)

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(30), self.errors
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(30)
        assert not self.errors, self.errors


class CommittedRows:
    """Remove, at the end of a test, every row its threads committed since it started, in every table.

    What existed at the start is remembered by primary key (the highest integer key, or the
    set of keys for the few tables keyed by text, such as sessions). The cleanup connection
    switches triggers off for its own transaction (``session_replication_role``, test database
    only): the audit log's append-only trigger would refuse the delete, and with foreign-key
    triggers off too the tables can be emptied in any order. Rows that existed before and were
    only updated by the threads are not restored: give the threads rows of their own.
    The test's own connection must not write to committed rows (it would hold their locks).
    """

    def __init__(self):
        from django.apps import apps

        self.models = [m for m in apps.get_models(include_auto_created=True)
                       if m._meta.managed and not m._meta.proxy]
        self.start = {}

    @staticmethod
    def _integer_key(model):
        return model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField",
                                                      "IntegerField", "BigIntegerField")

    def __enter__(self):
        def existing():
            start = {}
            for model in self.models:
                keys = model._base_manager.values_list("pk", flat=True)
                start[model] = (keys.order_by("-pk").first() or 0) if self._integer_key(model) else set(keys)
            return start

        self.start = in_own_connection(existing)
        return self

    def __exit__(self, *exc):
        def remove():
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                for model in self.models:
                    table = connection.ops.quote_name(model._meta.db_table)
                    pk = connection.ops.quote_name(model._meta.pk.column)
                    before = self.start[model]
                    if self._integer_key(model):
                        cursor.execute(f"DELETE FROM {table} WHERE {pk} > %s", [before])
                    else:
                        cursor.execute(f"DELETE FROM {table} WHERE NOT ({pk} = ANY(%s))", [list(before)])

        in_own_connection(remove)


class WriterBetweenStatements:
    """A writer on a connection of its own that commits one write after every statement of the code it watches.

    ``with writer.between_statements(): code()`` runs *code* in the current thread; after each
    of its SQL statements the writer thread commits ``write(step)`` and only then does *code*
    go on. Data entry running during a snapshot, at its worst and reproducibly: without one
    view of the database, two queries of the same snapshot never see the same rows.
    """

    def __init__(self, write):
        self.write = write
        self.commits = 0
        self.errors = []
        self._turn, self._done = threading.Semaphore(0), threading.Semaphore(0)
        self._stopped = False
        self._thread = in_thread(self._run, [], self.errors)

    def _run(self):
        with connection.cursor() as cursor:
            # This connection's commits need not wait for the disk: a test's rows, removed at its end.
            cursor.execute("SET synchronous_commit = off")
        while True:
            self._turn.acquire()
            if self._stopped:
                return
            try:
                with transaction.atomic():
                    self.write(self.commits)
                self.commits += 1
            finally:
                self._done.release()

    def _after_each_statement(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        self._turn.release()
        assert self._done.acquire(timeout=30), "the writer did not commit in time"
        return result

    def between_statements(self):
        return connection.execute_wrapper(self._after_each_statement)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopped = True
        self._turn.release()
        self._thread.join(30)
        assert not self.errors, self.errors
