"""The deadlines page: what is due in the user's scope, most urgent first."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.subjects.choices import EndReason, MoveKind
from apps.subjects.choices import TestResult as Result
from apps.subjects.selectors import Deadline, add_working_days, deadline_counts_for_user, deadlines_for_user
from apps.subjects.services import person_sync_status
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, ResidenceMoveFactory, seeded_kind

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
DEADLINES = reverse("subjects:deadlines")


def test_three_working_days_after_a_friday_is_the_next_wednesday():
    assert add_working_days(dt.date(2026, 1, 2), 3) == dt.date(2026, 1, 7)


@pytest.mark.parametrize("days_ago, overdue", [(1, True), (0, False), (-1, False)])
def test_a_deadline_is_overdue_from_the_day_after_it_was_due(person, days_ago, overdue):
    deadline = Deadline("test_overdue", "", person, TODAY - dt.timedelta(days=days_ago))
    assert deadline.overdue is overdue


def _fill(person):
    """One item of every category for *person*."""
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=TODAY - dt.timedelta(days=350))
    EpisodeFactory(person=person, kind=seeded_kind("post_rehab"), started_on=TODAY - dt.timedelta(days=500),
                   actual_end=TODAY - dt.timedelta(days=100), end_reason=EndReason.TERM_COMPLETED)
    ResidenceMoveFactory(person=person, kind=MoveKind.MOVE_IN, moved_on=TODAY - dt.timedelta(days=3))
    person_sync_status(person=person)


def test_every_kind_of_deadline_is_listed_most_urgent_first(police, person):
    _fill(person)
    fresh = PersonFactory(khom=person.khom, full_name="Huỳnh Văn Tâm")
    DrugTestFactory(person=fresh, tested_on=TODAY - dt.timedelta(days=1), result=Result.POSITIVE)
    items = deadlines_for_user(police)
    assert {item.category for item in items} == {"episode_end", "test_overdue", "decision_due", "window_256a",
                                                 "move_unnotified"}
    assert [item.due for item in items] == sorted(item.due for item in items)
    window = next(item for item in items if item.category == "window_256a")
    assert window.due > TODAY
    decision = next(item for item in items if item.category == "decision_due")
    assert (decision.person, decision.due) == (fresh, add_working_days(TODAY - dt.timedelta(days=1), 3))


def test_a_positive_test_followed_by_a_decision_is_no_longer_due(police, person):
    DrugTestFactory(person=person, tested_on=TODAY - dt.timedelta(days=5), result=Result.POSITIVE)
    EpisodeFactory(person=person, started_on=TODAY - dt.timedelta(days=3))
    assert "decision_due" not in {item.category for item in deadlines_for_user(police)}


def test_the_counts_are_those_of_the_listed_items_without_building_them(police, person, neighbour,
                                                                         count_queries, monkeypatch):
    _fill(person)
    _fill(neighbour)
    for days in (1, 4, 9, 30):  # decisions due in the future and overdue, across weekends
        DrugTestFactory(person=PersonFactory(khom=person.khom), tested_on=TODAY - dt.timedelta(days=days),
                        result=Result.POSITIVE)
    items = deadlines_for_user(police)
    counts = deadline_counts_for_user(police)
    for category in {"episode_end", "test_overdue", "decision_due", "window_256a", "move_unnotified"}:
        listed = [item for item in items if item.category == category]
        assert counts[category] == (len(listed), sum(1 for item in listed if item.due < TODAY)), category
    assert sum(overdue for _total, overdue in counts.values()) > 0
    # The same cap per category as the page.
    monkeypatch.setattr("apps.subjects.selectors.DEADLINE_LIMIT", 1)
    assert all(total <= 1 for total, _overdue in deadline_counts_for_user(police).values())


def test_deadlines_stay_within_the_scope_of_the_user(khom_officer, other_police, person, neighbour):
    _fill(person)
    _fill(neighbour)
    assert {item.person for item in deadlines_for_user(khom_officer)} == {person}
    assert deadlines_for_user(other_police) == []


def test_the_deadlines_page_lists_the_items(client_for, leader, person):
    _fill(person)
    response = client_for(leader).get(DEADLINES)
    assert response.status_code == 200
    assert "Nguyễn Văn Đức" in response.content.decode()


def test_the_deadlines_page_marks_overdue_items_and_only_those(client_for, police, person, neighbour):
    # A move not told to the police is due the day after: three days ago is overdue, today is not yet.
    ResidenceMoveFactory(person=person, kind=MoveKind.MOVE_IN, moved_on=TODAY - dt.timedelta(days=3))
    ResidenceMoveFactory(person=neighbour, kind=MoveKind.MOVE_IN, moved_on=TODAY)
    html = client_for(police).get(DEADLINES).content.decode()
    rows = {name: row for row in html.split("<tr>") for name in ("Nguyễn Văn Đức", "Trần Thị Đào") if name in row}
    assert "badge text-bg-danger" in rows["Nguyễn Văn Đức"] and "quá hạn" in rows["Nguyễn Văn Đức"]
    assert "badge" not in rows["Trần Thị Đào"] and "quá hạn" not in rows["Trần Thị Đào"]


def test_the_deadlines_page_issues_the_same_number_of_queries_at_two_sizes(client_for, police, khom, count_queries):
    client = client_for(police)
    for _ in range(2):
        _fill(PersonFactory(khom=khom))
    small = count_queries(lambda: client.get(DEADLINES))
    for _ in range(20):
        _fill(PersonFactory(khom=khom))
    assert count_queries(lambda: client.get(DEADLINES)) == small
