"""Working days of Vietnam's public offices: Monday to Friday, less public holidays, with the announced swaps.

Two sources, the second winning over the first:

1. the ``holidays`` package (Vietnam): Tết Dương lịch, Tết Nguyên Đán, Giỗ Tổ
   Hùng Vương, 30/4, 1/5, Quốc khánh, the days off in lieu when a holiday falls
   on a weekend, and the swapped days off it knows of (e.g. 31/08/2026);
2. the administrator's CalendarException rows: an announced day off makes a
   working day free; a make-up working day (a Saturday worked in exchange for
   a swapped day off, which the package never models) makes a weekend day or a
   holiday count.

The package's data depends only on its pinned version, so it is cached per
year in the process. The exceptions are read from the database by every
WorkingCalendar (one query for the years it needs), never kept across calls:
several app servers must agree as soon as an administrator saves a change.
A page that computes many deadlines builds one WorkingCalendar for the range
it needs and passes it along (see apps.subjects.selectors).
"""
import datetime as dt
import functools
from dataclasses import dataclass

import holidays

from .choices import CalendarExceptionKind
from .models import CalendarException

# Public offices work Monday to Friday (the 40-hour week of QĐ 188/1999/QĐ-TTg).
WEEKEND = frozenset({5, 6})
# How far past the start add_working_days() loads at first: enough for Tết's nine days off and more.
_LOOKAHEAD_DAYS = 45


@functools.lru_cache(maxsize=32)
def package_holidays(year: int) -> dict[dt.date, str]:
    """{date: Vietnamese name} of the public holidays the ``holidays`` package knows for *year*."""
    return dict(holidays.Vietnam(years=year, language="vi"))


@dataclass(frozen=True)
class SpecialDay:
    """A day the calendar names: a holiday, an announced day off, or a make-up working day."""

    date: dt.date
    working: bool
    name: str


class WorkingCalendar:
    """The working-day calendar over some years, with the exceptions read once from the database.

    Built for the range a computation needs (one query); a date outside it
    loads its year with one more query, so results never depend on the range given.
    """

    def __init__(self, start: dt.date, end: dt.date | None = None):
        self._years: set[int] = set()
        self._exceptions: dict[dt.date, tuple[bool, str]] = {}
        self._load(start.year, (end or start).year)

    def _load(self, first: int, last: int) -> None:
        missing = [year for year in range(min(first, last), max(first, last) + 1) if year not in self._years]
        if not missing:
            return
        rows = CalendarException.objects.filter(
            date__gte=dt.date(missing[0], 1, 1), date__lte=dt.date(missing[-1], 12, 31)
        ).values_list("date", "kind", "name")
        for day, kind, name in rows:
            self._exceptions[day] = (kind == CalendarExceptionKind.WORKING_DAY, name)
        self._years.update(range(missing[0], missing[-1] + 1))

    def _exception(self, day: dt.date) -> tuple[bool, str] | None:
        if day.year not in self._years:
            self._load(day.year, day.year)
        return self._exceptions.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether public offices work on *day*."""
        exception = self._exception(day)
        if exception is not None:
            return exception[0]
        return day.weekday() not in WEEKEND and day not in package_holidays(day.year)

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The *count*-th working day after *day* (before it when *count* is negative); *day* itself when 0.

        "Within 3 working days of 12/02/2026" ends on add_working_days(12/02/2026, 3).
        """
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after *start* up to and including *end*; negative when *end* is before *start*."""
        if end < start:
            return -self.working_days_between(end, start)
        self._load(start.year, end.year)
        return sum(1 for offset in range(1, (end - start).days + 1)
                   if self.is_working_day(start + dt.timedelta(days=offset)))

    def special_days(self, start: dt.date, end: dt.date) -> list[SpecialDay]:
        """The named days from *start* to *end*: holidays and announced days off, and make-up working days."""
        self._load(start.year, end.year)
        days = []
        for offset in range((end - start).days + 1):
            day = start + dt.timedelta(days=offset)
            exception = self._exception(day)
            if exception is not None:
                days.append(SpecialDay(day, *exception))
            elif day in package_holidays(day.year):
                days.append(SpecialDay(day, False, package_holidays(day.year)[day]))
        return days


def is_working_day(day: dt.date) -> bool:
    """Whether public offices work on *day* (one query)."""
    return WorkingCalendar(day).is_working_day(day)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The *count*-th working day after *day* (usually one query; see WorkingCalendar.add_working_days)."""
    horizon = day + dt.timedelta(days=_LOOKAHEAD_DAYS if count >= 0 else -_LOOKAHEAD_DAYS)
    return WorkingCalendar(day, horizon).add_working_days(day, count)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after *start* up to and including *end* (one query per span of years)."""
    return WorkingCalendar(min(start, end), max(start, end)).working_days_between(start, end)
