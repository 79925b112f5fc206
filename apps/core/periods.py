"""Periods: the one type used by reports, the indicators' evaluation, the dashboard and the roadmap.

A period of a kind (month, quarter, half year, year) is named by its year and
number ("Quý IV/2026") and cut on a *start day*:

- 1, calendar periods: Quý IV/2026 is 01/10–31/12/2026, Năm 2026 is 01/01–31/12/2026;
- 15, the state's reporting periods (Nghị định 09/2019/NĐ-CP, QĐ 13/2019/QĐ-TTg):
  Quý IV/2026 is 15/09–14/12/2026 and Năm 2026 is 15/12/2025–14/12/2026, which is
  also the assessment year of QĐ 28/2025/QĐ-TTg.

A period cut on day d > 1 begins on day d of the month before its first month
and ends the day before day d of its last month. Every computation here takes
the start day as a keyword, 1 unless given, so that a period convention kept as
data only has to pass its day in.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .choices import PeriodKind

CALENDAR = 1
# Every month has a 28th, so every period of a convention has the same shape.
LAST_START_DAY = 28
MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.NINE_MONTHS: 9,
             PeriodKind.YEAR: 12}
# Kinds that do not tile the year: one per year, from the year's first day (9 months: 15/12–14/9).
YEAR_TO_DATE_KINDS = {PeriodKind.NINE_MONTHS}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def add_months(day: dt.date, months: int) -> dt.date:
    """*day* moved by *months* (back when negative), clamped to the last day of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _months(kind) -> int:
    return MONTHS_IN[PeriodKind(kind)]


def _check_start_day(start_day: int) -> None:
    if not CALENDAR <= start_day <= LAST_START_DAY:
        raise ValueError(f"a period's start day is 1–{LAST_START_DAY}, not {start_day!r}")


@dataclass(frozen=True)
class Period:
    """The days from *start* to *end* inclusive; a named period also has a *kind* and the *start_day* it is cut on.

    Two periods are equal when they cover the same days, whatever their kind:
    the indicators' batch counts such periods once.
    """

    start: dt.date
    end: dt.date
    kind: str | None = field(default=None, compare=False)
    start_day: int = field(default=CALENDAR, compare=False)

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("Period end before start")
        if self.kind is not None:
            _months(self.kind)  # an unknown kind is a ValueError here, not a wrong label later
        _check_start_day(self.start_day)

    # ------------------------------------------------------------ construction
    @classmethod
    def of(cls, kind: str, year: int, number: int = 1, *, start_day: int = CALENDAR) -> Period:
        """The *number*-th period of *kind* in *year*: ``Period.of("quarter", 2026, 4)`` is Quý IV/2026."""
        months = _months(kind)
        if not 1 <= number <= 12 // months:
            raise ValueError(f"there is no {kind} {number} in a year")
        return cls._from_first_month(kind, dt.date(year, (number - 1) * months + 1, 1), start_day)

    @classmethod
    def year(cls, year: int, *, start_day: int = CALENDAR) -> Period:
        return cls.of(PeriodKind.YEAR, year, start_day=start_day)

    @classmethod
    def half_year(cls, year: int, half: int, *, start_day: int = CALENDAR) -> Period:
        return cls.of(PeriodKind.HALF_YEAR, year, half, start_day=start_day)

    @classmethod
    def quarter(cls, year: int, quarter: int, *, start_day: int = CALENDAR) -> Period:
        return cls.of(PeriodKind.QUARTER, year, quarter, start_day=start_day)

    @classmethod
    def month(cls, year: int, month: int, *, start_day: int = CALENDAR) -> Period:
        return cls.of(PeriodKind.MONTH, year, month, start_day=start_day)

    @classmethod
    def containing(cls, kind: str, day: dt.date, *, start_day: int = CALENDAR) -> Period:
        """The period of *kind* that *day* falls in: 15/09/2026 is in Quý IV/2026 when cut on the 15th."""
        _check_start_day(start_day)
        first = day.replace(day=1)
        if start_day > CALENDAR and day.day >= start_day:
            first = add_months(first, 1)
        months = _months(kind)
        if kind in YEAR_TO_DATE_KINDS:
            period = cls._from_first_month(kind, first.replace(month=1), start_day)
            if day not in period:
                raise ValueError(f"{day} is in no {kind} period")
            return period
        return cls._from_first_month(kind, first.replace(month=(first.month - 1) // months * months + 1), start_day)

    @classmethod
    def starting(cls, kind: str, start: dt.date, *, start_day: int = CALENDAR) -> Period:
        """The period of *kind* that begins on *start* (a report's stored first day)."""
        return cls(start, add_months(start, _months(kind)) - dt.timedelta(days=1), kind, start_day)

    @classmethod
    def _from_first_month(cls, kind, first_month: dt.date, start_day: int) -> Period:
        _check_start_day(start_day)
        start = first_month if start_day == CALENDAR else add_months(first_month, -1).replace(day=start_day)
        return cls.starting(kind, start, start_day=start_day)

    # ------------------------------------------------------------ naming
    @property
    def first_month(self) -> dt.date:
        """The 1st of the month that names the period: 01/10/2026 for Quý IV/2026, whatever its start day."""
        first = self.start.replace(day=1)
        return add_months(first, 1) if self.start_day > CALENDAR else first

    @property
    def number(self) -> int:
        """Which period of its kind in the year it is: 4 for Quý IV."""
        return (self.first_month.month - 1) // _months(self._kind()) + 1

    @property
    def label(self) -> str:
        """“Quý IV/2026”; with its days when it is not cut on the 1st: “Quý IV/2026 (15/09–14/12/2026)”."""
        if self.kind is None:
            return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
        year, kind = self.first_month.year, PeriodKind(self.kind)
        if kind == PeriodKind.MONTH:
            name = _("Tháng %(month)s/%(year)s") % {"month": self.first_month.month, "year": year}
        elif kind == PeriodKind.QUARTER:
            name = _("Quý %(quarter)s/%(year)s") % {"quarter": ROMAN[self.number], "year": year}
        elif kind == PeriodKind.NINE_MONTHS:
            name = _("9 tháng đầu năm %(year)s") % {"year": year}
        elif kind == PeriodKind.HALF_YEAR:
            name = (_("6 tháng đầu năm %(year)s") if self.number == 1 else _("6 tháng cuối năm %(year)s")) % {
                "year": year}
        else:
            name = _("Năm %(year)s") % {"year": year}
        if self.start_day == CALENDAR:
            return name
        start = f"{self.start:%d/%m}" if self.start.year == self.end.year else f"{self.start:%d/%m/%Y}"
        return f"{name} ({start}–{self.end:%d/%m/%Y})"

    # ------------------------------------------------------------ neighbours
    @property
    def previous(self) -> Period:
        """The period of the same kind and start day just before this one (a report's comparison column)."""
        step = 12 if self._kind() in YEAR_TO_DATE_KINDS else _months(self._kind())
        return Period.starting(self._kind(), add_months(self.start, -step), start_day=self.start_day)

    def until(self, day: dt.date) -> Period:
        """This period cut to end on *day* when *day* comes first (a month so far), never before its start."""
        return Period(self.start, max(self.start, min(self.end, day)), self.kind, self.start_day)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def _kind(self) -> str:
        if self.kind is None:
            raise ValueError("a period without a kind has no number or neighbours")
        return self.kind


def is_period_start(kind: str, day: dt.date, *, start_day: int = CALENDAR) -> bool:
    """Whether *day* begins a period of *kind* cut on *start_day* (1/1, 1/4, 1/7, 1/10 for calendar quarters).

    A day in no period of the kind (December, for calendar nine months) begins none.
    """
    try:
        return Period.containing(kind, day, start_day=start_day).start == day
    except ValueError:
        return False


def year_of(day: dt.date, *, start_day: int = CALENDAR) -> int:
    """The year whose year period holds *day*: cut on the 15th, 14/12/2025 is in 2025 and 15/12/2025 in 2026."""
    return Period.containing(PeriodKind.YEAR, day, start_day=start_day).first_month.year
