"""The assessment cycle of QĐ 28/2025/QĐ-TTg, Điều 7: the “kỳ đánh giá” of a year, cut as data says.

A year's assessment period runs from 15/12 of the year before to 14/12 by
default; the day is the ``assessment`` PeriodConvention (an administrator may
change it). Every criteria evaluation, the roadmap, the classification, the
dashboard's roadmap and the reports ask here, so 14/12/2025 counts in 2025 and
15/12/2025 in 2026 everywhere. Nothing else computes an assessment period.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.core.periods import Period, year_of

# The day of DESIGN §6 (QĐ 28/2025/QĐ-TTg Điều 7), used only if the convention row is missing
# (a database flushed by tests); the seeded row says the same.
DEFAULT_START_DAY = 15


def start_day() -> int:
    """The day the assessment year starts on (15: 15/12 of the year before), from the ``assessment`` convention."""
    from apps.core.choices import ConventionCode
    from apps.core.models import PeriodConvention

    day = (PeriodConvention.objects.filter(code=ConventionCode.ASSESSMENT)
           .values_list("start_day", flat=True).first())
    return day or DEFAULT_START_DAY


def assessment_period(year: int, *, day: int | None = None) -> Period:
    """The kỳ đánh giá of *year*: 15/12/(year − 1)–14/12/year as the convention cuts it."""
    return Period.year(year, start_day=day or start_day())


def assessment_year_of(day: dt.date, *, start: int | None = None) -> int:
    """The assessment year *day* counts in: 14/12/2025 → 2025, 15/12/2025 → 2026 (cut on the 15th)."""
    return year_of(day, start_day=start or start_day())


def current_assessment_year(today: dt.date | None = None) -> int:
    """The assessment year that *today* (default: today in Asia/Ho_Chi_Minh) falls in."""
    return assessment_year_of(today or timezone.localdate())


def period_year(period: Period) -> int:
    """The year a period belongs to, under its own cut: a year period's named year, a month's year…

    Indicators that count “for a year” (recognitions, the khóm planned by then) read it from the
    period they are given, with no query of their own: an assessment period 15/12/2024–14/12/2025
    is 2025, a report's Tháng 12/2025 cut on the 15th (15/11–14/12/2025) is 2025 too.
    """
    return year_of(period.end, start_day=period.start_day)
