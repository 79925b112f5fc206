"""Cell parsers for the import resources: Vietnamese dates, choice labels, text that stays text."""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from import_export import widgets

from apps.core.text import fold

DATE_INVALID = _("Ngày “%(value)s” không hợp lệ: hãy ghi theo dạng dd/mm/yyyy.")
DATE_IMPOSSIBLE = _("Ngày “%(value)s” không tồn tại trong lịch.")
CHOICE_INVALID = _("Giá trị “%(value)s” không hợp lệ; chọn một trong: %(choices)s.")
NUMBER_INVALID = _("“%(value)s” không phải là số nguyên không âm.")
DECIMAL_INVALID = _("“%(value)s” không phải là số.")

_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class VietnameseDateWidget(widgets.Widget):
    """A real Excel date, or text dd/mm/yyyy; 31/02/2025 is refused, not rolled over."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            from openpyxl.utils.datetime import from_excel

            try:
                return as_date(from_excel(value))
            except (ValueError, OverflowError, TypeError):
                raise ValueError(str(DATE_INVALID % {"value": value}))
        text = str(value).strip()
        match = _DATE_TEXT.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
        else:
            match = _ISO_TEXT.match(text)
            if not match:
                raise ValueError(str(DATE_INVALID % {"value": text}))
            year, month, day = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(str(DATE_IMPOSSIBLE % {"value": text}))

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


def as_date(value):
    return value.date() if isinstance(value, dt.datetime) else value


class ChoiceLabelWidget(widgets.Widget):
    """Vietnamese labels (accents optional) or stored codes in, codes out; labels on export."""

    def __init__(self, choices, labels=None, **kwargs):
        super().__init__(**kwargs)
        # Labels are the fixed Vietnamese ones, not the active language's, so a file means the same everywhere.
        self.labels = dict(labels) if labels else {value: str(label) for value, label in choices.choices}
        self.lookup = {}
        for value, label in self.labels.items():
            self.lookup[fold(label)] = value
            self.lookup[fold(value)] = value
        # Cells as typed → code: a column repeats a handful of spellings, fold each one once.
        self.known = {}

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        key = (type(value), value)  # True, 1 and 1.0 are equal keys but different cells
        code = self.known.get(key)
        if code is None:
            code = self.lookup.get(fold(str(value)))
            if code is None:
                raise ValueError(str(CHOICE_INVALID % {"value": value, "choices": ", ".join(self.labels.values())}))
            self.known[key] = code
        return code

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class TextWidget(widgets.Widget):
    """Text with surrounding and repeated spaces removed; numbers typed into a text column become their digits."""

    def __init__(self, collapse_spaces=False, **kwargs):
        super().__init__(**kwargs)
        self.collapse_spaces = collapse_spaces

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        return " ".join(text.split()) if self.collapse_spaces else text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CCCDWidget(TextWidget):
    """A CCCD typed as a number loses its leading zeros in Excel; give them back."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(int(value)).zfill(12)
        text = super().clean(value, row, **kwargs).replace(" ", "")
        return text or None


class CountWidget(widgets.Widget):
    """A whole number ≥ 0, or empty."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(str(NUMBER_INVALID % {"value": value}))
        if number != number.to_integral_value() or number < 0:
            raise ValueError(str(NUMBER_INVALID % {"value": value}))
        return int(number)


class DecimalNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(str(DECIMAL_INVALID % {"value": value}))
