"""Reads of the register: a person's timeline and the deadlines page."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .choices import TestResult
from .models import DrugTest, Episode, EpisodeKind, Person, ResidenceMove, add_months

DEADLINE_HORIZON_DAYS = 30
DECISION_WORKING_DAYS = 3
# Older positive tests without a decision are history, not a to-do; this also bounds the query.
POSITIVE_TEST_LOOKBACK_DAYS = 180
MOVE_LOOKBACK_DAYS = 365
# Each category is capped so the page stays fast at province scale; the most urgent come first.
DEADLINE_LIMIT = 300


def add_working_days(day: dt.date, count: int) -> dt.date:
    """*day* plus *count* working days (Monday–Friday; public holidays are not known to the app)."""
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


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
}


def deadlines_for_user(user, today: dt.date | None = None) -> list[Deadline]:
    """Everything due within the user's scope, most urgent (earliest due) first.

    One query per category whatever the number of people.
    """
    today = today or dt.date.today()
    person_joins = ["person", "person__khom", "person__status"]
    items = []

    episodes = (Episode.objects.for_user(user).open().select_related("kind", *person_joins)
                .filter(planned_end__lte=today + dt.timedelta(days=DEADLINE_HORIZON_DAYS))
                .order_by("planned_end")[:DEADLINE_LIMIT])
    for episode in episodes:
        items.append(Deadline("episode_end", DEADLINE_CATEGORIES["episode_end"], episode.person,
                              episode.planned_end, str(episode.kind)))

    people = (Person.objects.for_user(user).with_related().filter(next_test_due__lte=today)
              .order_by("next_test_due")[:DEADLINE_LIMIT])
    for person in people:
        items.append(Deadline("test_overdue", DEADLINE_CATEGORIES["test_overdue"], person, person.next_test_due,
                              str(person.status or "")))

    # A positive test of someone not under management then, with no episode opened since.
    managed_then = Episode.objects.filter(person=OuterRef("person"), started_on__lte=OuterRef("tested_on")).filter(
        Q(actual_end__isnull=True) | Q(actual_end__gte=OuterRef("tested_on")))
    opened_since = Episode.objects.filter(person=OuterRef("person"), started_on__gte=OuterRef("tested_on"))
    positives = (DrugTest.objects.for_user(user).select_related(*person_joins)
                 .filter(result=TestResult.POSITIVE,
                         tested_on__gte=today - dt.timedelta(days=POSITIVE_TEST_LOOKBACK_DAYS))
                 .filter(~Exists(managed_then), ~Exists(opened_since))
                 .order_by("tested_on")[:DEADLINE_LIMIT])
    for test in positives:
        items.append(Deadline("decision_due", DEADLINE_CATEGORIES["decision_due"], test.person,
                              add_working_days(test.tested_on, DECISION_WORKING_DAYS),
                              f"{test.tested_on:%d/%m/%Y} {test.substances}".strip()))

    # The window length is data per kind, so the condition is built from the (few) kinds that have one.
    window = Q()
    for kind in EpisodeKind.objects.filter(window_after_end_months__gt=0):
        window |= Q(kind=kind, actual_end__gt=add_months(today, -kind.window_after_end_months))
    if window:
        ended = (Episode.objects.for_user(user).select_related("kind", *person_joins)
                 .filter(window, actual_end__isnull=False).order_by("actual_end")[:DEADLINE_LIMIT])
        for episode in ended:
            items.append(Deadline("window_256a", DEADLINE_CATEGORIES["window_256a"], episode.person,
                                  add_months(episode.actual_end, episode.kind.window_after_end_months),
                                  str(episode.kind)))

    moves = (ResidenceMove.objects.for_user(user).select_related(*person_joins)
             .filter(notified_on__isnull=True, moved_on__gte=today - dt.timedelta(days=MOVE_LOOKBACK_DAYS))
             .order_by("moved_on")[:DEADLINE_LIMIT])
    for move in moves:
        items.append(Deadline("move_unnotified", DEADLINE_CATEGORIES["move_unnotified"], move.person,
                              move.moved_on + dt.timedelta(days=1), move.get_kind_display()))

    items.sort(key=lambda item: (item.due, item.category, item.person.full_name))
    return items
