"""Transactions that see one state of the database: for every snapshot frozen from live data.

PostgreSQL's default, READ COMMITTED, gives each statement its own view of the data. A
report or an assessment is frozen from a dozen grouped queries; a drug test committed
between two of them made a ward's total differ from the sum of its khóm rows (issue 14).
Under REPEATABLE READ every statement of the transaction sees the state of its first one.
"""
from contextlib import contextmanager

from django.db import OperationalError, transaction

from .locking import StaleVersionError

__all__ = ["consistent_snapshot", "SnapshotIsolationError", "isolation_level"]

# PostgreSQL's SQLSTATE for "could not serialize access due to concurrent update".
SERIALIZATION_FAILURE = "40001"
CONSISTENT_LEVELS = {"repeatable read", "serializable"}


class SnapshotIsolationError(RuntimeError):
    """consistent_snapshot() was entered inside a READ COMMITTED transaction, where one view of the data is impossible."""


def isolation_level(connection) -> str:
    """The current transaction's isolation level, as PostgreSQL names it ("read committed", …)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")  # a utility statement: takes no snapshot
        return cursor.fetchone()[0]


def _may_join(connection) -> bool:
    if isolation_level(connection) in CONSISTENT_LEVELS:
        return True  # the enclosing transaction already sees one state; this block shares it
    innermost = connection.atomic_blocks[-1]
    # Like Django's atomic(durable=True), a test's own transaction is accepted: no other connection
    # writes into it (tests with concurrent writers call the code at top level, from threads), and
    # the code under test must see that test's uncommitted rows. A snapshot block inside another
    # one that was accepted is accepted too (seed_demo freezing reports).
    return getattr(innermost, "_from_testcase", False) or getattr(innermost, "_consistent_snapshot", False)


@contextmanager
def consistent_snapshot(*, using=None, read_only=False):
    """Run the block in a transaction whose every statement sees the same state of the database.

    Outside any transaction (every request: ATOMIC_REQUESTS is off, and the services are
    called from views) it opens one and makes ``SET TRANSACTION ISOLATION LEVEL REPEATABLE READ``
    its first statement; the isolation of a transaction cannot change once it has run a
    query. Inside a transaction it joins it (as a savepoint) when that transaction is
    REPEATABLE READ or SERIALIZABLE already, or is a test's own transaction; inside any other
    transaction it raises SnapshotIsolationError rather than silently freezing figures from
    several moments: call the code outside the transaction, or open that one with this helper.

    Writes are allowed (a submit freezes figures and saves the record in one go). A write
    that meets a row another transaction changed since the snapshot fails with PostgreSQL's
    serialization error; that is the optimistic-lock conflict of the pages, and is raised as
    StaleVersionError with its message. Readers and writers of other rows never wait on it.
    Use as ``with consistent_snapshot():`` or as a decorator, ``@consistent_snapshot()``.
    """
    connection = transaction.get_connection(using)
    block = transaction.atomic(using=using)
    block._consistent_snapshot = True
    if connection.in_atomic_block:
        if not _may_join(connection):
            raise SnapshotIsolationError(
                "consistent_snapshot() inside a READ COMMITTED transaction cannot see one state of the "
                "database: call it outside any transaction, or open the enclosing one with it.")
        with block:
            yield
        return
    try:
        with block:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
                               + (" READ ONLY" if read_only else ""))
            yield
    except OperationalError as exc:
        if getattr(exc.__cause__, "pgcode", None) == SERIALIZATION_FAILURE:
            raise StaleVersionError() from exc
        raise
