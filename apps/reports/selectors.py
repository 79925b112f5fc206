"""Reads of reports: the figures a report shows, the province-wide rows, a round's board, a report's versions."""
from django.db.models import F, Q

from apps.core.periods import Period

from .choices import ComplianceStatus, ReportStatus
from .figures import ACTIVITY_CODES, CASE_CODES, SUMMARY_CODES, build_snapshot, indicator_meta
from .models import Report, ReportingRound, ReportVersion


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


# ------------------------------------------------------------------ rounds and review
# The few figures the compliance board shows per ward; the round's workbook has every province code.
BOARD_CODES = ["persons_managed", "users_addicts", "drug_tests", "positive_tests", "cases_detected"]


def _board_reports(round_, ward_ids) -> dict:
    """{ward id: the round's report} with the fields the board needs and only the frozen figures' values.

    Read without ``Report.for_user``: the board tells the province that a ward's draft exists and when
    it was returned, never what it holds — a draft's figures are not loaded (``values`` is the snapshot's
    figures, empty until the report is sent).
    """
    # By ward and period, not by the round's key: a report locked or accepted before the round was issued
    # could not join it, and still answers the round.
    rows = (Report.objects.filter(period_kind=round_.period_kind, period_start=round_.period_start, ward__in=ward_ids)
            .only("pk", "ward_id", "status", "due_on", "editable_until", "submitted_at", "first_submitted_at",
                  "returned_at", "locked_at", "version", "period_kind", "period_start", "period_start_day", "period_end")
            .annotate(frozen_values=F("snapshot__values")))
    return {report.ward_id: report for report in rows}


def round_board(user, round_) -> dict:
    """The compliance board of *round_* over the wards of the user's scope it was issued to: three queries."""
    from apps.khom.models import Ward

    wards = list(Ward.objects.for_user(user).filter(reporting_rounds=round_).order_by("name")
                 .only("pk", "code", "name", "province", "is_illustrative"))
    reports = _board_reports(round_, [ward.pk for ward in wards])
    codes = province_codes()
    meta = indicator_meta(codes)
    rows, counts = [], {status: 0 for status in ComplianceStatus.values}
    for ward in wards:
        report = reports.get(ward.pk)
        status = report.compliance if report is not None else ComplianceStatus.NOT_STARTED
        counts[status] += 1
        values = (report.frozen_values or {}) if report is not None and not report.is_draft else {}
        rows.append({"ward": ward, "report": report, "status": status, "status_label": ComplianceStatus(status).label,
                     "sent_at": report.sent_at if report is not None else None,
                     "days_late": report.days_late if report is not None else None,
                     "values": {code: values.get(code) for code in codes},
                     "board_values": [values.get(code) for code in BOARD_CODES],
                     # A draft is the ward's: the province sees that it exists, never opens it.
                     "can_open": report is not None and (not report.is_draft or not user.is_province)})
    totals = {code: _total([row["values"][code] for row in rows], meta[code]["unit"]) for code in codes}
    return {"round": round_, "rows": rows, "counts": [(ComplianceStatus(s).label, s, n) for s, n in counts.items()],
            "codes": codes, "meta": meta, "totals": totals, "wards": len(rows),
            "board_headers": [meta[code]["label"] for code in BOARD_CODES],
            "board_totals": [totals[code] for code in BOARD_CODES]}


def _total(values, unit):
    """The sum of a count over the wards that sent it; None for a percentage (a sum of rates means nothing)."""
    from apps.indicators.registry import PERCENT

    if str(unit) == PERCENT:
        return None
    present = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return sum(present) if present else None


def open_rounds_compliance(user, limit: int = 3) -> list:
    """The province dashboard's card: per open round (some ward not yet accepted), how many wards stand where.

    Two queries whatever the number of rounds and wards.
    """
    rounds = list(ReportingRound.objects.for_user(user).order_by("-period_start", "-pk")[:limit * 4])
    if not rounds:
        return []
    from apps.khom.models import Ward

    in_scope = Ward.objects.for_user(user).values("pk")
    through = ReportingRound.wards.through.objects.filter(reportinground_id__in=[r.pk for r in rounds],
                                                          ward_id__in=in_scope)
    pairs = list(through.values_list("reportinground_id", "ward_id"))
    # A round is one period (unique): its reports are found by period and ward, as on the board.
    periods = {(round_.period_kind, round_.period_start): round_.pk for round_ in rounds}
    of_rounds = Q()
    for kind, start in periods:
        of_rounds |= Q(period_kind=kind, period_start=start)
    reports = {(periods[(report.period_kind, report.period_start)], report.ward_id): report for report in
               Report.objects.filter(of_rounds, ward__in=in_scope)
               .only("pk", "ward_id", "status", "due_on", "submitted_at", "first_submitted_at",
                     "returned_at", "version", "period_kind", "period_start", "period_start_day", "period_end",
                     "editable_until")}
    summaries = []
    for round_ in rounds:
        counts = {status: 0 for status in ComplianceStatus.values}
        for round_id, ward_id in pairs:
            if round_id == round_.pk:
                report = reports.get((round_id, ward_id))
                counts[report.compliance if report is not None else ComplianceStatus.NOT_STARTED] += 1
        wards = sum(counts.values())
        if wards and counts[ComplianceStatus.ACCEPTED] == wards:
            continue  # closed: every ward's report accepted
        summaries.append({"round": round_, "wards": wards,
                          "counts": [(ComplianceStatus(s).label, s, n) for s, n in counts.items()]})
    return summaries[:limit]


def report_versions(report: Report) -> list:
    """The report's submissions, oldest first, each with what changed from the one before (figures and texts)."""
    versions = list(ReportVersion.objects.filter(report=report).select_related("submitted_by", "decided_by")
                    .order_by("number"))
    previous = None
    for version in versions:
        version.changes = version_diff(previous, version) if previous is not None else []
        previous = version
    return versions


def version_diff(old, new) -> list:
    """[(label, old value, new value)] for each figure and text that differs between two submissions."""
    labels = {**old.snapshot.get("indicators", {}), **new.snapshot.get("indicators", {})}
    before, after = old.snapshot.get("values", {}), new.snapshot.get("values", {})
    changes = [(labels.get(code, {}).get("label", code), before.get(code), after.get(code))
               for code in dict.fromkeys([*before, *after]) if before.get(code) != after.get(code)]
    for name in ("summary", "next_steps"):
        if getattr(old, name) != getattr(new, name):
            changes.append((str(ReportVersion._meta.get_field(name).verbose_name).capitalize(),
                            getattr(old, name), getattr(new, name)))
    return changes
