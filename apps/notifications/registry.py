"""Overdue-task counters for the daily digest, registered by the apps that own the tasks.

This app sits below the apps whose events it carries, so it cannot ask them for their
tasks; each such app registers a *source* instead, from its ``AppConfig.ready()``::

    from apps.notifications.registry import OverdueCount, register_overdue_source

    def overdue_tasks(today):            # called once per digest run
        calendar = ...                   # whatever the run can share between users
        def count(user):                 # called once per user
            return [OverdueCount(code="subjects.test_overdue", label=..., count=...,
                                 url="/subjects/deadlines/?category=test_overdue&overdue=1")]
        return count

    register_overdue_source("subjects.deadlines", overdue_tasks)

Counts and links only: a source never returns a person's name or anything that identifies one.
"""
from dataclasses import dataclass

_SOURCES = {}

DUPLICATE_SOURCE = "An overdue-task source named %r is already registered."


@dataclass(frozen=True)
class OverdueCount:
    """How many tasks of one kind are overdue for a user, and the page that lists them (a path).

    *code* names the kind of task for good (the inbox keeps one notice per code and user).
    """

    code: str
    label: str
    count: int
    url: str


def register_overdue_source(name: str, source) -> None:
    """Register *source(today) -> (user -> list[OverdueCount])* under *name* (once)."""
    if name in _SOURCES and _SOURCES[name] is not source:
        raise ValueError(DUPLICATE_SOURCE % name)
    _SOURCES[name] = source


def overdue_sources() -> dict:
    """{name: source}, in registration order."""
    return dict(_SOURCES)


def overdue_counter(today):
    """One callable for the whole run: user → the non-zero OverdueCounts of every source."""
    counters = [source(today) for source in _SOURCES.values()]

    def count(user) -> list[OverdueCount]:
        return [item for counter in counters for item in counter(user) if item.count > 0]

    return count
