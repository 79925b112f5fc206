"""The one period module: calendar periods (start day 1) and the state's 15th-to-14th periods, year ends included."""
import datetime as dt

import pytest
from django.utils import translation

from apps.core.choices import PeriodKind
from apps.core.periods import Period, add_months, is_period_start, year_of

D = dt.date


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def test_adding_months_clamps_to_the_end_of_a_short_month_and_crosses_years():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2026, 3, 15), -24) == D(2024, 3, 15)
    assert add_months(D(2025, 12, 15), 1) == D(2026, 1, 15)
    assert add_months(D(2026, 1, 15), -1) == D(2025, 12, 15)


# ---------------------------------------------------------------- calendar periods (start day 1, the default)
@pytest.mark.parametrize("period, start, end, label", [
    (Period.month(2024, 2), D(2024, 2, 1), D(2024, 2, 29), "Tháng 2/2024"),
    (Period.month(2026, 12), D(2026, 12, 1), D(2026, 12, 31), "Tháng 12/2026"),
    (Period.quarter(2026, 1), D(2026, 1, 1), D(2026, 3, 31), "Quý I/2026"),
    (Period.quarter(2026, 4), D(2026, 10, 1), D(2026, 12, 31), "Quý IV/2026"),
    (Period.half_year(2025, 1), D(2025, 1, 1), D(2025, 6, 30), "6 tháng đầu năm 2025"),
    (Period.half_year(2025, 2), D(2025, 7, 1), D(2025, 12, 31), "6 tháng cuối năm 2025"),
    (Period.year(2025), D(2025, 1, 1), D(2025, 12, 31), "Năm 2025"),
])
def test_calendar_periods_run_from_the_first_to_the_last_day_and_keep_their_short_labels(period, start, end, label):
    assert (period.start, period.end, period.label) == (start, end, label)


def test_calendar_periods_contain_their_days_and_step_back_across_the_year():
    assert Period.containing(PeriodKind.QUARTER, D(2026, 12, 31)) == Period.quarter(2026, 4)
    assert Period.containing(PeriodKind.QUARTER, D(2027, 1, 1)) == Period.quarter(2027, 1)
    assert Period.quarter(2026, 1).previous == Period.quarter(2025, 4)
    assert Period.month(2026, 1).previous == Period.month(2025, 12)
    assert Period.year(2026).previous == Period.year(2025)
    assert Period.half_year(2026, 1).previous == Period.half_year(2025, 2)
    assert D(2025, 6, 30) in Period.half_year(2025, 1) and D(2025, 7, 1) not in Period.half_year(2025, 1)
    assert year_of(D(2025, 12, 31)) == 2025 and year_of(D(2026, 1, 1)) == 2026


def test_a_calendar_period_starts_only_on_the_first_of_its_first_month():
    assert is_period_start(PeriodKind.QUARTER, D(2026, 10, 1))
    assert not is_period_start(PeriodKind.QUARTER, D(2026, 11, 1))
    assert not is_period_start(PeriodKind.MONTH, D(2026, 11, 15))
    assert is_period_start(PeriodKind.YEAR, D(2026, 1, 1)) and not is_period_start(PeriodKind.YEAR, D(2026, 7, 1))
    # A day in no period of the kind begins none (calendar nine months run January to September).
    assert not is_period_start(PeriodKind.NINE_MONTHS, D(2025, 12, 15))
    assert is_period_start(PeriodKind.NINE_MONTHS, D(2025, 12, 15), start_day=15)


# ---------------------------------------------------------------- the state's periods, cut on the 15th
@pytest.mark.parametrize("period, start, end, label", [
    (Period.month(2026, 3, start_day=15), D(2026, 2, 15), D(2026, 3, 14), "Tháng 3/2026 (15/02–14/03/2026)"),
    # Month 1 begins in the year before.
    (Period.month(2026, 1, start_day=15), D(2025, 12, 15), D(2026, 1, 14), "Tháng 1/2026 (15/12/2025–14/01/2026)"),
    (Period.quarter(2026, 4, start_day=15), D(2026, 9, 15), D(2026, 12, 14), "Quý IV/2026 (15/09–14/12/2026)"),
    (Period.quarter(2026, 1, start_day=15), D(2025, 12, 15), D(2026, 3, 14), "Quý I/2026 (15/12/2025–14/03/2026)"),
    (Period.half_year(2026, 1, start_day=15), D(2025, 12, 15), D(2026, 6, 14),
     "6 tháng đầu năm 2026 (15/12/2025–14/06/2026)"),
    # The assessment year of QĐ 28/2025: 15/12 of the year before to 14/12.
    (Period.year(2026, start_day=15), D(2025, 12, 15), D(2026, 12, 14), "Năm 2026 (15/12/2025–14/12/2026)"),
])
def test_periods_cut_on_the_15th_run_from_the_15th_before_to_the_14th_and_say_their_days(period, start, end, label):
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize("day, quarter, year", [
    (D(2026, 9, 14), Period.quarter(2026, 3, start_day=15), 2026),
    (D(2026, 9, 15), Period.quarter(2026, 4, start_day=15), 2026),
    (D(2026, 12, 14), Period.quarter(2026, 4, start_day=15), 2026),
    (D(2026, 12, 15), Period.quarter(2027, 1, start_day=15), 2027),  # the next year has begun
    (D(2026, 12, 31), Period.quarter(2027, 1, start_day=15), 2027),
    (D(2027, 1, 1), Period.quarter(2027, 1, start_day=15), 2027),
])
def test_a_day_belongs_to_the_period_cut_on_the_15th_that_holds_it(day, quarter, year):
    assert Period.containing(PeriodKind.QUARTER, day, start_day=15) == quarter
    assert day in quarter
    assert year_of(day, start_day=15) == year


def test_the_assessment_year_cut_on_the_15th_puts_14_december_in_its_year_and_15_december_in_the_next():
    assert year_of(D(2025, 12, 14), start_day=15) == 2025
    assert year_of(D(2025, 12, 15), start_day=15) == 2026
    assert Period.containing(PeriodKind.YEAR, D(2025, 12, 15), start_day=15) == Period.year(2026, start_day=15)


def test_periods_cut_on_the_15th_step_back_across_the_year_and_start_only_on_the_15th():
    q1 = Period.quarter(2027, 1, start_day=15)
    assert q1.previous == Period.quarter(2026, 4, start_day=15)
    assert q1.previous.label == "Quý IV/2026 (15/09–14/12/2026)"
    assert Period.month(2026, 1, start_day=15).previous == Period(D(2025, 11, 15), D(2025, 12, 14))
    assert Period.year(2026, start_day=15).previous == Period(D(2024, 12, 15), D(2025, 12, 14))
    assert is_period_start(PeriodKind.QUARTER, D(2026, 9, 15), start_day=15)
    assert not is_period_start(PeriodKind.QUARTER, D(2026, 10, 1), start_day=15)
    assert not is_period_start(PeriodKind.QUARTER, D(2026, 10, 15), start_day=15)
    assert is_period_start(PeriodKind.YEAR, D(2025, 12, 15), start_day=15)


def test_a_period_built_from_its_first_day_is_the_one_named_by_its_number():
    assert Period.starting(PeriodKind.QUARTER, D(2026, 9, 15), start_day=15) == Period.quarter(2026, 4, start_day=15)
    assert Period.starting(PeriodKind.QUARTER, D(2026, 9, 15), start_day=15).number == 4
    assert Period.starting("quarter", D(2026, 7, 1)).label == "Quý III/2026"


# ---------------------------------------------------------------- shared behaviour
def test_a_period_so_far_ends_on_the_day_given_but_never_before_it_starts():
    month = Period.month(2026, 3)
    assert month.until(D(2026, 3, 10)) == Period(D(2026, 3, 1), D(2026, 3, 10))
    assert month.until(D(2026, 5, 1)) == month
    assert month.until(D(2026, 1, 1)) == Period(D(2026, 3, 1), D(2026, 3, 1))
    assert month.until(D(2026, 3, 10)).label == "Tháng 3/2026"


def test_periods_covering_the_same_days_are_equal_whatever_their_kind():
    assert Period.year(2025) == Period(D(2025, 1, 1), D(2025, 12, 31))
    assert hash(Period.year(2025)) == hash(Period(D(2025, 1, 1), D(2025, 12, 31)))
    assert Period(D(2025, 3, 1), D(2025, 3, 9)).label == "01/03/2025–09/03/2025"


@pytest.mark.parametrize("make", [
    lambda: Period(D(2025, 2, 1), D(2025, 1, 1)),
    lambda: Period.quarter(2025, 5),
    lambda: Period.month(2025, 1, start_day=29),
    lambda: Period.of("week", 2025),
    lambda: Period(D(2025, 1, 1), D(2025, 1, 9)).previous,
])
def test_impossible_periods_are_refused(make):
    with pytest.raises(ValueError):
        make()
