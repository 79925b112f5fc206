"""Writes of reports: create, edit a draft, submit (freeze figures), reopen, lock."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.audit import AuditAction, audit, diff, snapshot
from apps.core.locking import check_and_bump_version
from apps.core.transactions import consistent_snapshot
from apps.notifications.choices import NotificationKind
from apps.notifications.selectors import recipients
from apps.notifications.services import notify

from .choices import ReportStatus
from .figures import build_snapshot
from .models import Report

NOT_IN_SCOPE = _("Bạn không phụ trách phường này.")
ONLY_DRAFT_EDITABLE = _("Chỉ sửa được báo cáo ở trạng thái bản nháp. Báo cáo đã nộp hoặc đã khoá không thể sửa.")
ONLY_DRAFT_SUBMITTABLE = _("Chỉ nộp được báo cáo ở trạng thái bản nháp.")
CANNOT_REOPEN = _("Chỉ trả lại được báo cáo đã nộp và còn trong hạn chỉnh sửa.")
ALREADY_LOCKED = _("Báo cáo đã khoá.")
LOCK_NEEDS_SUBMIT = _("Phải nộp báo cáo trước khi khoá.")

EDITABLE_FIELDS = ("due_on", "editable_until", "summary", "next_steps", "signer_title", "signer_name")
# A new report also names its ward and period: they are its identity and never change afterwards.
CREATE_FIELDS = ("ward", "period_kind", "period_start", *EDITABLE_FIELDS)


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


@transaction.atomic
def report_create(*, user, data: dict) -> Report:
    """Open a draft report of ``data["ward"]`` for one period (kind and start), with its dates and texts."""
    unknown = set(data) - set(CREATE_FIELDS)
    if unknown:
        raise TypeError(f"report_create does not take {sorted(unknown)}")
    _check_ward_scope(user, data["ward"])
    report = Report(**data, created_by=user)
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
    if expected_version is not None:
        check_and_bump_version(report, expected_version)
    else:
        report.version = stored.version + 1
    before = snapshot(stored)
    report.snapshot = build_snapshot(ward=report.ward, period=report.period)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    report.full_clean()
    report.save()
    changes = diff(before, snapshot(report))
    changes.pop("snapshot", None)  # the figures are in the report itself; the log keeps who and when
    audit(AuditAction.UPDATE, user=user, obj=report, changes=changes,
          extra={"transition": "submit", "on_time": report.submitted_on_time})
    # The province officers who accept or return ward reports (they read submitted reports only).
    notify(kind=NotificationKind.REPORT_SUBMITTED, obj=report, text=_notice_text(report), actor=user,
           audience=recipients(roles=[Role.PROVINCE_OFFICER], province=True))
    return report


@transaction.atomic
def report_reopen(*, user, report: Report) -> Report:
    """Return a submitted report to draft while it is still within its editable-until date."""
    stored = _locked_copy(report)
    if not stored.can_reopen:
        raise ValidationError(CANNOT_REOPEN, code="cannot_reopen")
    before = snapshot(stored)
    report.refresh_from_db()
    report.status = ReportStatus.DRAFT
    # The frozen figures go away with the submission; a new submission freezes them again.
    report.snapshot = {}
    report.submitted_at = None
    report.submitted_by = None
    report.version = stored.version + 1
    report.full_clean()
    report.save()
    changes = diff(before, snapshot(report))
    changes.pop("snapshot", None)
    audit(AuditAction.UPDATE, user=user, obj=report, changes=changes, extra={"transition": "reopen"})
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
    before = snapshot(stored)
    report.refresh_from_db()
    report.status = ReportStatus.LOCKED
    report.locked_at = timezone.now()
    report.locked_by = user
    report.version = stored.version + 1
    report.full_clean()
    report.save()
    changes = diff(before, snapshot(report))
    changes.pop("snapshot", None)
    audit(AuditAction.UPDATE, user=user, obj=report, changes=changes, extra={"transition": "lock"})
    return report
