"""Case numbers under concurrency: two officers saving at the same moment never get the same number.

These tests use real, separate database connections (one per thread) and
committed data (``transaction=True``), because a row lock only matters
between two transactions.
"""
import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from apps.cases.choices import CaseKind
from apps.cases.models import Case
from apps.cases.services import CaseData, case_create

# serialized_rollback: the flush after a transactional test would otherwise also wipe rows that
# data migrations seeded (episode kinds, criteria sets) for the tests that run after these.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def in_thread(func, results, errors):
    def run():
        try:
            results.append(func())
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def new_case(user, khom):
    return case_create(user=user, data=CaseData(khom=khom, detected_on=dt.date(2025, 8, 1), kind=CaseKind.POSSESSION))


def backend_pids_waiting_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
        return [row[0] for row in cursor.fetchall()]


def test_a_second_officer_waits_for_the_first_and_gets_the_next_number(police, khom):
    """A holds the (ward, year) counter inside an open transaction; B must wait and then take the next number."""
    # An earlier case creates the counter row, so that B can only be held back by A's lock on it.
    new_case(police, khom)
    results, errors = [], []
    a_has_number, a_may_commit = threading.Event(), threading.Event()

    def officer_a():
        with transaction.atomic():
            case = new_case(police, khom)
            a_has_number.set()
            assert a_may_commit.wait(30)
        return case.number

    thread_a = in_thread(officer_a, results, errors)
    thread_b = in_thread(lambda: new_case(police, khom).number, results, errors)
    thread_a.start()
    assert a_has_number.wait(30)
    thread_b.start()
    # Wait (bounded) until B is blocked on A's lock: proof that the counter row is really locked.
    for _ in range(3000):
        if backend_pids_waiting_for_a_lock():
            break
        threading.Event().wait(0.01)
    blocked = bool(backend_pids_waiting_for_a_lock())
    a_may_commit.set()
    thread_a.join(30)
    thread_b.join(30)
    assert not errors, errors
    assert blocked
    assert sorted(results) == [2, 3]
    assert sorted(Case.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_many_officers_saving_at_once_get_distinct_consecutive_numbers(police, khom):
    """Also the first case of the year: the counter row does not exist yet when they all start."""
    results, errors = [], []
    start = threading.Barrier(6)

    def create():
        start.wait(30)
        return new_case(police, khom).number

    threads = [in_thread(create, results, errors) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(results) == [1, 2, 3, 4, 5, 6]


def test_data_seeded_by_migrations_survives_these_transactional_tests():
    from apps.subjects.models import EpisodeKind

    assert EpisodeKind.objects.filter(code="illegal_user").exists()
