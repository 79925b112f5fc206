"""Reads of reports: the figures a report shows, and the province-wide rows."""
from .choices import ReportStatus
from apps.core.periods import Period

from .figures import ACTIVITY_CODES, CASE_CODES, SUMMARY_CODES, build_snapshot, indicator_meta
from .models import Report


def report_figures(report: Report) -> dict:
    """The frozen snapshot of a submitted or locked report; live figures for a draft."""
    if report.is_draft:
        return build_snapshot(ward=report.ward, period=report.period)
    return report.snapshot


def province_codes() -> list:
    """Ward-level indicator codes of the province workbook, in report order."""
    return list(dict.fromkeys(SUMMARY_CODES + CASE_CODES + ACTIVITY_CODES))


def province_rows(user, period: Period):
    """(wards in scope, {ward id: submitted report of *period*}, codes, labels): three queries."""
    from apps.khom.models import Ward

    wards = list(Ward.objects.for_user(user).order_by("province", "name"))
    reports = (
        Report.objects.for_user(user)
        .filter(period_kind=period.kind, period_start=period.start, ward__in=[w.pk for w in wards])
        .exclude(status=ReportStatus.DRAFT)
    )
    codes = province_codes()
    return wards, {report.ward_id: report for report in reports}, codes, indicator_meta(codes)
