"""Rounding of shown figures: half-up, on the decimal value as written, never Python's round-half-to-even."""
from decimal import Decimal

import pytest

from apps.core.numbers import percent, round_half_up


@pytest.mark.parametrize("value, decimals, expected", [
    (Decimal("2.5"), 0, Decimal("3")),       # to even: 2
    (Decimal("3.5"), 0, Decimal("4")),
    (Decimal("0.125"), 2, Decimal("0.13")),  # to even: 0.12
    (Decimal("0.124"), 2, Decimal("0.12")),
    (0.15, 1, Decimal("0.2")),               # the float 0.15 is 0.1499…: read as written
    (6.25, 1, Decimal("6.3")),
    (Decimal("-2.5"), 0, Decimal("-3")),     # away from zero
    (7, 0, Decimal("7")),
    (Decimal("12.5"), 1, Decimal("12.5")),
])
def test_halves_are_rounded_up_to_the_given_number_of_decimals(value, decimals, expected):
    result = round_half_up(value, decimals)
    assert result == expected and result.as_tuple().exponent == -decimals


@pytest.mark.parametrize("part, whole, decimals, expected", [
    (1, 8, 0, 13),       # 12.5 %
    (5, 8, 0, 63),       # 62.5 %
    (3, 8, 0, 38),       # 37.5 %
    (1, 3, 0, 33),
    (2, 3, 0, 67),
    (1, 16, 1, 6.3),     # 6.25 %
    (3, 2000, 1, 0.2),   # 0.15 %
    (1, 800, 2, 0.13),   # 0.125 %
    (8, 8, 0, 100),
    (0, 8, 0, 0),
    (None, 8, 0, 0),
])
def test_a_percentage_is_a_hundred_times_the_share_rounded_half_up(part, whole, decimals, expected):
    result = percent(part, whole, decimals=decimals)
    assert result == expected
    assert isinstance(result, int if decimals == 0 else float)


def test_without_a_number_of_decimals_both_round_to_whole_numbers():
    assert round_half_up(Decimal("2.5")) == Decimal("3") and round_half_up(Decimal("2.5")).as_tuple().exponent == 0
    assert percent(1, 8) == 13 and isinstance(percent(1, 8), int)


@pytest.mark.parametrize("whole", [0, None])
def test_a_percentage_of_nothing_is_none_not_zero(whole):
    assert percent(3, whole) is None
    assert percent(0, whole, decimals=1) is None
