"""consistent_snapshot(): one state of the database for a block, at top level or joined, never silently less."""
import threading

import pytest
from django.db import connection, transaction

from apps.core.locking import StaleVersionError
from apps.core.transactions import SnapshotIsolationError, consistent_snapshot, isolation_level
from apps.subjects.models import Person
from tests.concurrency import CommittedRows, in_own_connection, in_thread
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db


def read_only() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW transaction_read_only")
        return cursor.fetchone()[0]


def test_at_top_level_it_opens_a_repeatable_read_transaction_and_closes_it():
    def run():
        with consistent_snapshot():
            inside = (connection.in_atomic_block, isolation_level(connection), read_only())
        with consistent_snapshot(read_only=True):
            inside_read_only = read_only()
        return inside, inside_read_only, connection.in_atomic_block, isolation_level(connection)

    inside, inside_read_only, after_in_block, after_level = in_own_connection(run)
    assert inside == (True, "repeatable read", "off")
    assert inside_read_only == "on"
    assert (after_in_block, after_level) == (False, "read committed")


def test_as_a_decorator_each_call_gets_its_own_transaction():
    @consistent_snapshot()
    def level():
        return isolation_level(connection)

    assert in_own_connection(lambda: [level(), level()]) == ["repeatable read", "repeatable read"]


def test_inside_a_repeatable_read_transaction_it_joins_it():
    def run():
        with consistent_snapshot():
            with transaction.atomic(), consistent_snapshot():
                return isolation_level(connection)

    assert in_own_connection(run) == "repeatable read"


def test_inside_a_read_committed_transaction_it_refuses_rather_than_mix_moments():
    def run():
        with transaction.atomic():
            Person.objects.exists()  # the transaction has begun, at READ COMMITTED
            with consistent_snapshot():
                pass

    with pytest.raises(SnapshotIsolationError):
        in_own_connection(run)


def test_the_same_refusal_applies_inside_a_test_when_another_block_is_in_between():
    with pytest.raises(SnapshotIsolationError):
        with transaction.atomic(), consistent_snapshot():
            pass


def test_directly_inside_a_tests_transaction_it_joins_it_and_sees_its_rows(khom):
    person = PersonFactory(khom=khom)
    with consistent_snapshot():
        assert Person.objects.filter(pk=person.pk).exists()
        with consistent_snapshot():  # nested in a joined block: joined too
            assert Person.objects.count() == 1


def test_a_write_to_a_row_changed_since_the_snapshot_is_refused_as_a_stale_version():
    """The pages' optimistic-lock conflict, not a 500: another connection saved the row after the snapshot began."""
    with CommittedRows():
        person = in_own_connection(lambda: PersonFactory(khom=KhomFactory(ward=WardFactory(code="WTX")),
                                                         full_name="Trần Văn Trước"))
        snapshot_taken, other_saved = threading.Event(), threading.Event()
        results, errors = [], []

        def freezer():
            with consistent_snapshot():
                Person.objects.get(pk=person.pk)  # the snapshot begins here
                snapshot_taken.set()
                assert other_saved.wait(30)
                Person.objects.filter(pk=person.pk).update(full_name="Trần Văn Của Người Chốt")

        thread = in_thread(freezer, results, errors)
        thread.start()
        assert snapshot_taken.wait(30)
        in_own_connection(lambda: Person.objects.filter(pk=person.pk).update(full_name="Trần Văn Của Người Khác"))
        other_saved.set()
        thread.join(30)
        assert len(errors) == 1 and isinstance(errors[0], StaleVersionError), errors
        assert in_own_connection(lambda: Person.objects.get(pk=person.pk).full_name) == "Trần Văn Của Người Khác"
