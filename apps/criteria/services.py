"""Writes of the criteria app: each one atomic, validated, and written to the audit log."""
from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role
from apps.core.audit import AuditAction, audit, diff, snapshot
from apps.core.locking import check_and_bump_version
from apps.core.transactions import consistent_snapshot
from apps.core.validators import today_in_vietnam
from apps.notifications.choices import NotificationKind
from apps.notifications.selectors import recipients
from apps.notifications.services import notify

from .choices import AssessmentStatus, CriteriaScope, SelfAssessmentStatus
from .cycle import assessment_period, current_assessment_year
from .models import (
    ASSESSMENT_DUPLICATE, EVIDENCE_BAD_TYPE, EVIDENCE_MAX_BYTES, EVIDENCE_TOO_LARGE, RECOGNITION_DUPLICATE,
    RECOGNITION_REVOKED_BEFORE, SELF_ASSESSMENT_DUPLICATE, WARD_TARGET_DUPLICATE, Assessment, AssessmentItem,
    Evidence, Recognition, WardSelfAssessment, WardTarget,
)

NOT_EDITABLE = _("Bản đánh giá đã trình hoặc đã phê duyệt: không thể sửa.")
YEAR_NOT_BEGUN = _("Kỳ đánh giá năm %(year)s chưa bắt đầu (từ ngày %(start)s): chưa đánh giá được năm này.")
NOT_SUBMITTED = _("Chỉ phê duyệt hoặc trả lại bản đánh giá đang ở trạng thái đã trình.")
ONLY_LEADERSHIP = _("Chỉ lãnh đạo UBND phường được phê duyệt hoặc trả lại bản đánh giá.")
RETURN_NEEDS_COMMENTS = _("Khi trả lại phải ghi ý kiến để người lập biết cần sửa gì.")
MANUAL_ONLY = _("Tiêu chí tính từ số liệu không nhập tay được.")
MANUAL_NOT_JUDGED = _("Còn tiêu chí thủ công chưa được đánh giá đạt/không đạt: %(codes)s.")
RECOGNITION_NEEDS_APPROVED = _("Chỉ công nhận khóm từ bản đánh giá khóm đã được phê duyệt và đạt.")
ALREADY_REVOKED = _("Quyết định công nhận này đã bị thu hồi.")
# Four-eyes: whoever submitted an assessment is not the one who approves it.
FOUR_EYES = _("Người đã trình bản đánh giá không được tự phê duyệt; cần một lãnh đạo khác phê duyệt.")
KHOM_OFFICER_OWN_KHOM = _("Cán bộ khóm chỉ lập bản đánh giá khóm của mình, theo bộ tiêu chí khóm.")
KHOM_OFFICER_CURRENT_YEAR = _("Cán bộ khóm chỉ lập bản đánh giá cho kỳ đánh giá hiện tại (năm %(year)s).")

# Magic numbers: the declared content type and the file name are both chosen by the uploader.
_SIGNATURES = {
    b"%PDF-": ("application/pdf", (".pdf",)),
    b"\xff\xd8\xff": ("image/jpeg", (".jpg", ".jpeg")),
    b"\x89PNG\r\n\x1a\n": ("image/png", (".png",)),
}


def _refuse_unless_editable(assessment: Assessment):
    if not assessment.is_editable:
        raise ValidationError(NOT_EDITABLE, code="not_editable")


def _check_khom_officer_may_open(user, criteria_set, khom, year):
    """A khóm officer opens only his own khóm's assessment, against the khóm set, for the current period."""
    from .selectors import current_assessment_year

    if criteria_set.scope != CriteriaScope.KHOM or khom is None or khom.pk not in user.scope_khom_ids:
        raise ValidationError({"khom": KHOM_OFFICER_OWN_KHOM})
    current = current_assessment_year()
    if year != current:
        raise ValidationError({"year": KHOM_OFFICER_CURRENT_YEAR % {"year": current}})


@transaction.atomic
def _refuse_year_not_begun(year) -> None:
    """A year is assessed once its kỳ đánh giá (15/12 of the year before to 14/12) has begun, never ahead."""
    current = current_assessment_year()
    if year is not None and year > current:
        start = assessment_period(year).start
        raise ValidationError({"year": YEAR_NOT_BEGUN % {"year": year, "start": f"{start:%d/%m/%Y}"}},
                              code="year_not_begun")


def assessment_create(*, user, data: dict) -> Assessment:
    """Open a draft assessment of ``data["khom"]`` (or of ``data["ward"]``) for ``data["year"]`` against
    ``data["criteria_set"]``, with one item per criterion of the set."""
    criteria_set, khom, ward = data["criteria_set"], data.get("khom"), data.get("ward")
    if khom is not None:
        ward = khom.ward
    if user.is_khom_officer:
        _check_khom_officer_may_open(user, criteria_set, khom, data.get("year"))
    assessment = Assessment(criteria_set=criteria_set, khom=khom, ward=ward, year=data["year"], created_by=user)
    assessment.full_clean()
    _refuse_year_not_begun(assessment.year)   # after the field checks: a year outside the programme says so first
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        raise ValidationError(ASSESSMENT_DUPLICATE, code="duplicate") from None
    AssessmentItem.objects.bulk_create(
        [AssessmentItem(assessment=assessment, criterion=c, created_by=user) for c in criteria_set.criteria.all()]
    )
    audit(AuditAction.CREATE, user=user, obj=assessment, changes=diff(None, snapshot(assessment)))
    return assessment


@transaction.atomic
def assessment_item_update(*, user, item: AssessmentItem, data: dict) -> AssessmentItem:
    """Judge a manual item while its assessment is still being edited: ``data["passed"]`` (True, False or None),
    ``data["note"]``, and ``data["evidence"]``, an optional file attached with it (or neither is saved)."""
    assessment = Assessment.objects.select_for_update().get(pk=item.assessment_id)
    _refuse_unless_editable(assessment)
    if item.criterion.is_computed:
        raise ValidationError(MANUAL_ONLY, code="computed")
    before = snapshot(item)
    item.passed, item.note, item.updated_by = data.get("passed"), data.get("note", ""), user
    item.full_clean()
    item.save()
    audit(AuditAction.UPDATE, user=user, obj=item, changes=diff(before, snapshot(item)),
          extra={"assessment": assessment.pk, "criterion": item.criterion.code})
    if data.get("evidence"):
        try:
            evidence_add(user=user, item=item, upload=data["evidence"])
        except ValidationError as error:
            raise ValidationError({"evidence": error.error_list}) from None
    return item


def validate_evidence(upload) -> tuple[bytes, str]:
    """(bytes, content type) of an uploaded file, or ValidationError: ≤ 5 MB, a real PDF/JPG/PNG."""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(EVIDENCE_TOO_LARGE, code="too_large")
    data = upload.read(EVIDENCE_MAX_BYTES + 1)
    if len(data) > EVIDENCE_MAX_BYTES:
        raise ValidationError(EVIDENCE_TOO_LARGE, code="too_large")
    name = (upload.name or "").lower()
    for magic, (content_type, extensions) in _SIGNATURES.items():
        if data.startswith(magic) and name.endswith(extensions):
            return data, content_type
    raise ValidationError(EVIDENCE_BAD_TYPE, code="bad_type")


@transaction.atomic
def evidence_add(*, user, item: AssessmentItem, upload) -> Evidence:
    """Attach an evidence file to a manual item of an assessment still being edited."""
    assessment = Assessment.objects.select_for_update().get(pk=item.assessment_id)
    _refuse_unless_editable(assessment)
    if item.criterion.is_computed:
        raise ValidationError(MANUAL_ONLY, code="computed")
    data, content_type = validate_evidence(upload)
    evidence = Evidence(item=item, filename=upload.name.rsplit("/", 1)[-1][:255], content_type=content_type,
                        size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data, created_by=user)
    evidence.full_clean()
    evidence.save()
    audit(AuditAction.CREATE, user=user, obj=evidence,
          extra={"assessment": assessment.pk, "criterion": item.criterion.code, "size": evidence.size,
                 "sha256": evidence.sha256})
    return evidence


@transaction.atomic
def evidence_delete(*, user, evidence: Evidence) -> None:
    """Remove an evidence file while its assessment is still being edited."""
    assessment = Assessment.objects.select_for_update().get(pk=evidence.item.assessment_id)
    _refuse_unless_editable(assessment)
    audit(AuditAction.DELETE, user=user, obj=evidence,
          extra={"assessment": assessment.pk, "sha256": evidence.sha256})
    evidence.delete()


def _freeze(assessment: Assessment) -> dict:
    """Evaluate every computed item now and write figure and result into the items and a snapshot."""
    from .selectors import assessment_items, overall_result

    rows = assessment_items(assessment)
    missing = [r.criterion.code for r in rows if not r.criterion.is_computed and r.passed is None]
    if missing:
        raise ValidationError(MANUAL_NOT_JUDGED % {"codes": ", ".join(missing)}, code="manual_missing")
    items = []
    for row in rows:
        if row.criterion.is_computed:
            row.item.figure = None if row.figure is None else Decimal(str(row.figure))
            row.item.passed = bool(row.passed)
            row.item.save(update_fields=["figure", "passed", "updated_at"])
        items.append({
            "code": row.criterion.code, "text": row.criterion.text, "kind": row.criterion.kind,
            "indicator": row.criterion.indicator, "operator": row.criterion.operator,
            "threshold": None if row.criterion.threshold is None else str(row.criterion.threshold),
            "group": row.criterion.group, "figure": row.figure, "passed": row.item.passed, "note": row.item.note,
        })
    result = overall_result(assessment.criteria_set, rows)
    return {
        "frozen_at": timezone.now().isoformat(),
        "period": {"start": dt.date(assessment.year, 1, 1).isoformat(), "end": dt.date(assessment.year, 12, 31).isoformat()},
        "criteria_set": {"code": assessment.criteria_set.code, "version": assessment.criteria_set.version},
        "items": items,
        "passed": result["passed"],
        "groups_held": result.get("held"),
    }


def _notice_text(assessment: Assessment) -> str:
    """Where, never who: the area, the year and the set (a notification's text holds 200 characters)."""
    text = f"{assessment.area_name} · {assessment.year} · {assessment.criteria_set.name}"
    return text if len(text) <= 200 else text[:199] + "…"


def _notify(assessment: Assessment, *, kind, user, roles):
    notify(kind=kind, obj=assessment, url=reverse("criteria:detail", args=[assessment.pk]),
           text=_notice_text(assessment), actor=user,
           audience=recipients(roles=roles, ward=assessment.ward_id, khom=assessment.khom_id))


@consistent_snapshot()
def assessment_submit(*, user, assessment: Assessment, expected_version) -> Assessment:
    """Freeze every figure and submit the assessment for approval, all read from one state of the database."""
    _refuse_unless_editable(assessment)
    before = snapshot(assessment)
    check_and_bump_version(assessment, expected_version)
    assessment.snapshot = _freeze(assessment)
    assessment.passed = assessment.snapshot["passed"]
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by, assessment.submitted_at = user, timezone.now()
    assessment.full_clean()
    assessment.save()
    audit(AuditAction.UPDATE, user=user, obj=assessment,
          changes=diff(before, snapshot(assessment)), extra={"transition": "submit"})
    # Those who approve or return it: the ward's leadership.
    _notify(assessment, kind=NotificationKind.ASSESSMENT_SUBMITTED, user=user, roles=[Role.LEADERSHIP])
    return assessment


def _decide(*, user, assessment, expected_version, status, comments):
    if not (user.is_leadership and user.has_perm("criteria.approve_assessment")):
        raise PermissionDenied(ONLY_LEADERSHIP)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED, code="not_submitted")
    if status == AssessmentStatus.APPROVED and assessment.submitted_by_id == user.pk:
        raise ValidationError(FOUR_EYES, code="four_eyes")
    before = snapshot(assessment)
    check_and_bump_version(assessment, expected_version)
    assessment.status, assessment.comments = status, comments
    assessment.decided_by, assessment.decided_at = user, timezone.now()
    assessment.full_clean()
    assessment.save()
    audit(AuditAction.UPDATE, user=user, obj=assessment,
          changes=diff(before, snapshot(assessment)), extra={"transition": status})
    # Those who prepare it: the ward's police, and for a khóm assessment that khóm's officers.
    kind = (NotificationKind.ASSESSMENT_APPROVED if status == AssessmentStatus.APPROVED
            else NotificationKind.ASSESSMENT_RETURNED)
    _notify(assessment, kind=kind, user=user, roles=[Role.POLICE, Role.KHOM_OFFICER])
    return assessment


@transaction.atomic
def assessment_approve(*, user, assessment: Assessment, expected_version, data: dict) -> Assessment:
    """Approve a submitted assessment (leadership only), with the optional ``data["comments"]``; after this
    nothing in it changes."""
    return _decide(user=user, assessment=assessment, expected_version=expected_version,
                   status=AssessmentStatus.APPROVED, comments=data.get("comments", ""))


@transaction.atomic
def assessment_return(*, user, assessment: Assessment, expected_version, data: dict) -> Assessment:
    """Return a submitted assessment for correction (leadership only); ``data["comments"]`` say what to fix."""
    comments = data.get("comments", "")
    if not (comments or "").strip():
        raise ValidationError({"comments": RETURN_NEEDS_COMMENTS})
    return _decide(user=user, assessment=assessment, expected_version=expected_version,
                   status=AssessmentStatus.RETURNED, comments=comments)


def _set_khom_status(*, user, khom, reason):
    from apps.khom.choices import DrugFreeStatus

    in_force = Recognition.objects.filter(khom=khom).in_force_on(timezone.localdate()).order_by("-decided_on").first()
    if in_force is not None:
        status, recognised_on = DrugFreeStatus.RECOGNISED, in_force.decided_on
    elif Recognition.objects.filter(khom=khom, revoked_on__isnull=False).exists():
        status, recognised_on = DrugFreeStatus.REVOKED, None
    else:
        status, recognised_on = DrugFreeStatus.NOT_RECOGNISED, None
    before = snapshot(khom)
    khom.status, khom.recognised_on = status, recognised_on
    khom.save(update_fields=["status", "recognised_on", "updated_at"])
    changes = diff(before, snapshot(khom))
    if changes:
        audit(AuditAction.UPDATE, user=user, obj=khom, changes=changes, extra={"reason": reason})


@transaction.atomic
def recognition_create(*, user, khom, year: int, data: dict, assessment: Assessment | None = None) -> Recognition:
    """Record the decision (``data``: decision_number, decided_on, valid_until) recognising *khom* drug-free
    for *year*, and update the khóm's status."""
    if not (user.is_leadership and user.has_perm("criteria.add_recognition")) and not user.is_administrator:
        raise PermissionDenied(ONLY_LEADERSHIP)
    if assessment is not None and (
            assessment.status != AssessmentStatus.APPROVED or not assessment.passed
            or khom is None or assessment.khom_id != khom.pk or assessment.criteria_set.scope != CriteriaScope.KHOM):
        raise ValidationError(RECOGNITION_NEEDS_APPROVED, code="not_approved")
    recognition = Recognition(khom=khom, year=year, decision_number=data["decision_number"],
                              decided_on=data["decided_on"], valid_until=data["valid_until"], assessment=assessment,
                              created_by=user)
    recognition.full_clean()
    try:
        with transaction.atomic():
            recognition.save()
    except IntegrityError:
        raise ValidationError(RECOGNITION_DUPLICATE, code="duplicate") from None
    audit(AuditAction.CREATE, user=user, obj=recognition, changes=diff(None, snapshot(recognition)))
    _set_khom_status(user=user, khom=khom, reason=f"recognition {recognition.pk}")
    return recognition


@transaction.atomic
def recognition_revoke(*, user, recognition: Recognition, data: dict) -> Recognition:
    """Revoke a recognition on ``data["revoked_on"]`` for ``data["reason"]``; the khóm's status follows."""
    if not (user.is_leadership and user.has_perm("criteria.change_recognition")) and not user.is_administrator:
        raise PermissionDenied(ONLY_LEADERSHIP)
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if recognition.is_revoked:
        raise ValidationError(ALREADY_REVOKED, code="revoked")
    before = snapshot(recognition)
    recognition.revoked_on, recognition.revocation_reason = data["revoked_on"], (data.get("reason") or "").strip()
    recognition.full_clean()
    recognition.save()
    audit(AuditAction.UPDATE, user=user, obj=recognition,
          changes=diff(before, snapshot(recognition)), extra={"transition": "revoke"})
    _set_khom_status(user=user, khom=recognition.khom, reason=f"revocation {recognition.pk}")
    return recognition


def recognition_sync_khom(*, user, khom) -> None:
    """Bring the khóm's status in line with its recognitions (after an admin edit)."""
    with transaction.atomic():
        _set_khom_status(user=user, khom=khom, reason="admin")


# ---------------------------------------------------------------- the ward's self-assessment (issue 17 §3)
SELF_NOT_EDITABLE = _("Bản tự đánh giá đã gửi tỉnh: chỉ sửa được khi đang lập hoặc bị tỉnh trả lại.")
SELF_ONLY_WARD_LEADERSHIP = _("Chỉ lãnh đạo UBND xã/phường được lập và gửi bản tự đánh giá của đơn vị mình.")
SELF_ONLY_PROVINCE_OFFICER = _("Chỉ cán bộ Công an tỉnh (PC04) được thẩm định bản tự đánh giá.")
SELF_ONLY_PROVINCE_LEADERSHIP = _("Chỉ lãnh đạo UBND tỉnh được phê duyệt, công nhận hoặc thu hồi công nhận.")
SELF_NOT_SUBMITTED = _("Chỉ thẩm định bản tự đánh giá đang chờ tỉnh thẩm định.")
SELF_NOT_FORWARDED = _("Chỉ quyết định bản tự đánh giá đã được Công an tỉnh trình lãnh đạo UBND tỉnh.")
SELF_NOT_RECOGNISED = _("Chỉ thu hồi được quyết định công nhận đang có hiệu lực.")
SELF_RETURN_NEEDS_COMMENTS = _("Khi trả lại phải ghi ý kiến để đơn vị biết cần bổ sung, sửa gì.")
SELF_REFUSE_NEEDS_REASON = _("Khi không công nhận phải ghi lý do.")
SELF_REVOKE_NEEDS_REASON = _("Khi thu hồi công nhận phải ghi lý do.")
SELF_NEEDS_CRITERIA = _("Chưa có bản đánh giá tiêu chí xã/phường không ma túy năm %(year)s được lãnh đạo phê duyệt: "
                        "hãy lập, trình và phê duyệt bản đánh giá đó trước khi gửi tỉnh.")
SELF_DATE_IN_FUTURE = _("Ngày quyết định, ngày thu hồi không được sau ngày hôm nay.")
SELF_DECIDED_BEFORE_PERIOD_END = _("Quyết định công nhận của năm %(year)s được ban hành sau khi kỳ đánh giá kết "
                                   "thúc (sau ngày %(end)s).")
TARGET_ONLY_PROVINCE = _("Chỉ cấp tỉnh được giao chỉ tiêu cho xã/phường.")
TARGET_ONLY_WARD_LEADERSHIP = _("Chỉ lãnh đạo UBND xã/phường được đăng ký chỉ tiêu của đơn vị mình.")


def _ward_leader_of(user, ward_id) -> bool:
    return user.is_leadership and ward_id in user.scope_ward_ids


def _self_notice_text(self_assessment: WardSelfAssessment, what: str = "") -> str:
    """Where, never who: the unit, the year and what happened to its self-assessment."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        text = f"{self_assessment.ward.full_name} · {_('tự đánh giá năm')} {self_assessment.year}"
        if what:
            text += f" · {what}"
    return text if len(text) <= 200 else text[:199] + "…"


def _self_notify(self_assessment, *, kind, user, audience, what=""):
    notify(kind=kind, obj=self_assessment, text=_self_notice_text(self_assessment, str(what)), actor=user,
           audience=audience)


def _ward_audience(self_assessment):
    return recipients(roles=[Role.LEADERSHIP, Role.POLICE], ward=self_assessment.ward_id)


@transaction.atomic
def self_assessment_create(*, user, data: dict) -> WardSelfAssessment:
    """Open the draft self-assessment of ``data["ward"]`` for ``data["year"]`` (ward leadership of that ward)."""
    ward = data["ward"]
    if not (_ward_leader_of(user, ward.pk) and user.has_perm("criteria.add_wardselfassessment")):
        raise PermissionDenied(SELF_ONLY_WARD_LEADERSHIP)
    self_assessment = WardSelfAssessment(ward=ward, year=data["year"], summary=data.get("summary", ""),
                                         created_by=user)
    self_assessment.full_clean()
    _refuse_year_not_begun(self_assessment.year)
    try:
        with transaction.atomic():
            self_assessment.save()
    except IntegrityError:
        raise ValidationError(SELF_ASSESSMENT_DUPLICATE, code="duplicate") from None
    audit(AuditAction.CREATE, user=user, obj=self_assessment, changes=diff(None, snapshot(self_assessment)))
    return self_assessment


@transaction.atomic
def self_assessment_update(*, user, self_assessment: WardSelfAssessment, data: dict,
                           expected_version) -> WardSelfAssessment:
    """Change the summary (``data["summary"]``) while the ward still edits its self-assessment."""
    if not (_ward_leader_of(user, self_assessment.ward_id) and user.has_perm("criteria.change_wardselfassessment")):
        raise PermissionDenied(SELF_ONLY_WARD_LEADERSHIP)
    if not self_assessment.is_editable:
        raise ValidationError(SELF_NOT_EDITABLE, code="not_editable")
    before = snapshot(self_assessment)
    check_and_bump_version(self_assessment, expected_version)
    self_assessment.summary = data.get("summary", "")
    self_assessment.full_clean()
    self_assessment.save()
    audit(AuditAction.UPDATE, user=user, obj=self_assessment, changes=diff(before, snapshot(self_assessment)))
    return self_assessment


def _freeze_self_assessment(self_assessment: WardSelfAssessment) -> dict:
    """The classification, the drug-free criteria, the khóm results and the evidence list, as the ward sends them."""
    from .selectors import self_assessment_contents

    contents = self_assessment_contents(self_assessment.ward, self_assessment.year)
    if contents["criteria"] is None:
        raise ValidationError(SELF_NEEDS_CRITERIA % {"year": self_assessment.year}, code="criteria_missing")
    return {"frozen_at": timezone.now().isoformat(), **contents}


@consistent_snapshot()
def self_assessment_submit(*, user, self_assessment: WardSelfAssessment, expected_version) -> WardSelfAssessment:
    """Freeze the classification, criteria, khóm results and evidence, and send the self-assessment to the province."""
    if not (_ward_leader_of(user, self_assessment.ward_id)
            and user.has_perm("criteria.submit_wardselfassessment")):
        raise PermissionDenied(SELF_ONLY_WARD_LEADERSHIP)
    if not self_assessment.is_editable:
        raise ValidationError(SELF_NOT_EDITABLE, code="not_editable")
    before = snapshot(self_assessment)
    check_and_bump_version(self_assessment, expected_version)
    frozen = _freeze_self_assessment(self_assessment)
    self_assessment.snapshot = frozen
    self_assessment.classification_type = frozen["classification"].get("type") or ""
    self_assessment.criteria_assessment_id = frozen["criteria"]["assessment"]
    self_assessment.status = SelfAssessmentStatus.SUBMITTED
    self_assessment.submitted_by, self_assessment.submitted_at = user, timezone.now()
    self_assessment.full_clean()
    self_assessment.save()
    audit(AuditAction.UPDATE, user=user, obj=self_assessment, changes=diff(before, snapshot(self_assessment)),
          extra={"transition": "submit"})
    _self_notify(self_assessment, kind=NotificationKind.ASSESSMENT_SUBMITTED, user=user,
                 audience=recipients(roles=[Role.PROVINCE_OFFICER], province=True))
    return self_assessment


def _transition(*, user, self_assessment, expected_version, status, **fields):
    before = snapshot(self_assessment)
    check_and_bump_version(self_assessment, expected_version)
    self_assessment.status = status
    for name, value in fields.items():
        setattr(self_assessment, name, value)
    self_assessment.full_clean()
    self_assessment.save()
    audit(AuditAction.UPDATE, user=user, obj=self_assessment, changes=diff(before, snapshot(self_assessment)),
          extra={"transition": str(status)})
    return self_assessment


def _refuse_unless_province_officer(user, self_assessment):
    if not (user.is_province_officer and user.has_perm("criteria.review_wardselfassessment")):
        raise PermissionDenied(SELF_ONLY_PROVINCE_OFFICER)
    if self_assessment.status != SelfAssessmentStatus.SUBMITTED:
        raise ValidationError(SELF_NOT_SUBMITTED, code="not_submitted")


@transaction.atomic
def self_assessment_return(*, user, self_assessment: WardSelfAssessment, expected_version,
                           data: dict) -> WardSelfAssessment:
    """Return a submitted self-assessment to the ward with ``data["comments"]`` (province officer)."""
    _refuse_unless_province_officer(user, self_assessment)
    comments = (data.get("comments") or "").strip()
    if not comments:
        raise ValidationError({"comments": SELF_RETURN_NEEDS_COMMENTS})
    result = _transition(user=user, self_assessment=self_assessment, expected_version=expected_version,
                         status=SelfAssessmentStatus.RETURNED, review_comments=comments, reviewed_by=user,
                         reviewed_at=timezone.now())
    _self_notify(result, kind=NotificationKind.ASSESSMENT_RETURNED, user=user, audience=_ward_audience(result))
    return result


@transaction.atomic
def self_assessment_forward(*, user, self_assessment: WardSelfAssessment, expected_version,
                            data: dict) -> WardSelfAssessment:
    """Forward a submitted self-assessment to province leadership, with the optional ``data["comments"]``."""
    _refuse_unless_province_officer(user, self_assessment)
    result = _transition(user=user, self_assessment=self_assessment, expected_version=expected_version,
                         status=SelfAssessmentStatus.FORWARDED, review_comments=(data.get("comments") or "").strip(),
                         reviewed_by=user, reviewed_at=timezone.now())
    _self_notify(result, kind=NotificationKind.ASSESSMENT_SUBMITTED, user=user,
                 audience=recipients(roles=[Role.PROVINCE_LEADERSHIP], province=True))
    return result


def _refuse_future(data, name):
    """A decision is a fact: dated today at the latest (Asia/Ho_Chi_Minh)."""
    if data.get(name) is not None and data[name] > today_in_vietnam():
        raise ValidationError({name: SELF_DATE_IN_FUTURE})


def _refuse_unless_province_leadership(user, self_assessment, status):
    if not (user.is_province_leadership and user.has_perm("criteria.decide_wardselfassessment")):
        raise PermissionDenied(SELF_ONLY_PROVINCE_LEADERSHIP)
    if self_assessment.status != status:
        message = SELF_NOT_FORWARDED if status == SelfAssessmentStatus.FORWARDED else SELF_NOT_RECOGNISED
        raise ValidationError(message, code="wrong_status")


@transaction.atomic
def self_assessment_recognise(*, user, self_assessment: WardSelfAssessment, expected_version,
                              data: dict) -> WardSelfAssessment:
    """Approve the frozen classification and record the decision recognising the ward drug-free for its year
    (``data``: decision_number, decided_on, valid_until) — province leadership."""
    _refuse_unless_province_leadership(user, self_assessment, SelfAssessmentStatus.FORWARDED)
    _refuse_future(data, "decided_on")
    period_end = assessment_period(self_assessment.year).end
    if data.get("decided_on") is not None and data["decided_on"] <= period_end:
        raise ValidationError({"decided_on": SELF_DECIDED_BEFORE_PERIOD_END % {
            "year": self_assessment.year, "end": f"{period_end:%d/%m/%Y}"}}, code="before_period_end")
    result = _transition(user=user, self_assessment=self_assessment, expected_version=expected_version,
                         status=SelfAssessmentStatus.RECOGNISED, decided_by=user, decided_at=timezone.now(),
                         decision_number=(data.get("decision_number") or "").strip(),
                         decided_on=data.get("decided_on"), valid_until=data.get("valid_until"))
    _self_notify(result, kind=NotificationKind.ASSESSMENT_APPROVED, user=user, audience=_ward_audience(result),
                 what=result.decision_number)
    return result


@transaction.atomic
def self_assessment_refuse(*, user, self_assessment: WardSelfAssessment, expected_version,
                           data: dict) -> WardSelfAssessment:
    """Approve the frozen classification and refuse recognition for ``data["reason"]`` — province leadership."""
    _refuse_unless_province_leadership(user, self_assessment, SelfAssessmentStatus.FORWARDED)
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": SELF_REFUSE_NEEDS_REASON})
    result = _transition(user=user, self_assessment=self_assessment, expected_version=expected_version,
                         status=SelfAssessmentStatus.REFUSED, decided_by=user, decided_at=timezone.now(),
                         refusal_reason=reason)
    _self_notify(result, kind=NotificationKind.RECOGNITION_REFUSED, user=user, audience=_ward_audience(result))
    return result


@transaction.atomic
def self_assessment_revoke(*, user, self_assessment: WardSelfAssessment, expected_version,
                           data: dict) -> WardSelfAssessment:
    """Revoke the ward's recognition on ``data["revoked_on"]`` for ``data["reason"]`` — province leadership."""
    _refuse_unless_province_leadership(user, self_assessment, SelfAssessmentStatus.RECOGNISED)
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": SELF_REVOKE_NEEDS_REASON})
    _refuse_future(data, "revoked_on")
    revoked_on = data.get("revoked_on")
    if revoked_on is not None and revoked_on < self_assessment.decided_on:
        raise ValidationError({"revoked_on": RECOGNITION_REVOKED_BEFORE})
    result = _transition(user=user, self_assessment=self_assessment, expected_version=expected_version,
                         status=SelfAssessmentStatus.REVOKED, revoked_on=revoked_on, revocation_reason=reason)
    _self_notify(result, kind=NotificationKind.RECOGNITION_REVOKED, user=user, audience=_ward_audience(result))
    return result


# ---------------------------------------------------------------- targets (issue 17 §4)
def _target_for_update(ward, year, user) -> tuple[WardTarget, dict | None]:
    target = WardTarget.objects.select_for_update().filter(ward=ward, year=year).first()
    if target is None:
        target = WardTarget(ward=ward, year=year, created_by=user)
        return target, None
    return target, snapshot(target)


def _save_target(user, target, before):
    target.full_clean()
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise ValidationError(WARD_TARGET_DUPLICATE, code="duplicate") from None
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    audit(action, user=user, obj=target, changes=diff(before, snapshot(target)))
    return target


@transaction.atomic
def ward_target_assign(*, user, ward, data: dict) -> WardTarget:
    """The province assigns (``data["assigned"]`` True) or withdraws a drug-free target to *ward* for ``data["year"]``."""
    if not (user.is_province and user.has_perm("criteria.assign_wardtarget")):
        raise PermissionDenied(TARGET_ONLY_PROVINCE)
    target, before = _target_for_update(ward, data["year"], user)
    target.assigned = bool(data.get("assigned"))
    target.assigned_by, target.assigned_at = user, timezone.now()
    return _save_target(user, target, before)


@transaction.atomic
def ward_target_register(*, user, ward, data: dict) -> WardTarget:
    """Ward leadership registers (``data["registered"]`` True) or withdraws its own target for ``data["year"]``."""
    if not (_ward_leader_of(user, ward.pk) and user.has_perm("criteria.register_wardtarget")):
        raise PermissionDenied(TARGET_ONLY_WARD_LEADERSHIP)
    target, before = _target_for_update(ward, data["year"], user)
    target.registered = bool(data.get("registered"))
    target.registered_by, target.registered_at = user, timezone.now()
    return _save_target(user, target, before)
