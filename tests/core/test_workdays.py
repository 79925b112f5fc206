"""Working days: Vietnam's public holidays from the holidays package, and the administrator's exceptions on top.

The expected dates are the official 2026 calendar of public offices, worked out by hand in each docstring:
Tết Nguyên Đán 2026 off from Saturday 14/02 to Sunday 22/02 (Monday 16/02 to Friday 20/02 the
holidays); Tết Dương lịch off Thursday 01/01 and Friday 02/01, worked back on Saturday 10/01;
Quốc khánh off Monday 31/08 (swapped with Saturday 22/08, a working day), Tuesday 01/09 and
Wednesday 02/09.
"""
import datetime as dt

import pytest

from apps.core.choices import CalendarExceptionKind
from apps.core.models import CalendarException
from apps.core.workdays import WorkingCalendar, add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db

D = dt.date


def day_off(day, name="Nghỉ theo thông báo"):
    return CalendarException.objects.create(date=day, kind=CalendarExceptionKind.DAY_OFF, name=name)


def working_day(day, name="Làm bù"):
    return CalendarException.objects.create(date=day, kind=CalendarExceptionKind.WORKING_DAY, name=name)


def test_three_working_days_after_a_friday_is_the_next_wednesday():
    """Fri 02/01/2026 (itself a swapped day off) → Mon 05, Tue 06, Wed 07/01."""
    assert add_working_days(D(2026, 1, 2), 3) == D(2026, 1, 7)


def test_tet_2026_is_nine_days_off_from_the_14th_to_the_22nd_of_february():
    days = [D(2026, 2, 13) + dt.timedelta(days=offset) for offset in range(11)]
    assert [is_working_day(day) for day in days] == [True] + [False] * 9 + [True]  # Fri 13 … Mon 23


def test_three_working_days_after_a_test_on_thursday_12_february_2026_end_on_tuesday_24_february():
    """Thu 12/02 → Fri 13/02 (1); Sat 14 to Sun 22 Tết off; Mon 23/02 (2), Tue 24/02 (3)."""
    assert add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)


def test_three_working_days_after_wednesday_19_august_2026_end_on_the_make_up_saturday_22_august():
    """Wed 19/08 → Thu 20/08 (1), Fri 21/08 (2), Sat 22/08 (3: worked in exchange for Mon 31/08)."""
    assert add_working_days(D(2026, 8, 19), 3) == D(2026, 8, 22)


def test_three_working_days_after_friday_28_august_2026_end_on_monday_7_september():
    """Fri 28/08 → Sat 29, Sun 30 weekend; Mon 31/08 swapped off; Tue 01/09, Wed 02/09 Quốc khánh;
    Thu 03/09 (1), Fri 04/09 (2); Sat 05, Sun 06 weekend; Mon 07/09 (3)."""
    assert add_working_days(D(2026, 8, 28), 3) == D(2026, 9, 7)


def test_the_package_alone_knows_31_august_2026_is_off():
    """No exception is seeded for 31/08/2026: the pinned holidays package must keep knowing it."""
    assert not CalendarException.objects.filter(date=D(2026, 8, 31)).exists()
    assert not is_working_day(D(2026, 8, 31))


def test_the_2026_new_year_swap_is_seeded():
    """Wed 31/12/2025 → Thu 01/01 holiday, Fri 02/01 swapped off, weekend; Mon 05 (1), Tue 06 (2), Wed 07/01 (3).
    Wed 07/01 → Thu 08 (1), Fri 09 (2), Sat 10/01 (3: worked in exchange for Fri 02/01)."""
    assert add_working_days(D(2025, 12, 31), 3) == D(2026, 1, 7)
    assert add_working_days(D(2026, 1, 7), 3) == D(2026, 1, 10)


def test_an_announced_day_off_pushes_the_deadline():
    """Mon 23/02/2026 declared off: Thu 12/02 → Fri 13/02 (1), Tue 24/02 (2), Wed 25/02 (3)."""
    day_off(D(2026, 2, 23))
    assert add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 25)


def test_a_make_up_saturday_pulls_the_deadline():
    """Sat 14/02/2026 declared a working day: Thu 12/02 → Fri 13/02 (1), Sat 14/02 (2), Mon 23/02 (3)."""
    working_day(D(2026, 2, 14))
    assert add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 23)


def test_an_exception_wins_over_a_package_holiday():
    """Tue 24/11/2026, Ngày Văn hóa Việt Nam in the package, declared a working day."""
    assert not is_working_day(D(2026, 11, 24))
    working_day(D(2026, 11, 24))
    assert is_working_day(D(2026, 11, 24))
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 24)


def test_removing_the_seeded_make_up_saturday_takes_it_back_at_once():
    """Without the 22/08/2026 row: Wed 19/08 → Thu 20 (1), Fri 21 (2), Mon 24/08 (3)."""
    assert add_working_days(D(2026, 8, 19), 3) == D(2026, 8, 22)
    CalendarException.objects.filter(date=D(2026, 8, 22)).delete()
    assert add_working_days(D(2026, 8, 19), 3) == D(2026, 8, 24)


def test_working_days_between_counts_the_days_after_the_start_up_to_the_end():
    assert working_days_between(D(2026, 2, 12), D(2026, 2, 24)) == 3
    assert working_days_between(D(2026, 2, 24), D(2026, 2, 12)) == -3
    assert working_days_between(D(2026, 2, 12), D(2026, 2, 12)) == 0


def test_a_negative_count_goes_back_over_the_same_calendar():
    """Mon 07/09/2026 back: Fri 04/09 (1), Thu 03/09 (2), then Quốc khánh and the swapped Monday, Fri 28/08 (3).
    Mon 24/08/2026 back: Sat 22/08 (1, the make-up day)."""
    assert add_working_days(D(2026, 2, 24), -3) == D(2026, 2, 12)
    assert add_working_days(D(2026, 9, 7), -3) == D(2026, 8, 28)
    assert add_working_days(D(2026, 8, 24), -1) == D(2026, 8, 22)
    assert add_working_days(D(2026, 2, 14), 0) == D(2026, 2, 14)


def test_holiday_and_exception_names_are_vietnamese():
    days = {day.date: day for day in WorkingCalendar(D(2026, 2, 1)).special_days(D(2026, 2, 14), D(2026, 2, 22))}
    assert days[D(2026, 2, 17)].name == "Tết Nguyên Đán" and not days[D(2026, 2, 17)].working
    assert set(days) == {D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20)}
    swap = {day.date: day for day in WorkingCalendar(D(2026, 8, 1)).special_days(D(2026, 8, 20), D(2026, 9, 3))}
    assert swap[D(2026, 8, 22)].working and swap[D(2026, 8, 22)].name == "Làm bù cho thứ Hai 31/08/2026"
    assert swap[D(2026, 8, 31)].name == "Ngày nghỉ (thay cho ngày 22/08/2026)"


def test_a_calendar_reads_the_exceptions_once_for_its_years(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = WorkingCalendar(D(2026, 1, 1), D(2026, 12, 31))
    with django_assert_num_queries(0):
        for offset in range(300):
            calendar.add_working_days(D(2026, 1, 1) + dt.timedelta(days=offset), 3)
    with django_assert_num_queries(1):  # a date in a year not loaded yet
        assert calendar.add_working_days(D(2026, 12, 31), 3) == D(2027, 1, 6)


def test_a_calendar_sees_an_exception_of_a_year_it_loads_later():
    calendar = WorkingCalendar(D(2026, 6, 1))
    working_day(D(2027, 1, 2))
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 2)
