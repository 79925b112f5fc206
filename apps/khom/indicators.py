"""Indicators of the khóm registry: how many khóm, and how many the roadmap plans drug-free by a year.

Autodiscovered by apps.indicators. A khóm is its own area (``khom_path="pk"``).
"""
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from apps.criteria.cycle import period_year
from apps.indicators.registry import KHOM_UNIT, Indicator, counter, register

register(Indicator(
    code="khoms_total",
    label=_("Số khóm"),
    unit=KHOM_UNIT,
    description=_("Số khóm của địa bàn."),
    numerator=counter("khom.Khom", khom_path="pk", ward_path="ward", aggregate=Count("pk")),
))

register(Indicator(
    code="khoms_planned",
    label=_("Khóm phấn đấu không ma túy theo kế hoạch (lũy kế)"),
    unit=KHOM_UNIT,
    description=_("Số khóm có năm phấn đấu không ma túy đến hết năm của ngày cuối kỳ."),
    # The year of the period's last day: the roadmap's years are assessment years.
    numerator=counter("khom.Khom", khom_path="pk", ward_path="ward", aggregate=Count("pk"),
                      where=lambda p: Q(target_year__lte=period_year(p)), cut_at_as_of=False),
))
