"""Template filters of the report page."""
import datetime as dt

from django import template
from django.utils.formats import number_format

from apps.core.periods import ROMAN

register = template.Library()


@register.filter
def figure(value):
    """A figure as the ward writes it (1.234 or 12,5), an en dash when there is none."""
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return number_format(value, decimal_pos=0 if value.is_integer() else 2, use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, use_l10n=True, force_grouping=True)
    return value


@register.filter
def roman(number):
    """1 → I … (section numbers of an official report)."""
    numerals = dict(ROMAN) | {5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}
    return numerals.get(number, number)


@register.filter
def iso_datetime(value):
    """Parse the ISO timestamp stored in a snapshot."""
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.simple_tag
def report_document(report):
    """The Nghị định 30/2020 form of *report* (heading, number, date, signature, Nơi nhận), as the workbook writes it."""
    from apps.reports.workbook import document_form

    return document_form(report)
