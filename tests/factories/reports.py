"""Factories for periodic reports (rows written directly; use the services to submit or lock)."""
import datetime as dt

import factory

from apps.core.choices import PeriodKind
from apps.reports.choices import ReportStatus
from apps.reports.models import Report, ReportingRound

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


class ReportingRoundFactory(factory.django.DjangoModelFactory):
    """A round for Quý III/2026 as the drug reports cut it (15/06–14/09/2026), issued to the wards given."""

    class Meta:
        model = ReportingRound
        skip_postgeneration_save = True

    period_kind = PeriodKind.QUARTER
    period_start = dt.date(2026, 6, 15)
    period_start_day = 15
    due_on = dt.date(2026, 9, 21)
    editable_until = dt.date(2026, 10, 1)
    all_wards = False

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        if create and extracted:
            self.wards.set(extracted)
