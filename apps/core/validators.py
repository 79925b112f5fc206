"""Validators shared by every app: Vietnamese identifiers, and the bounds of the dates people type."""
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
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


# Dates people type (issue 14). A date outside these bounds is a slip of the keyboard or a probe, and
# left in it broke the pages that do arithmetic on it (a term's end, a period's last day, the period
# before): a report starting 01/01/0001 could never be shown again. Applied as model field validators,
# so pages, services, imports and the admin all refuse the same dates with the same message.
BIRTH_DATE_MIN = dt.date(1900, 1, 1)
EVENT_DATE_MIN = dt.date(2000, 1, 1)
# A horizon, not "today": planned ends, due dates and validity lie ahead. A fact (a test, a session, a
# decision) may not: validate_fact_date (issue 18 §4).
DATE_MAX = dt.date(2100, 12, 31)
# The programme's years (phường không ma túy 2025–2030): reports and assessments fall inside them.
PROGRAMME_FIRST_YEAR, PROGRAMME_LAST_YEAR = 2025, 2030
# A period of the programme may begin in December 2024: periods cut on the 15th (apps.core.periods)
# begin in the month before their first month, so the state's year 2025 runs 15/12/2024–14/12/2025.
PROGRAMME_PERIOD_FIRST_DAY = dt.date(PROGRAMME_FIRST_YEAR - 1, 12, 1)
PROGRAMME_LAST_DAY = dt.date(PROGRAMME_LAST_YEAR, 12, 31)

BIRTH_DATE_TOO_EARLY = _("Ngày sinh không được trước ngày 01/01/1900.")
BIRTH_DATE_FUTURE = _("Ngày sinh không được sau ngày hôm nay.")
EVENT_DATE_TOO_EARLY = _("Ngày không được trước ngày 01/01/2000.")
DATE_TOO_LATE = _("Ngày không được sau ngày 31/12/2100.")
OUTSIDE_PROGRAMME = _("Ngày phải nằm trong các năm của chương trình (2025–2030).")
YEAR_OUTSIDE_PROGRAMME = _("Năm phải nằm trong các năm của chương trình (2025–2030).")
FACT_DATE_FUTURE = _("Ngày này chưa đến: việc đã xảy ra không được ghi vào ngày sau hôm nay (giờ Việt Nam).")


def today_in_vietnam() -> dt.date:
    """Today in Asia/Ho_Chi_Minh (the installation's TIME_ZONE), whatever the server's clock zone: the day a
    fact may be dated at the latest, and the day assessments and reports count up to."""
    return timezone.localdate(None, timezone.get_default_timezone())


def validate_birth_date(value: dt.date) -> None:
    """A date of birth: from 01/01/1900, and not after today."""
    if value < BIRTH_DATE_MIN:
        raise ValidationError(BIRTH_DATE_TOO_EARLY, code="birth_date_min")
    if value > today_in_vietnam():
        raise ValidationError(BIRTH_DATE_FUTURE, code="birth_date_future")


def validate_event_date(value: dt.date) -> None:
    """The date of something that happened or is planned (a test, a decision, a session): 2000–2100."""
    if value < EVENT_DATE_MIN:
        raise ValidationError(EVENT_DATE_TOO_EARLY, code="event_date_min")
    if value > DATE_MAX:
        raise ValidationError(DATE_TOO_LATE, code="date_max")


def validate_programme_date(value: dt.date) -> None:
    """The first day of a period of the programme (a report's, the province workbook's): 12/2024–2030."""
    if not PROGRAMME_PERIOD_FIRST_DAY <= value <= PROGRAMME_LAST_DAY:
        raise ValidationError(OUTSIDE_PROGRAMME, code="outside_programme")


def validate_programme_year(value: int) -> None:
    """A year of the programme: an assessment's, a recognition's, a khóm's target."""
    if not PROGRAMME_FIRST_YEAR <= value <= PROGRAMME_LAST_YEAR:
        raise ValidationError(YEAR_OUTSIDE_PROGRAMME, code="outside_programme")


def validate_fact_date(value: dt.date) -> None:
    """The date of something that has happened (a test, a session, a commitment, a case, a move, support, a
    decision): from 01/01/2000, and not after today in Vietnam. Planned ends and due dates use
    validate_event_date instead: they may lie ahead."""
    if value < EVENT_DATE_MIN:
        raise ValidationError(EVENT_DATE_TOO_EARLY, code="event_date_min")
    if value > today_in_vietnam():
        raise ValidationError(FACT_DATE_FUTURE, code="future_date")
