"""Factories for periodic reports (rows written directly; use the services to submit or lock)."""
import datetime as dt

import factory

from apps.core.choices import PeriodKind
from apps.reports.choices import ReportStatus
from apps.reports.models import Report

from .khom import WardFactory


class ReportFactory(factory.django.DjangoModelFactory):
    """A draft quarterly report for the first quarter of 2026."""

    class Meta:
        model = Report

    ward = factory.SubFactory(WardFactory)
    period_kind = PeriodKind.QUARTER
    period_start = dt.date(2026, 1, 1)
    status = ReportStatus.DRAFT
    due_on = dt.date(2026, 4, 7)
    editable_until = dt.date(2026, 4, 17)
    summary = "Tình hình ma túy trên địa bàn cơ bản ổn định."
    signer_title = "CHỦ TỊCH"
    signer_name = "Nguyễn Thành Đạt"
