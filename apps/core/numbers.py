"""Rounding of the figures the portal shows: half-up, as a ward rounds by hand and as Excel's ROUND does.

Python's round() rounds half to even and works on binary floats (round(6.25, 1) == 6.2,
round(0.15, 1) == 0.1, round(12.5) == 12), so a share computed here would disagree with the
same share in a workbook or an official report. Every percentage goes through ``percent()``.
"""
import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["percent", "round_half_up", "whole_number"]

_WHOLE = re.compile(r"[0-9]{1,18}")


def whole_number(value) -> int | None:
    """*value* (text typed in a query, a form, a file) as a whole number when it is 1–18 ASCII digits, else None.

    Not ``str.isdigit()``: it accepts "²" and other digits that ``int()`` refuses, and ``int()`` of a
    5,000-digit text raises; an id or an index is never longer than a bigint.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and _WHOLE.fullmatch(value) else None


def round_half_up(value, decimals: int = 0) -> Decimal:
    """*value* (int, Decimal, or float read as written) rounded half away from zero to *decimals* places."""
    if isinstance(value, float):
        value = str(value)  # 0.15 is stored as 0.1499…; its shortest repr is what was meant
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent(part, whole, *, decimals: int = 0):
    """100 × *part* / *whole* rounded half-up: an int for whole percents, a float otherwise; None when *whole* is 0."""
    if not whole:
        return None
    value = round_half_up(Decimal(part or 0) * 100 / Decimal(whole), decimals)
    return int(value) if decimals == 0 else float(value)
