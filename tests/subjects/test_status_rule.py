"""apps.subjects.status.derive_status: the one rule behind a person's status and next test date."""
import datetime as dt
from types import SimpleNamespace as NS

from apps.subjects.status import derive_status

USER = NS(code="illegal_user", priority=10, test_interval_days=90)
ADDICT = NS(code="addict", priority=20, test_interval_days=30)
REHAB = NS(code="compulsory_rehab", priority=30, test_interval_days=None)


def episode(kind, started):
    return NS(kind=kind, started_on=started)


def test_no_open_episode_means_no_status_and_no_test_due():
    assert derive_status([], dt.date(2026, 1, 5)) == (None, None)


def test_the_highest_priority_kind_is_the_status_and_the_earliest_interval_the_next_test():
    episodes = [episode(USER, dt.date(2026, 1, 1)), episode(ADDICT, dt.date(2026, 3, 1))]
    status, due = derive_status(episodes, None)
    assert status is ADDICT
    assert due == dt.date(2026, 3, 31)  # 30 days after the addict episode began, before 01/01 + 90


def test_a_later_test_moves_the_next_test_and_an_earlier_one_does_not():
    episodes = [episode(ADDICT, dt.date(2026, 3, 1))]
    assert derive_status(episodes, dt.date(2026, 4, 10))[1] == dt.date(2026, 5, 10)
    assert derive_status(episodes, dt.date(2026, 2, 1))[1] == dt.date(2026, 3, 31)


def test_a_kind_without_interval_sets_the_status_but_no_test_date():
    status, due = derive_status([episode(REHAB, dt.date(2026, 2, 1))], None)
    assert status is REHAB and due is None


def test_among_equal_priorities_the_latest_started_episode_gives_the_status():
    other = NS(code="other_user", priority=10, test_interval_days=None)
    status, _due = derive_status([episode(USER, dt.date(2026, 1, 1)), episode(other, dt.date(2026, 2, 1))], None)
    assert status is other
