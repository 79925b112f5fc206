"""Period labels and neighbours as the ward writes them (calendar periods): last day, the period before, the label of each kind."""
import datetime as dt

import pytest
from django.utils import translation

from apps.core.choices import PeriodKind
from apps.core.periods import Period, is_period_start


@pytest.mark.parametrize("start, label, english", [
    (dt.date(2026, 1, 1), "6 tháng đầu năm 2026", "First half of 2026"),
    (dt.date(2026, 7, 1), "6 tháng cuối năm 2026", "Second half of 2026"),
], ids=["january", "july"])
def test_the_half_year_starting_in_january_is_the_first_half_and_the_one_starting_in_july_the_second(
        start, label, english):
    period = Period.starting(PeriodKind.HALF_YEAR, start)
    assert period.label == label
    with translation.override("en"):
        assert period.label == english


def test_a_day_of_june_lies_in_the_first_half_and_a_day_of_july_in_the_second():
    assert Period.containing(PeriodKind.HALF_YEAR, dt.date(2026, 6, 30)).label == "6 tháng đầu năm 2026"
    assert Period.containing(PeriodKind.HALF_YEAR, dt.date(2026, 7, 1)).label == "6 tháng cuối năm 2026"


@pytest.mark.parametrize("kind, start, label", [
    (PeriodKind.MONTH, dt.date(2026, 2, 1), "Tháng 2/2026"),
    (PeriodKind.QUARTER, dt.date(2026, 1, 1), "Quý I/2026"),
    (PeriodKind.QUARTER, dt.date(2026, 10, 1), "Quý IV/2026"),
    (PeriodKind.YEAR, dt.date(2026, 1, 1), "Năm 2026"),
], ids=["month", "first-quarter", "fourth-quarter", "year"])
def test_months_quarters_and_years_are_labelled_as_the_ward_writes_them(kind, start, label):
    assert Period.starting(kind, start).label == label


@pytest.mark.parametrize("kind, start, end, previous", [
    (PeriodKind.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29), dt.date(2024, 1, 1)),
    (PeriodKind.MONTH, dt.date(2026, 1, 1), dt.date(2026, 1, 31), dt.date(2025, 12, 1)),
    (PeriodKind.QUARTER, dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2025, 10, 1)),
    (PeriodKind.HALF_YEAR, dt.date(2026, 7, 1), dt.date(2026, 12, 31), dt.date(2026, 1, 1)),
    (PeriodKind.YEAR, dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2025, 1, 1)),
])
def test_a_period_ends_the_day_before_the_next_one_starts_and_knows_the_one_before(kind, start, end, previous):
    period = Period.starting(kind, start)
    assert period.end == end
    assert period.previous == Period.starting(kind, previous)


@pytest.mark.parametrize("kind, start, expected", [
    (PeriodKind.MONTH, dt.date(2026, 5, 1), True),
    (PeriodKind.MONTH, dt.date(2026, 5, 2), False),
    (PeriodKind.QUARTER, dt.date(2026, 4, 1), True),
    (PeriodKind.QUARTER, dt.date(2026, 5, 1), False),
    (PeriodKind.HALF_YEAR, dt.date(2026, 7, 1), True),
    (PeriodKind.HALF_YEAR, dt.date(2026, 4, 1), False),
    (PeriodKind.YEAR, dt.date(2026, 1, 1), True),
    (PeriodKind.YEAR, dt.date(2026, 7, 1), False),
])
def test_only_the_first_day_of_a_calendar_period_starts_one(kind, start, expected):
    assert is_period_start(kind, start) is expected


@pytest.mark.parametrize("kind, day, start", [
    (PeriodKind.MONTH, dt.date(2026, 5, 31), dt.date(2026, 5, 1)),
    (PeriodKind.QUARTER, dt.date(2026, 6, 30), dt.date(2026, 4, 1)),
    (PeriodKind.QUARTER, dt.date(2026, 7, 1), dt.date(2026, 7, 1)),
    (PeriodKind.YEAR, dt.date(2026, 12, 31), dt.date(2026, 1, 1)),
])
def test_the_period_containing_a_day_starts_on_its_kinds_first_day(kind, day, start):
    assert Period.containing(kind, day) == Period.starting(kind, start)
