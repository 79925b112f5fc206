"""The recognition indicator: khóm recognised drug-free for the year a period belongs to.

Autodiscovered by apps.indicators. It is the one meaning of “recognised” that the
roadmap page, the dashboard and the reports show (see ``selectors.roadmap_figures``).
"""
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from apps.indicators.registry import KHOM_UNIT, Indicator, counter, register

from .cycle import period_year

register(Indicator(
    code="khoms_recognised",
    label=_("Khóm được công nhận không ma túy"),
    unit=KHOM_UNIT,
    description=_("Số khóm có quyết định công nhận không ma túy, chưa bị thu hồi, cho năm đánh giá chứa ngày cuối kỳ. "
                  "Quyết định cho một năm thường có sau khi năm đó kết thúc; nó vẫn được tính cho năm đã đánh giá."),
    # A decision of 20/01/2026 on the 2025 assessment counts for 2025, as the province announces it.
    numerator=counter("criteria.Recognition", khom_path="khom", aggregate=Count("khom", distinct=True),
                      where=lambda p: Q(year=period_year(p), revoked_on__isnull=True),
                      cut_at_as_of=False),
))
