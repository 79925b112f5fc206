"""Reads of the register: a person's timeline and the deadlines page."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from apps.core.periods import add_months
from apps.core.workdays import WorkingCalendar

from .choices import TestResult
from .models import DrugTest, Episode, EpisodeKind, Person, ResidenceMove
from .transfers import TRANSFER_WORKING_DAYS, transfer_tasks

DEADLINE_HORIZON_DAYS = 30
DECISION_WORKING_DAYS = 3
# Older positive tests without a decision are history, not a to-do; this also bounds the query.
POSITIVE_TEST_LOOKBACK_DAYS = 180
MOVE_LOOKBACK_DAYS = 365
# Each category is capped so the page stays fast at province scale; the most urgent come first.
DEADLINE_LIMIT = 300


def deadline_calendar(today: dt.date) -> WorkingCalendar:
    """The working-day calendar over every date the deadline categories read (one query)."""
    return WorkingCalendar(today - dt.timedelta(days=POSITIVE_TEST_LOOKBACK_DAYS),
                           today + dt.timedelta(days=DEADLINE_HORIZON_DAYS))


def person_timeline(person: Person) -> list[dict]:
    """Episodes, tests, moves and support of *person* in one list, newest first."""
    items = []
    for episode in person.episodes.select_related("kind"):
        items.append({"date": episode.started_on, "type": "episode", "object": episode})
    for test in person.tests.all():
        items.append({"date": test.tested_on, "type": "test", "object": test})
    for move in person.moves.select_related("from_khom", "to_khom"):
        items.append({"date": move.moved_on, "type": "move", "object": move})
    for support in person.supports.all():
        items.append({"date": support.given_on, "type": "support", "object": support})
    items.sort(key=lambda item: (item["date"], item["object"].pk), reverse=True)
    return items


@dataclass
class Deadline:
    """One thing to do about one person, with the date it is (or was) due."""

    category: str
    label: str
    person: Person
    due: dt.date
    detail: str = ""

    @property
    def overdue(self) -> bool:
        return self.due < dt.date.today()


DEADLINE_CATEGORIES = {
    "episode_end": _("Đợt quản lý sắp hết hạn"),
    "test_overdue": _("Quá hạn xét nghiệm"),
    "decision_due": _("Cần ra quyết định quản lý sau khi dương tính"),
    "window_256a": _("Trong thời gian theo dõi theo Điều 256a BLHS"),
    "move_unnotified": _("Chuyển nơi cư trú chưa báo Công an"),
    "transfer_send": _("Gửi hồ sơ chuyển đi trong 5 ngày làm việc"),
}


@dataclass
class _Source:
    """One deadline category: its rows (most urgent first), how to read a row's due date, and its detail."""

    category: str
    queryset: object
    due_fields: tuple          # the fields the due date is computed from
    due: object                # (*due field values) -> date
    detail: object             # row -> str
    joins: tuple               # select_related() for the page's rows
    person: object = None      # row -> Person (default: row.person)


def _deadline_sources(user, today: dt.date, calendar: WorkingCalendar) -> list[_Source]:
    """The categories of the deadlines page, one unsliced queryset each, ordered by due date then pk
    (so the page and the dashboard's counts keep the same rows under the cap); working days from *calendar*."""
    person_joins = ("person", "person__khom", "person__status")
    sources = [
        _Source("episode_end",
                Episode.objects.for_user(user).open()
                .filter(planned_end__lte=today + dt.timedelta(days=DEADLINE_HORIZON_DAYS)).order_by("planned_end", "pk"),
                ("planned_end",), lambda planned_end: planned_end, lambda episode: str(episode.kind),
                ("kind", *person_joins)),
        _Source("test_overdue",
                Person.objects.for_user(user).filter(next_test_due__lte=today).order_by("next_test_due", "pk"),
                ("next_test_due",), lambda due: due, lambda person: str(person.status or ""),
                ("khom", "khom__ward", "status"), person=lambda person: person),
    ]
    # A positive test of someone not under management then, with no episode opened since.
    managed_then = Episode.objects.filter(person=OuterRef("person"), started_on__lte=OuterRef("tested_on")).filter(
        Q(actual_end__isnull=True) | Q(actual_end__gte=OuterRef("tested_on")))
    opened_since = Episode.objects.filter(person=OuterRef("person"), started_on__gte=OuterRef("tested_on"))
    sources.append(_Source(
        "decision_due",
        DrugTest.objects.for_user(user)
        .filter(result=TestResult.POSITIVE, tested_on__gte=today - dt.timedelta(days=POSITIVE_TEST_LOOKBACK_DAYS))
        .filter(~Exists(managed_then), ~Exists(opened_since)).order_by("tested_on", "pk"),
        ("tested_on",), lambda tested_on: calendar.add_working_days(tested_on, DECISION_WORKING_DAYS),
        lambda test: f"{test.tested_on:%d/%m/%Y} {test.substances}".strip(), person_joins))
    # The window length is data per kind, so the condition is built from the (few) kinds that have one.
    window = Q()
    for kind in EpisodeKind.objects.filter(window_after_end_months__gt=0):
        window |= Q(kind=kind, actual_end__gt=add_months(today, -kind.window_after_end_months))
    if window:
        sources.append(_Source(
            "window_256a",
            Episode.objects.for_user(user).filter(window, actual_end__isnull=False).order_by("actual_end", "pk"),
            ("actual_end", "kind__window_after_end_months"), add_months, lambda episode: str(episode.kind),
            ("kind", *person_joins)))
    sources.append(_Source(
        "move_unnotified",
        ResidenceMove.objects.for_user(user)
        .filter(notified_on__isnull=True, moved_on__gte=today - dt.timedelta(days=MOVE_LOOKBACK_DAYS))
        .order_by("moved_on", "pk"),
        ("moved_on",), lambda moved_on: moved_on + dt.timedelta(days=1), lambda move: move.get_kind_display(),
        person_joins))
    # A record to send to another ward (issue 18 §3), until it is sent.
    sources.append(_Source(
        "transfer_send", transfer_tasks(user), ("start_on",),
        lambda start_on: calendar.add_working_days(start_on, TRANSFER_WORKING_DAYS),
        lambda transfer: f"→ {transfer.to_ward.name}", ("to_ward", *person_joins)))
    return sources


def deadlines_for_user(user, today: dt.date | None = None, calendar: WorkingCalendar | None = None) -> list[Deadline]:
    """Everything due within the user's scope, most urgent (earliest due) first.

    One query per category whatever the number of people, and one for the calendar unless
    *calendar* (from deadline_calendar) is given; each category capped at DEADLINE_LIMIT.
    """
    today = today or dt.date.today()
    items = []
    for source in _deadline_sources(user, today, calendar or deadline_calendar(today)):
        for row in source.queryset.select_related(*source.joins)[:DEADLINE_LIMIT]:
            person = source.person(row) if source.person else row.person
            due = source.due(*(_field(row, name) for name in source.due_fields))
            items.append(Deadline(source.category, DEADLINE_CATEGORIES[source.category], person, due,
                                  source.detail(row)))
    items.sort(key=lambda item: (item.due, item.category, item.person.full_name))
    return items


def deadline_counts_for_user(user, today: dt.date | None = None,
                             calendar: WorkingCalendar | None = None) -> dict[str, tuple[int, int]]:
    """{category: (items, of which overdue)}: what deadlines_for_user() lists, without building it.

    The same rows and the same cap per category, but only the due dates are read (no people,
    khóm or kinds are built): the dashboard needs the counts only.
    """
    today = today or dt.date.today()
    counts = {}
    for source in _deadline_sources(user, today, calendar or deadline_calendar(today)):
        dues = [source.due(*values) for values in source.queryset.values_list(*source.due_fields)[:DEADLINE_LIMIT]]
        counts[source.category] = (len(dues), sum(1 for due in dues if due < today))
    return counts


def _field(row, path: str):
    for name in path.split("__"):
        row = getattr(row, name)
    return row
