"""Reporting periods: a kind and a first day give the last day, a label and the period before."""
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import PeriodKind

MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def is_period_start(kind: str, start: dt.date) -> bool:
    """True when *start* is the first day of a calendar period of *kind* (1/1, 1/4, 1/7, 1/10 for quarters…)."""
    return start.day == 1 and (start.month - 1) % MONTHS_IN[PeriodKind(kind)] == 0


@dataclass(frozen=True)
class ReportPeriod:
    """A calendar period of one kind, from its first to its last day inclusive."""

    kind: str
    start: dt.date

    @property
    def end(self) -> dt.date:
        return _add_months(self.start, MONTHS_IN[PeriodKind(self.kind)]) - dt.timedelta(days=1)

    @property
    def previous(self) -> "ReportPeriod":
        return ReportPeriod(self.kind, _add_months(self.start, -MONTHS_IN[PeriodKind(self.kind)]))

    @property
    def label(self) -> str:
        year = self.start.year
        if self.kind == PeriodKind.MONTH:
            return _("Tháng %(month)s/%(year)s") % {"month": self.start.month, "year": year}
        if self.kind == PeriodKind.QUARTER:
            return _("Quý %(quarter)s/%(year)s") % {"quarter": ROMAN[(self.start.month - 1) // 3 + 1], "year": year}
        if self.kind == PeriodKind.HALF_YEAR:
            if self.start.month == 1:
                return _("6 tháng đầu năm %(year)s") % {"year": year}
            return _("6 tháng cuối năm %(year)s") % {"year": year}
        return _("Năm %(year)s") % {"year": year}

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> "ReportPeriod":
        months = MONTHS_IN[PeriodKind(kind)]
        return cls(kind, dt.date(day.year, (day.month - 1) // months * months + 1, 1))
