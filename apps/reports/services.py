"""Writes of reports: the province's rounds, a ward's draft, submit (freeze figures, keep the version),
the ward's withdrawal, the province's accept, return and reopen, and the ward's lock of a report outside rounds."""
import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.audit import AuditAction, audit, audit_event, diff, snapshot
from apps.core.choices import ConventionCode
from apps.core.models import AuditEvent
from apps.core.locking import check_and_bump_version
from apps.core.transactions import consistent_snapshot
from apps.notifications.choices import NotificationKind
from apps.notifications.selectors import recipients
from apps.notifications.services import notify

from .choices import ReportStatus, VersionOutcome
from .figures import build_snapshot
from .models import ROUND_WITHOUT_WARDS, Report, ReportingRound, ReportVersion

NOT_IN_SCOPE = _("Bạn không phụ trách phường này.")
ONLY_DRAFT_EDITABLE = _("Chỉ sửa được báo cáo ở trạng thái bản nháp. Báo cáo đã nộp hoặc đã khoá không thể sửa.")
ONLY_DRAFT_SUBMITTABLE = _("Chỉ nộp được báo cáo ở trạng thái bản nháp.")
PERIOD_NOT_OVER = _("Kỳ báo cáo chưa kết thúc (đến hết ngày %(end)s): số liệu chốt lúc này chưa đủ cả kỳ. "
                    "Báo cáo gửi được từ ngày %(first)s.")
CANNOT_REOPEN = _("Chỉ trả lại được báo cáo đã nộp và còn trong hạn chỉnh sửa.")
ALREADY_LOCKED = _("Báo cáo đã khoá.")
LOCK_NEEDS_SUBMIT = _("Phải nộp báo cáo trước khi khoá.")
LOCK_IN_ROUND = _("Báo cáo của kỳ do tỉnh giao được tỉnh chấp nhận (và khoá), phường không tự khoá.")
ONLY_SUBMITTED_REVIEWED = _("Chỉ xem xét được báo cáo đã nộp và đang chờ tỉnh xem xét.")
SUBMITTER_CANNOT_ACCEPT = _("Người nộp báo cáo không thể tự chấp nhận báo cáo đó.")
RETURN_NEEDS_COMMENT = _("Nhập ý kiến để phường biết cần sửa gì.")
REOPEN_NEEDS_REASON = _("Nhập lý do mở lại báo cáo.")
ONLY_ACCEPTED_REOPENED = _("Chỉ mở lại được báo cáo tỉnh đã chấp nhận.")
ROUND_WARD_NOT_IN_SCOPE = _("Có phường, xã được chọn không thuộc phạm vi của bạn.")
COMMENT_MAX_LENGTH = 2000
COMMENT_TOO_LONG = _("Ý kiến dài quá 2.000 ký tự.")

# The province's usual rhythm when a ward opens a report outside any round: due a week after the
# period's end, withdrawable for ten more days. A round's dates replace them.
DEFAULT_DUE_DAYS = 7
DEFAULT_EDITABLE_DAYS = 10

# The ward writes the texts; the due dates are the province's (a round's) or follow from the period.
EDITABLE_FIELDS = ("summary", "next_steps", "signer_title", "signer_name")
# A new report also names its ward and period: they are its identity and never change afterwards.
CREATE_FIELDS = ("ward", "period_kind", "period_start", *EDITABLE_FIELDS)
ROUND_FIELDS = ("period_kind", "period_start", "due_on", "editable_until", "all_wards", "wards", "note")


def _check_ward_scope(user, ward) -> None:
    from apps.khom.models import Ward

    if not Ward.objects.for_user(user).filter(pk=ward.pk).exists():
        raise PermissionDenied(NOT_IN_SCOPE)


def _notice_text(report: Report) -> str:
    """Where and when, never who: the ward and the period, in the installation's language (stored once for all)."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{report.ward.name} · {report.period.label}"


def _locked_copy(report: Report) -> Report:
    """The stored row, locked for the rest of the transaction, so two clicks cannot both pass a state check."""
    return Report.objects.select_for_update().get(pk=report.pk)


def report_start_day() -> int:
    """The day the drug reports' periods are cut on now (their convention, data an administrator may change)."""
    from apps.core.models import PeriodConvention

    return PeriodConvention.get(ConventionCode.DRUG_REPORT).start_day


def default_due_dates(period_end: dt.date) -> tuple[dt.date, dt.date]:
    due = period_end + dt.timedelta(days=DEFAULT_DUE_DAYS)
    return due, due + dt.timedelta(days=DEFAULT_EDITABLE_DAYS)


def _clean_comment(text, missing_message) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"comment": missing_message}, code="required")
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": COMMENT_TOO_LONG}, code="max_length")
    return text


@transaction.atomic
def report_create(*, user, data: dict) -> Report:
    """Open a draft report of ``data["ward"]`` for one period (kind and start) with its texts.

    The period is cut as the drug reports' convention says. When the province has issued a round for
    that period the report joins it, with the round's due dates; otherwise the dates follow the period.
    """
    unknown = set(data) - set(CREATE_FIELDS)
    if unknown:
        raise TypeError(f"report_create does not take {sorted(unknown)}")
    _check_ward_scope(user, data["ward"])
    # Only a round issued to this ward: another ward's round for the period sets nothing here.
    round_ = ReportingRound.objects.filter(period_kind=data.get("period_kind"), period_start=data.get("period_start"),
                                           wards=data["ward"]).first()
    report = Report(**data, created_by=user)
    if round_ is not None:
        report.round, report.period_start_day = round_, round_.period_start_day
        report.due_on, report.editable_until = round_.due_on, round_.editable_until
    else:
        report.period_start_day = report_start_day()
        report.sync_period_end()
        if report.period_end is not None:
            report.due_on, report.editable_until = default_due_dates(report.period_end)
    report.full_clean()
    report.save()
    audit(AuditAction.CREATE, user=user, obj=report, changes=diff(None, snapshot(report)))
    return report


@transaction.atomic
def report_update(*, user, report: Report, expected_version: int | None, data: dict) -> Report:
    """Change the texts and dates of a draft; anything submitted or locked is refused."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"report_update does not change {sorted(unknown)}")
    stored = _locked_copy(report)
    if not stored.is_draft:
        raise ValidationError(ONLY_DRAFT_EDITABLE, code="not_draft")
    before = snapshot(stored)
    check_and_bump_version(report, expected_version)
    for name, value in data.items():
        setattr(report, name, value)
    report.full_clean()
    report.save()
    audit(AuditAction.UPDATE, user=user, obj=report, changes=diff(before, snapshot(report)))
    return report


@consistent_snapshot()
def report_submit(*, user, report: Report, expected_version: int | None = None) -> Report:
    """Freeze every figure of the report into its snapshot and mark it submitted.

    One REPEATABLE READ transaction: every figure is read from the same state of the database,
    however much is being entered meanwhile (apps.core.transactions).
    """
    stored = _locked_copy(report)
    if not stored.is_draft:
        raise ValidationError(ONLY_DRAFT_SUBMITTABLE, code="not_draft")
    first = report.sendable_from
    if first is not None:
        raise ValidationError(PERIOD_NOT_OVER % {"end": f"{report.period.end:%d/%m/%Y}", "first": f"{first:%d/%m/%Y}"},
                              code="period_not_over")
    if expected_version is not None:
        check_and_bump_version(report, expected_version)
    else:
        report.version = stored.version + 1
    before = snapshot(stored)
    report.snapshot = build_snapshot(ward=report.ward, period=report.period)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    # On time or late is judged by the first sending; a late one is marked late, never locked for it.
    report.first_submitted_at = stored.first_submitted_at or report.submitted_at
    # The province's comments stay on the version they were about.
    report.returned_at, report.returned_by, report.return_comment = None, None, ""
    report.full_clean()
    report.save()
    number = ReportVersion.objects.filter(report=report).count() + 1
    version = ReportVersion.objects.create(
        report=report, number=number, snapshot=report.snapshot, summary=report.summary, next_steps=report.next_steps,
        submitted_at=report.submitted_at, submitted_by=user)
    changes = diff(before, snapshot(report))
    changes.pop("snapshot", None)  # the figures are in the report itself; the log keeps who and when
    audit(AuditAction.UPDATE, user=user, obj=report, changes=changes,
          extra={"transition": "submit", "on_time": report.submitted_on_time, "late_days": report.days_late,
                 "version": version.number})
    # The province officers who accept or return ward reports (they read submitted reports only).
    notify(kind=NotificationKind.REPORT_SUBMITTED, obj=report, text=_notice_text(report), actor=user,
           audience=recipients(roles=[Role.PROVINCE_OFFICER], province=True))
    return report


def _move(report: Report, stored: Report, *, user, transition: str, fields: dict, outcome: str | None = None,
          comment: str = "", extra: dict | None = None) -> None:
    """Write *fields* on the report as stored, one version on; record on its latest submission the *outcome*
    (if any) and log the *transition*, without the frozen figures (they are in the report and its version)."""
    before = snapshot(stored)
    report.refresh_from_db()
    for name, value in fields.items():
        setattr(report, name, value)
    report.version = stored.version + 1
    report.full_clean()
    report.save()
    if outcome is not None:
        _decide_latest(report, user=user, outcome=outcome, comment=comment)
    changes = diff(before, snapshot(report))
    changes.pop("snapshot", None)
    audit(AuditAction.UPDATE, user=user, obj=report, changes=changes, extra={"transition": transition, **(extra or {})})


@transaction.atomic
def report_reopen(*, user, report: Report) -> Report:
    """Return a submitted report to draft while it is still within its editable-until date."""
    stored = _locked_copy(report)
    if not stored.can_reopen:
        raise ValidationError(CANNOT_REOPEN, code="cannot_reopen")
    # The frozen figures go away with the submission; a new submission freezes them again.
    _move(report, stored, user=user, transition="reopen", outcome=VersionOutcome.WITHDRAWN,
          fields={"status": ReportStatus.DRAFT, "snapshot": {}, "submitted_at": None, "submitted_by": None})
    # The draft is the ward's to edit again: its police and leadership (the province reads no draft).
    notify(kind=NotificationKind.REPORT_REOPENED, obj=report, text=_notice_text(report), actor=user,
           audience=recipients(roles=[Role.POLICE, Role.LEADERSHIP], ward=report.ward_id))
    return report


@transaction.atomic
def report_lock(*, user, report: Report) -> Report:
    """Lock a submitted report for good: nothing about it can change afterwards."""
    stored = _locked_copy(report)
    if stored.status == ReportStatus.LOCKED:
        raise ValidationError(ALREADY_LOCKED, code="locked")
    if stored.status != ReportStatus.SUBMITTED:
        raise ValidationError(LOCK_NEEDS_SUBMIT, code="not_submitted")
    if stored.round_id is not None:
        raise ValidationError(LOCK_IN_ROUND, code="in_round")
    _move(report, stored, user=user, transition="lock",
          fields={"status": ReportStatus.LOCKED, "locked_at": timezone.now(), "locked_by": user})
    return report


# ------------------------------------------------------------------ the province's side
def _decide_latest(report: Report, *, user, outcome: str, comment: str = "") -> None:
    """Record on the report's latest submission what became of it."""
    ReportVersion.objects.filter(pk__in=ReportVersion.objects.filter(report=report).order_by("-number")[:1]).update(
        outcome=outcome, comment=comment, decided_at=timezone.now(), decided_by=user)


def _ward_audience(report: Report):
    return recipients(roles=[Role.LEADERSHIP, Role.POLICE], ward=report.ward_id)


@transaction.atomic
def report_accept(*, user, report: Report) -> Report:
    """Accept a submitted report: it is locked; only the province reopens it. Its submitter cannot accept it."""
    stored = _locked_copy(report)
    if stored.status != ReportStatus.SUBMITTED:
        raise ValidationError(ONLY_SUBMITTED_REVIEWED, code="not_submitted")
    if stored.submitted_by_id == user.pk:
        raise ValidationError(SUBMITTER_CANNOT_ACCEPT, code="four_eyes")
    _move(report, stored, user=user, transition="accept", outcome=VersionOutcome.ACCEPTED,
          fields={"status": ReportStatus.ACCEPTED, "locked_at": timezone.now(), "locked_by": user})
    notify(kind=NotificationKind.REPORT_ACCEPTED, obj=report, text=_notice_text(report), actor=user,
           audience=_ward_audience(report))
    return report


def _send_back(report, *, user, comment, from_status, refusal, outcome, transition, kind, extra=None):
    """The province gives *report* back to its ward as a draft (returned, or an accepted one reopened)."""
    stored = _locked_copy(report)
    if stored.status != from_status:
        raise ValidationError(refusal, code=f"not_{from_status}")
    # A draft again, its frozen figures gone (kept on its version), with the province's words.
    _move(report, stored, user=user, transition=transition, outcome=outcome, comment=comment, extra=extra, fields={
        "status": ReportStatus.DRAFT, "snapshot": {}, "submitted_at": None, "submitted_by": None,
        "locked_at": None, "locked_by": None, "returned_at": timezone.now(), "returned_by": user,
        "return_comment": comment})
    notify(kind=kind, obj=report, text=_notice_text(report), actor=user, audience=_ward_audience(report))
    return report


@transaction.atomic
def report_return(*, user, report: Report, data: dict) -> Report:
    """Send a submitted report back to its ward as a draft, with the province's comments (``data["comment"]``)."""
    comment = _clean_comment(data.get("comment"), RETURN_NEEDS_COMMENT)
    return _send_back(report, user=user, comment=comment, from_status=ReportStatus.SUBMITTED,
                      refusal=ONLY_SUBMITTED_REVIEWED, outcome=VersionOutcome.RETURNED, transition="return",
                      kind=NotificationKind.REPORT_RETURNED)


@transaction.atomic
def report_province_reopen(*, user, report: Report, data: dict) -> Report:
    """Reopen an accepted report for the ward to correct, with the reason (``data["comment"]``), audited."""
    reason = _clean_comment(data.get("comment"), REOPEN_NEEDS_REASON)
    return _send_back(report, user=user, comment=reason, from_status=ReportStatus.ACCEPTED,
                      refusal=ONLY_ACCEPTED_REOPENED, outcome=VersionOutcome.REOPENED, transition="province_reopen",
                      kind=NotificationKind.REPORT_REOPENED, extra={"reason": reason})


@transaction.atomic
def round_issue(*, user, data: dict) -> ReportingRound:
    """Issue a reporting round: one period and its due dates, to every ward of the user's scope or to a chosen set.

    Each ward gets its draft with the round's dates (a ward that already opened a report for the period
    keeps it, joined to the round; its dates become the round's while it is still a draft), and its
    leadership and police are told. The period is cut as the drug reports' convention says.
    """
    from apps.khom.models import Ward

    unknown = set(data) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"round_issue does not take {sorted(unknown)}")
    fields = {name: value for name, value in data.items() if name != "wards"}
    in_scope = Ward.objects.for_user(user)
    if data.get("all_wards"):
        wards = list(in_scope.order_by("name"))
    else:
        chosen = {ward.pk for ward in data.get("wards") or ()}
        wards = list(in_scope.filter(pk__in=chosen).order_by("name"))
        if len(wards) != len(chosen):
            raise PermissionDenied(ROUND_WARD_NOT_IN_SCOPE)
        if not wards:
            raise ValidationError({"wards": ROUND_WITHOUT_WARDS}, code="no_wards")
    round_ = ReportingRound(**fields, period_start_day=report_start_day(), created_by=user)
    round_.full_clean()
    round_.save()
    round_.wards.set(wards)

    existing = {report.ward_id: report for report in
                Report.objects.select_related("ward").select_for_update(of=("self",)).filter(period_kind=round_.period_kind,
                                                          period_start=round_.period_start, ward__in=wards)}
    new = [Report(ward=ward, period_kind=round_.period_kind, period_start=round_.period_start,
                  period_start_day=round_.period_start_day, period_end=round_.period_end, round=round_,
                  due_on=round_.due_on, editable_until=round_.editable_until, created_by=user)
           for ward in wards if ward.pk not in existing]
    Report.objects.bulk_create(new)
    # A report the ward locked or the province accepted before the round is frozen (the database refuses any
    # change): it stays as it is, and the board finds it by its ward and period (selectors._board_reports).
    joined = [report for report in existing.values()
              if report.status not in (ReportStatus.LOCKED, ReportStatus.ACCEPTED)]
    joined_changes = []
    for report in joined:
        before = snapshot(report)
        report.round = round_
        # The round's dates decide on time or late, for a report sent before the round too.
        report.due_on, report.editable_until = round_.due_on, round_.editable_until
        joined_changes.append(diff(before, snapshot(report)))
    Report.objects.bulk_update(joined, ["round", "due_on", "editable_until"])

    audit(AuditAction.CREATE, user=user, obj=round_, changes=diff(None, snapshot(round_)),
          extra={"wards": len(wards), "ward_ids": [ward.pk for ward in wards], "reports_opened": len(new), "reports_joined": len(joined)})
    AuditEvent.objects.bulk_create([
        audit_event(AuditAction.CREATE, user=user, obj=report, changes=diff(None, snapshot(report)),
                    extra={"round": round_.pk}) for report in new
    ] + [
        audit_event(AuditAction.UPDATE, user=user, obj=report, changes=changes,
                    extra={"round": round_.pk, "transition": "join_round"})
        for report, changes in zip(joined, joined_changes)])
    with translation.override(settings.LANGUAGE_CODE):
        label = round_.period.label
    for report in [*new, *joined]:
        notify(kind=NotificationKind.REPORT_ROUND_ISSUED, obj=report, text=f"{report.ward.name} · {label}"[:200],
               actor=user, audience=_ward_audience(report))
    return round_
