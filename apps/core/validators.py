"""Validators for Vietnamese identifiers."""
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CCCD_FORMAT = _("Số CCCD phải gồm đúng 12 chữ số.")
CCCD_PROVINCE = _("Ba chữ số đầu của CCCD phải là mã tỉnh từ 001 đến 096.")
CCCD_CENTURY = _("Chữ số thứ 4 của CCCD không khớp với thế kỷ sinh và giới tính.")
CCCD_YEAR = _("Chữ số thứ 5–6 của CCCD không khớp với năm sinh.")

_CCCD = re.compile(r"^\d{12}$")


def validate_cccd_format(value: str) -> None:
    """Refuse anything that is not 12 digits with a known province code."""
    if not _CCCD.match(value or ""):
        raise ValidationError(CCCD_FORMAT, code="cccd_format")
    if not 1 <= int(value[:3]) <= 96:
        raise ValidationError(CCCD_PROVINCE, code="cccd_province")


def cccd_century_digit(birth_year: int, female: bool) -> int:
    """Digit 4 of a CCCD: 0/1 for 1900s male/female, 2/3 for 2000s, and so on."""
    return (birth_year // 100 - 19) * 2 + (1 if female else 0)


def cccd_consistency_errors(value: str, birth_date: dt.date | None, female: bool | None) -> dict:
    """Return {field: message} for a well-formed CCCD that contradicts birth date or sex."""
    errors = {}
    if not value or not _CCCD.match(value) or birth_date is None:
        return errors
    if female is not None and int(value[3]) != cccd_century_digit(birth_date.year, female):
        errors["cccd"] = CCCD_CENTURY
    elif int(value[4:6]) != birth_date.year % 100:
        errors["cccd"] = CCCD_YEAR
    return errors
