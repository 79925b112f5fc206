"""Reads of the register: a person's timeline, the work list (deadlines) and the art. 256a window."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import (DateField, DateTimeField, DurationField, Exists, ExpressionWrapper, F, Func, OuterRef, Q,
                              Subquery)
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.periods import add_months
from apps.core.validators import today_in_vietnam
from apps.core.workdays import WorkingCalendar

from .choices import TestResult
from .models import DrugTest, Episode, EpisodeKind, Person, ResidenceMove, RuleBook
from .transfers import transfer_tasks

DEADLINE_HORIZON_DAYS = 30
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
    """One thing to do about one person: what is due and when, what to do, and the form that does it."""

    category: str
    label: str
    person: Person
    due: dt.date
    detail: str = ""
    action: str = ""
    url: str = ""
    today: dt.date | None = None

    @property
    def overdue(self) -> bool:
        return self.due < (self.today or today_in_vietnam())


# The work list's tasks (issue 18 §6): something for someone to do, each with the form that does it. Who is
# inside the art. 256a window is not a task: it is a badge on the person's record and a filter of the
# people list (window_256a_people).
DEADLINE_CATEGORIES = {
    "decision_due": _("Cần ra quyết định quản lý sau khi dương tính"),
    "decision_renew": _("Dương tính trong thời hạn quản lý: cần quyết định mới"),
    "test_overdue": _("Quá hạn xét nghiệm"),
    "episode_end": _("Đợt quản lý sắp hết hạn"),
    "move_unnotified": _("Chuyển nơi cư trú chưa báo Công an"),
    "transfer_send": _("Gửi hồ sơ chuyển đi (hạn theo quy định quản lý)"),
}
DEADLINE_ACTIONS = {
    "decision_due": _("Mở đợt quản lý theo quyết định của Chủ tịch UBND phường"),
    "decision_renew": _("Ghi quyết định quản lý mới; thời hạn tính lại từ đầu"),
    "test_overdue": _("Ghi kết quả xét nghiệm"),
    "episode_end": _("Kết thúc đợt quản lý khi hết hạn"),
    "move_unnotified": _("Ghi ngày báo Công an"),
    "transfer_send": _("Gửi hồ sơ cho phường nhận"),
}
# How far back the overdue cut-off of a working-day deadline is searched: more than any rule's days plus Tết.
_CUTOFF_SEARCH_DAYS = 120


@dataclass
class DeadlineFilters:
    """What the work list is narrowed to: one category, one khóm, overdue only (each optional)."""

    category: str | None = None
    ward: object = None
    khom: object = None
    overdue: bool = False


@dataclass
class _Source:
    """One task category: its rows (most urgent first), how to read a row's due date, its detail and its form."""

    category: str
    queryset: object
    due_fields: tuple          # the fields the due date is computed from
    due: object                # (*due field values) -> date
    detail: object             # row -> str
    joins: tuple               # select_related() for the page's rows
    khom_path: str             # the row's path to the person's khóm
    overdue: Q                 # the rows whose due date is before today
    url: object                # row -> the form that does the task
    person: object = None      # row -> Person (default: row.person)


def _overdue_cutoff(today: dt.date, calendar: WorkingCalendar, days_on) -> dt.date:
    """The first start day whose working-day deadline (``days_on(start)`` working days after it) is today or
    later: a task started before it is overdue. A deadline moves forward with its start, so one scan back
    from today finds it, with no query (the calendar covers the range)."""
    day = today
    for _step in range(_CUTOFF_SEARCH_DAYS):
        before = day - dt.timedelta(days=1)
        if calendar.add_working_days(before, days_on(before)) < today:
            break
        day = before
    return day


def _deadline_sources(user, today: dt.date, calendar: WorkingCalendar, rules: RuleBook,
                      filters: DeadlineFilters) -> list[_Source]:
    """The task categories of the work list, one unsliced queryset each, ordered by due date then pk
    (so the page and the dashboard's counts keep the same rows under the cap); working days from *calendar*
    and the figures from the rules in force (*rules*). Only the categories *filters* keep are built."""
    wanted = [filters.category] if filters.category else list(DEADLINE_CATEGORIES)
    person_joins = ("person", "person__khom", "person__status")
    sources = []

    def decision_days(day):
        return rules.on(day).decision_working_days

    def transfer_days(day):
        return rules.on(day).transfer_working_days

    if "decision_due" in wanted:
        # A positive test of someone not under management then, with no episode opened since.
        managed_then = Episode.objects.filter(person=OuterRef("person"), started_on__lte=OuterRef("tested_on")).filter(
            Q(actual_end__isnull=True) | Q(actual_end__gte=OuterRef("tested_on")))
        opened_since = Episode.objects.filter(person=OuterRef("person"), started_on__gte=OuterRef("tested_on"))
        sources.append(_Source(
            "decision_due",
            DrugTest.objects.for_user(user)
            .filter(result=TestResult.POSITIVE, tested_on__gte=today - dt.timedelta(days=POSITIVE_TEST_LOOKBACK_DAYS))
            .filter(~Exists(managed_then), ~Exists(opened_since)).order_by("tested_on", "pk"),
            ("tested_on",), lambda tested_on: calendar.add_working_days(tested_on, decision_days(tested_on)),
            lambda test: f"{test.tested_on:%d/%m/%Y} {test.substances}".strip(), person_joins, "person__khom",
            Q(tested_on__lt=_overdue_cutoff(today, calendar, decision_days)),
            lambda test: reverse("subjects:episode_create", args=[test.person_id])))
    if "decision_renew" in wanted:
        # A positive test during an open episode of a kind whose term restarts on a new use (issue 18 §2),
        # with no decision since: the new decision is due as the first was.
        restarting = Episode.objects.filter(person=OuterRef("person"), actual_end__isnull=True,
                                            kind__restarts_on_positive_test=True,
                                            started_on__lt=OuterRef("tested_on"))
        decided_since = Episode.objects.filter(person=OuterRef("person"), started_on__gte=OuterRef("tested_on"))
        sources.append(_Source(
            "decision_renew",
            DrugTest.objects.for_user(user)
            .filter(result=TestResult.POSITIVE, tested_on__gte=today - dt.timedelta(days=POSITIVE_TEST_LOOKBACK_DAYS))
            .filter(Exists(restarting), ~Exists(decided_since))
            .annotate(_episode=Subquery(restarting.order_by("-started_on", "-pk").values("pk")[:1]))
            .order_by("tested_on", "pk"),
            ("tested_on",), lambda tested_on: calendar.add_working_days(tested_on, decision_days(tested_on)),
            lambda test: f"{test.tested_on:%d/%m/%Y} {test.substances}".strip(), person_joins, "person__khom",
            Q(tested_on__lt=_overdue_cutoff(today, calendar, decision_days)),
            lambda test: f"{reverse('subjects:episode_restart', args=[test._episode])}?test={test.pk}"))
    if "test_overdue" in wanted:
        sources.append(_Source(
            "test_overdue",
            Person.objects.for_user(user).filter(next_test_due__lte=today).order_by("next_test_due", "pk"),
            ("next_test_due",), lambda due: due, lambda person: str(person.status or ""),
            ("khom", "khom__ward", "status"), "khom", Q(next_test_due__lt=today),
            lambda person: reverse("subjects:test_create", args=[person.pk]), person=lambda person: person))
    if "episode_end" in wanted:
        sources.append(_Source(
            "episode_end",
            Episode.objects.for_user(user).open()
            .filter(planned_end__lte=today + dt.timedelta(days=DEADLINE_HORIZON_DAYS)).order_by("planned_end", "pk"),
            ("planned_end",), lambda planned_end: planned_end, lambda episode: str(episode.kind),
            ("kind", *person_joins), "person__khom", Q(planned_end__lt=today),
            lambda episode: reverse("subjects:episode_close", args=[episode.pk])))
    if "move_unnotified" in wanted:
        # Due the day after the move (Law 120/2025: the police told within 24 hours).
        sources.append(_Source(
            "move_unnotified",
            ResidenceMove.objects.for_user(user)
            .filter(notified_on__isnull=True, moved_on__gte=today - dt.timedelta(days=MOVE_LOOKBACK_DAYS))
            .order_by("moved_on", "pk"),
            ("moved_on",), lambda moved_on: moved_on + dt.timedelta(days=1), lambda move: move.get_kind_display(),
            person_joins, "person__khom", Q(moved_on__lt=today - dt.timedelta(days=1)),
            lambda move: reverse("subjects:move_notify", args=[move.pk])))
    if "transfer_send" in wanted:
        # A record to send to another ward (issue 18 §3), until it is sent; the days are the rule's.
        sources.append(_Source(
            "transfer_send", transfer_tasks(user), ("start_on",),
            lambda start_on: calendar.add_working_days(start_on, transfer_days(start_on)),
            lambda transfer: f"→ {transfer.to_ward.name}", ("to_ward", *person_joins), "person__khom",
            Q(start_on__lt=_overdue_cutoff(today, calendar, transfer_days)),
            lambda transfer: reverse("subjects:transfer_detail", args=[transfer.pk])))
    for source in sources:
        if filters.ward is not None:
            source.queryset = source.queryset.filter(**{f"{source.khom_path}__ward": filters.ward})
        if filters.khom is not None:
            source.queryset = source.queryset.filter(**{source.khom_path: filters.khom})
        if filters.overdue:
            source.queryset = source.queryset.filter(source.overdue)
    return sources


def deadlines_for_user(user, today: dt.date | None = None, calendar: WorkingCalendar | None = None,
                       filters: DeadlineFilters | None = None, rules: RuleBook | None = None) -> list[Deadline]:
    """Every task within the user's scope (narrowed by *filters*), most urgent (earliest due) first.

    One query per category whatever the number of people, one for the rules, and one for the calendar
    unless *calendar* (from deadline_calendar) is given; each category capped at DEADLINE_LIMIT.
    """
    today = today or today_in_vietnam()
    items = []
    sources = _deadline_sources(user, today, calendar or deadline_calendar(today), rules or RuleBook(),
                                filters or DeadlineFilters())
    for source in sources:
        for row in source.queryset.select_related(*source.joins)[:DEADLINE_LIMIT]:
            person = source.person(row) if source.person else row.person
            due = source.due(*(_field(row, name) for name in source.due_fields))
            items.append(Deadline(source.category, DEADLINE_CATEGORIES[source.category], person, due,
                                  source.detail(row), DEADLINE_ACTIONS[source.category], source.url(row), today))
    items.sort(key=lambda item: (item.due, item.category, item.person.full_name))
    return items


def deadline_counts_for_user(user, today: dt.date | None = None, calendar: WorkingCalendar | None = None,
                             filters: DeadlineFilters | None = None,
                             rules: RuleBook | None = None) -> dict[str, tuple[int, int]]:
    """{category: (items, of which overdue)}: what deadlines_for_user() lists, without building it.

    The same rows and the same cap per category, but only the due dates are read (no people,
    khóm or kinds are built): the dashboard needs the counts only.
    """
    today = today or today_in_vietnam()
    counts = {}
    sources = _deadline_sources(user, today, calendar or deadline_calendar(today), rules or RuleBook(),
                                filters or DeadlineFilters())
    for source in sources:
        dues = [source.due(*values) for values in source.queryset.values_list(*source.due_fields)[:DEADLINE_LIMIT]]
        counts[source.category] = (len(dues), sum(1 for due in dues if due < today))
    return counts


def _field(row, path: str):
    for name in path.split("__"):
        row = getattr(row, name)
    return row


# The art. 256a window (Criminal Code): a badge and a filter, not a task ---------------------------------

def window_256a_condition(today: dt.date, prefix: str = "") -> Q:
    """Episodes whose art. 256a window is running on *today*: ended, and today at most their kind's window later.

    A period in months counted from an event begins the next day and ends at the end of the corresponding
    day of its last month, or of that month's last day when it has none (Civil Code art. 147–148): ended
    15/06/2025 with 24 months, the window runs to 15/06/2027 inclusive; ended 31/01/2027 with one month,
    to 28/02/2027. The window length is data per kind, read by the database in the same query: the end plus
    the kind's months as PostgreSQL adds them (clamped to the month's last day, as add_months does).
    """
    months = Func(F(f"{prefix}kind__window_after_end_months"), function="make_interval",
                  template="make_interval(months => %(expressions)s)", output_field=DurationField())
    window_end = Cast(ExpressionWrapper(F(f"{prefix}actual_end") + months, output_field=DateTimeField()),
                      DateField())
    return Q(**{f"{prefix}actual_end__isnull": False, f"{prefix}actual_end__lte": today,
                f"{prefix}kind__window_after_end_months__gt": 0}) & Q(GreaterThanOrEqual(window_end, today))


def window_256a_until(person: Person, today: dt.date | None = None) -> dt.date | None:
    """The last day of the person's art. 256a window running today, or None (the badge on the record)."""
    today = today or today_in_vietnam()
    ends = [add_months(episode.actual_end, episode.kind.window_after_end_months)
            for episode in person.episodes.filter(actual_end__isnull=False, kind__window_after_end_months__gt=0)
            .select_related("kind")]
    running = [end for end in ends if end >= today]   # its last day included (window_256a_condition)
    return max(running) if running else None
