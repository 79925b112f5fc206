"""The deadlines page: what is due in the user's scope, most urgent first."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.subjects.choices import EndReason, MoveKind
from apps.subjects.choices import TestResult as Result
from apps.core.choices import CalendarExceptionKind
from apps.core.models import CalendarException
from apps.core.periods import add_months
from apps.core.workdays import add_working_days
from apps.subjects.models import Person
from apps.subjects.selectors import (DEADLINE_CATEGORIES, Deadline, deadline_counts_for_user, deadlines_for_user,
                                    window_256a_until)
from apps.subjects.services import person_sync_status
from tests.factories.subjects import (DrugTestFactory, EpisodeFactory, EpisodeKindFactory, PersonFactory,
                                     ResidenceMoveFactory, seeded_kind)

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
DEADLINES = reverse("subjects:deadlines")


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
    # Tasks only: the art. 256a window of the ended post-rehab episode is a badge, not a row (issue 18 §6).
    assert {item.category for item in items} == {"episode_end", "test_overdue", "decision_due", "move_unnotified"}
    assert [item.due for item in items] == sorted(item.due for item in items)
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
    for category in {"episode_end", "test_overdue", "decision_due", "move_unnotified"}:
        listed = [item for item in items if item.category == category]
        assert counts[category] == (len(listed), sum(1 for item in listed if item.due < TODAY)), category
    assert sum(overdue for _total, overdue in counts.values()) > 0
    # The same cap per category as the page.
    monkeypatch.setattr("apps.subjects.selectors.DEADLINE_LIMIT", 1)
    assert all(total <= 1 for total, _overdue in deadline_counts_for_user(police).values())


def _days(n):
    return TODAY - dt.timedelta(days=n)


def _of(items, category):
    return {item.person.full_name: item for item in items if item.category == category}


def test_each_item_names_its_category_and_what_it_is_about(police, person, khom):
    _fill(person)
    tested = PersonFactory(khom=khom, full_name="Huỳnh Văn Tâm")
    DrugTestFactory(person=tested, tested_on=_days(1), result=Result.POSITIVE, substances="Methamphetamine")
    unmanaged = PersonFactory(khom=khom, full_name="Võ Văn Hết")
    Person.objects.filter(pk=unmanaged.pk).update(next_test_due=_days(5))  # overdue, no open episode any more
    items = deadlines_for_user(police)
    assert all(item.label == DEADLINE_CATEGORIES[item.category] for item in items)
    illegal_user, post_rehab = seeded_kind("illegal_user").name, seeded_kind("post_rehab").name
    assert _of(items, "episode_end")["Nguyễn Văn Đức"].detail == illegal_user
    assert {name: item.detail for name, item in _of(items, "test_overdue").items()} == {
        "Nguyễn Văn Đức": illegal_user, "Võ Văn Hết": ""}
    assert _of(items, "decision_due")["Huỳnh Văn Tâm"].detail == f"{_days(1):%d/%m/%Y} Methamphetamine"
    assert "window_256a" not in {item.category for item in items} and post_rehab
    assert _of(items, "move_unnotified")["Nguyễn Văn Đức"].detail == str(MoveKind.MOVE_IN.label)


def test_under_the_cap_each_category_keeps_its_most_urgent_items(police, khom, monkeypatch):
    monkeypatch.setattr("apps.subjects.selectors.DEADLINE_LIMIT", 1)
    # In each pair the less urgent is recorded first, so the order of the rows does not give the answer.
    for label, days in (("ít gấp", 0), ("gấp nhất", 20)):
        ending = PersonFactory(khom=khom, full_name=f"Hết hạn {label}")
        EpisodeFactory(person=ending, kind=seeded_kind("illegal_user"), started_on=_days(340 + days))
        late = PersonFactory(khom=khom, full_name=f"Quá hạn {label}")
        Person.objects.filter(pk=late.pk).update(next_test_due=_days(2 + days))
        DrugTestFactory(person=PersonFactory(khom=khom, full_name=f"Dương tính {label}"), tested_on=_days(1 + days),
                        result=Result.POSITIVE)
        EpisodeFactory(person=PersonFactory(khom=khom, full_name=f"Sau cai {label}"), kind=seeded_kind("post_rehab"),
                       started_on=_days(500), actual_end=_days(10 + 5 * days), end_reason=EndReason.TERM_COMPLETED)
        ResidenceMoveFactory(person=PersonFactory(khom=khom, full_name=f"Chuyển {label}"), moved_on=_days(1 + days))
    items = deadlines_for_user(police)
    names = {item.category: item.person.full_name for item in items}
    assert len(items) == 4 and all(name.endswith("gấp nhất") for name in names.values()), names


def test_a_positive_test_awaits_a_decision_only_if_that_person_was_not_managed_then_nor_since(police, khom):
    def positive(name, days_ago=5, result=Result.POSITIVE):
        someone = PersonFactory(khom=khom, full_name=name)
        DrugTestFactory(person=someone, tested_on=_days(days_ago), result=result)
        return someone

    positive("Chưa quản lý")
    EpisodeFactory(person=positive("Đang quản lý"), started_on=_days(100))
    EpisodeFactory(person=positive("Hết quản lý trước đó"), started_on=_days(400), actual_end=_days(30),
                   end_reason=EndReason.TERM_COMPLETED)
    EpisodeFactory(person=positive("Hết quản lý sau đó"), started_on=_days(400), actual_end=_days(2),
                   end_reason=EndReason.TERM_COMPLETED)
    EpisodeFactory(person=positive("Đã có quyết định"), started_on=_days(2))
    positive("Âm tính", result=Result.NEGATIVE)
    positive("Quá cũ", days_ago=200)
    EpisodeFactory(person=PersonFactory(khom=khom), started_on=_days(1))  # someone else's decision settles nothing
    due = _of(deadlines_for_user(police), "decision_due")
    assert set(due) == {"Chưa quản lý", "Hết quản lý trước đó"}
    assert due["Chưa quản lý"].due == add_working_days(_days(5), 3)


def test_the_256a_window_follows_each_kinds_own_length_after_the_episode_ended(police, khom):
    """Not a task any more (issue 18 §6): the badge's last day, and the people list's filter."""
    short = EpisodeKindFactory(window_after_end_months=1, priority=5)
    people = {}

    def ended(name, kind, days_ago):
        people[name] = PersonFactory(khom=khom, full_name=name)
        EpisodeFactory(person=people[name], kind=kind, started_on=_days(days_ago + 100),
                       actual_end=_days(days_ago), end_reason=EndReason.TERM_COMPLETED)

    ended("Sau cai 100 ngày", seeded_kind("post_rehab"), 100)
    ended("Sau cai 30 tháng", seeded_kind("post_rehab"), 900)
    ended("Ngắn 10 ngày", short, 10)
    ended("Ngắn 40 ngày", short, 40)
    ended("Không có thời gian theo dõi", seeded_kind("illegal_user"), 10)
    until = {name: window_256a_until(person, TODAY) for name, person in people.items()}
    assert until == {"Sau cai 100 ngày": add_months(_days(100), 24), "Sau cai 30 tháng": None,
                     "Ngắn 10 ngày": add_months(_days(10), 1), "Ngắn 40 ngày": None,
                     "Không có thời gian theo dõi": None}
    assert "window_256a" not in {item.category for item in deadlines_for_user(police)}


def test_a_move_is_due_to_be_told_the_day_after_and_listed_only_while_untold_and_recent(police, khom):
    ResidenceMoveFactory(person=PersonFactory(khom=khom, full_name="Chưa báo"), moved_on=_days(3))
    ResidenceMoveFactory(person=PersonFactory(khom=khom, full_name="Đã báo"), moved_on=_days(3), notified_on=_days(2))
    ResidenceMoveFactory(person=PersonFactory(khom=khom, full_name="Quá cũ"), moved_on=_days(400))
    moves = _of(deadlines_for_user(police), "move_unnotified")
    assert set(moves) == {"Chưa báo"} and moves["Chưa báo"].due == _days(2)


def test_deadlines_stay_within_the_scope_of_the_user(khom_officer, other_police, person, neighbour):
    _fill(person)
    _fill(neighbour)
    assert {item.person for item in deadlines_for_user(khom_officer)} == {person}
    assert deadlines_for_user(other_police) == []


def _decision_due(user, khom, tested_on: dt.date, today: dt.date) -> dt.date:
    """The decision deadline listed (and counted), as of *today*, for a positive test in *khom* on *tested_on*."""
    DrugTestFactory(person=PersonFactory(khom=khom), tested_on=tested_on, result=Result.POSITIVE)
    [item] = [item for item in deadlines_for_user(user, today=today) if item.category == "decision_due"]
    counts = deadline_counts_for_user(user, today=today)["decision_due"]
    assert counts == (1, int(item.due < today))
    return item.due


@pytest.mark.parametrize("tested_on, due", [
    # Thu 12/02 → Fri 13/02 (1); Sat 14 to Sun 22/02 Tết off; Mon 23/02 (2), Tue 24/02 (3).
    (dt.date(2026, 2, 12), dt.date(2026, 2, 24)),
    # Fri 13/02 → Tết; Mon 23/02 (1), Tue 24/02 (2), Wed 25/02 (3).
    (dt.date(2026, 2, 13), dt.date(2026, 2, 25)),
    # Wed 19/08 → Thu 20/08 (1), Fri 21/08 (2), Sat 22/08 (3: the make-up working day).
    (dt.date(2026, 8, 19), dt.date(2026, 8, 22)),
    # Fri 28/08 → weekend; Mon 31/08 swapped off; Tue 01/09 and Wed 02/09 Quốc khánh;
    # Thu 03/09 (1), Fri 04/09 (2); weekend; Mon 07/09 (3).
    (dt.date(2026, 8, 28), dt.date(2026, 9, 7)),
])
def test_the_decision_deadline_follows_the_official_2026_calendar(police, khom, tested_on, due):
    assert _decision_due(police, khom, tested_on, today=tested_on + dt.timedelta(days=1)) == due


def test_an_announced_day_off_pushes_the_decision_deadline(police, khom):
    """Mon 23/02/2026 declared off: Thu 12/02 → Fri 13/02 (1), Tue 24/02 (2), Wed 25/02 (3)."""
    CalendarException.objects.create(date=dt.date(2026, 2, 23), kind=CalendarExceptionKind.DAY_OFF, name="Nghỉ")
    assert _decision_due(police, khom, dt.date(2026, 2, 12), today=dt.date(2026, 2, 13)) == dt.date(2026, 2, 25)


def test_a_make_up_saturday_pulls_the_decision_deadline(police, khom):
    """Sat 14/02/2026 declared a working day: Thu 12/02 → Fri 13/02 (1), Sat 14/02 (2), Mon 23/02 (3)."""
    CalendarException.objects.create(date=dt.date(2026, 2, 14), kind=CalendarExceptionKind.WORKING_DAY, name="Làm bù")
    assert _decision_due(police, khom, dt.date(2026, 2, 12), today=dt.date(2026, 2, 13)) == dt.date(2026, 2, 23)


def test_the_deadlines_page_lists_the_items(client_for, leader, person):
    _fill(person)
    response = client_for(leader).get(DEADLINES)
    assert response.status_code == 200
    assert "Nguyễn Văn Đức" in response.content.decode()


def test_the_deadlines_page_says_holidays_and_announced_swaps_are_excluded(client_for, police, person):
    DrugTestFactory(person=person, tested_on=TODAY - dt.timedelta(days=1), result=Result.POSITIVE)
    page = client_for(police).get(DEADLINES).content.decode()
    assert "chưa trừ ngày lễ" not in page
    assert "ngày lễ, Tết và ngày nghỉ hoán đổi theo thông báo của Chính phủ" in page
    assert f"{add_working_days(TODAY - dt.timedelta(days=1), 3):%d/%m/%Y}" in page


def test_the_deadlines_page_names_the_coming_days_off_and_make_up_days(client_for, police, person):
    CalendarException.objects.create(date=TODAY + dt.timedelta(days=10), kind=CalendarExceptionKind.DAY_OFF,
                                     name="Nghỉ theo thông báo thử")
    page = client_for(police).get(DEADLINES).content.decode()
    assert f"{TODAY + dt.timedelta(days=10):%d/%m/%Y} (nghỉ: Nghỉ theo thông báo thử)" in page


def test_the_deadlines_page_marks_overdue_items_and_only_those(client_for, police, person, neighbour):
    # A move not told to the police is due the day after: three days ago is overdue, today is not yet.
    ResidenceMoveFactory(person=person, kind=MoveKind.MOVE_IN, moved_on=TODAY - dt.timedelta(days=3))
    ResidenceMoveFactory(person=neighbour, kind=MoveKind.MOVE_IN, moved_on=TODAY)
    html = client_for(police).get(DEADLINES).content.decode()
    rows = {name: row for row in html.split("<tr") for name in ("Nguyễn Văn Đức", "Trần Thị Đào") if name in row}
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
