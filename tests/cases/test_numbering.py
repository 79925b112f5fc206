"""Case numbers under concurrency: two officers saving at the same moment never get the same number.

A row lock only matters between two transactions, so the officers here are
threads, each with its own database connection, working on rows committed by
yet another connection. The test's own transaction (pytest-django's ``db``)
stays out of the way; the committed rows are removed at the end, so nothing
is left for the tests that follow and no database flush is needed.
"""
import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.cases.choices import CaseKind
from apps.cases.models import Case, CaseNumberCounter
from apps.cases.services import CaseData, case_create
from apps.khom.models import Khom, Ward

pytestmark = pytest.mark.django_db


def in_thread(func, results, errors):
    def run():
        try:
            results.append(func())
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def in_own_connection(func):
    """Run *func* in a thread of its own: its writes are committed, outside the test's transaction."""
    results, errors = [], []
    thread = in_thread(func, results, errors)
    thread.start()
    thread.join(60)
    if errors:
        raise errors[0]
    return results[0]


@pytest.fixture
def committed(monkeypatch):
    """A ward, a khóm and a police officer that every connection sees; removed afterwards."""
    # The audit log is append-only (a trigger refuses deletes), so these committed
    # cases are not audited; auditing of case_create is tested in test_services.
    monkeypatch.setattr("apps.cases.services.audit", lambda *args, **kwargs: None)

    def create():
        ward = Ward.objects.create(code="WCONC", name="Phường đồng thời")
        khom = Khom.objects.create(ward=ward, code="C01", name="Khóm đồng thời")
        officer = User.objects.create(username="t_concurrent_police", role=Role.POLICE)
        officer.wards.set([ward])
        return ward, khom, officer

    ward, khom, officer = in_own_connection(create)
    yield khom, officer

    def remove():
        Case.objects.filter(ward=ward).delete()
        CaseNumberCounter.objects.filter(ward=ward).delete()
        User.objects.filter(pk=officer.pk).delete()
        Khom.objects.filter(pk=khom.pk).delete()
        Ward.objects.filter(pk=ward.pk).delete()

    in_own_connection(remove)


def new_case(officer, khom):
    return case_create(user=officer, data=CaseData(khom=khom, detected_on=dt.date(2025, 8, 1),
                                                   kind=CaseKind.POSSESSION))


def connections_waiting_for_a_lock():
    with connection.cursor() as cursor:
        # Statistics views are snapshotted once per transaction, and this runs inside the test's one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                       "AND datname = current_database()")
        return cursor.fetchone()[0]


def test_a_second_officer_waits_for_the_first_and_gets_the_next_number(committed):
    """A holds the (ward, year) counter inside an open transaction; B must wait and then take the next number."""
    khom, officer = committed
    # An earlier case creates the counter row, so that B can only be held back by A's lock on it.
    in_own_connection(lambda: new_case(officer, khom))
    results, errors = [], []
    a_has_number, a_may_commit = threading.Event(), threading.Event()

    def officer_a():
        with transaction.atomic():
            case = new_case(officer, khom)
            a_has_number.set()
            assert a_may_commit.wait(90)
        return case.number

    thread_a = in_thread(officer_a, results, errors)
    thread_b = in_thread(lambda: new_case(officer, khom).number, results, errors)
    thread_a.start()
    assert a_has_number.wait(30)
    thread_b.start()
    # Wait (bounded) until B is blocked by A: proof that B really tried while A held the counter.
    for _ in range(3000):
        if connections_waiting_for_a_lock():
            break
        threading.Event().wait(0.01)
    blocked = connections_waiting_for_a_lock() > 0
    a_may_commit.set()
    thread_a.join(30)
    thread_b.join(30)
    assert not errors, errors
    assert blocked
    assert sorted(results) == [2, 3]
    numbers = in_own_connection(lambda: sorted(Case.objects.filter(khom=khom).values_list("number", flat=True)))
    assert numbers == [1, 2, 3]


def test_many_officers_saving_at_once_get_distinct_consecutive_numbers(committed):
    """Also the first case of the year: the counter row does not exist yet when they all start."""
    khom, officer = committed
    results, errors = [], []
    start = threading.Barrier(6)

    def create():
        start.wait(30)
        return new_case(officer, khom).number

    threads = [in_thread(create, results, errors) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(results) == [1, 2, 3, 4, 5, 6]
