"""Assessment pages: list, open, detail with manual items, submit, approve/return, recognition, evidence, roadmap."""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.detail import SingleObjectMixin

from apps.core.audit import AuditAction, audit
from apps.core.mixins import ScopedViewMixin
from apps.core.views import (
    ActionView, ScopedDetailView, ScopedListView, ServiceFormView, ServiceUpdateView, add_service_errors,
)
from apps.khom.choices import ROADMAP_YEARS
from apps.khom.models import Ward

from . import services
from .choices import AssessmentStatus, SelfAssessmentStatus
from .filtersets import AssessmentFilter, SelfAssessmentFilter
from .forms import (
    AssessmentCreateForm, DecisionForm, ManualItemForm, ProvinceDecisionForm, RecognitionForm, ReviewForm,
    RevokeForm, SelfAssessmentCreateForm, SelfAssessmentUpdateForm, SelfRevokeForm, TargetForm, VersionForm,
)
from .models import Assessment, AssessmentItem, Evidence, Recognition, WardSelfAssessment
from .selectors import (
    assessment_items, current_assessment_year, overall_result, province_roadmap, roadmap, self_assessment_contents,
    ward_classifications,
)

SAVED = _("Đã lưu.")
SUBMITTED = _("Đã trình bản đánh giá; số liệu đã được chốt.")
APPROVED = _("Đã phê duyệt bản đánh giá.")
RETURNED = _("Đã trả lại bản đánh giá để sửa.")
RECOGNISED = _("Đã ghi quyết định công nhận khóm không ma túy.")
REVOKED = _("Đã thu hồi quyết định công nhận.")


def _chosen_roadmap_year(request) -> int | None:
    """The roadmap year of the query, or None when it names none of ROADMAP_YEARS."""
    # Compared as text: int() of a 10,000-digit or a '²' parameter would raise (str.isdigit() accepts '²').
    return next((y for y in ROADMAP_YEARS if str(y) == request.GET.get("year")), None)


def _evidence_download(evidence, **extra) -> HttpResponse:
    """Serve one evidence file as a download, audited as an export with ``extra``."""
    audit(AuditAction.EXPORT, obj=evidence, extra={**extra, "size": evidence.size})
    response = HttpResponse(bytes(evidence.data), content_type=evidence.content_type)
    # Always a download, never rendered inline in our origin.
    response["Content-Disposition"] = content_disposition_header(True, evidence.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class AssessmentListView(ScopedListView):
    """Assessments in the user's scope, filtered by year, status, khóm and kind."""

    queryset = Assessment.objects.with_related()
    permission_required = "criteria.view_assessment"
    filterset_class = AssessmentFilter
    ordering = ("-year", "ward__name", "khom__code", "-id")


class AssessmentCreateView(ServiceFormView):
    """Open a draft assessment of an area in scope."""

    model = Assessment
    form_class = AssessmentCreateForm
    permission_required = "criteria.add_assessment"
    service = services.assessment_create
    success_message = ""  # the assessment's page, opened, says it


class AssessmentContextMixin:
    """Everything the detail page shows, so invalid POSTs re-render it with the user's input kept."""

    def assessment_context(self, assessment, item_forms=None, decision_form=None, recognition_form=None):
        user = self.request.user
        rows = assessment_items(assessment)
        item_forms = item_forms or {}
        can_fill = assessment.is_editable and user.has_perm("criteria.change_assessmentitem")
        for row in rows:
            if can_fill and not row.criterion.is_computed:
                row.form = item_forms.get(row.item.pk) or ManualItemForm(prefix=f"item{row.item.pk}", item=row.item)
            else:
                row.form = None
        is_leader = user.is_leadership and user.has_perm("criteria.approve_assessment")
        recognitions = list(assessment.recognitions.order_by("-decided_on"))
        can_recognise = (is_leader and user.has_perm("criteria.add_recognition")
                         and assessment.status == "approved" and assessment.passed and assessment.khom_id
                         and not any(not r.is_revoked for r in recognitions))
        return {
            "assessment": assessment,
            "object": assessment,
            "rows": rows,
            "result": overall_result(assessment.criteria_set, rows),
            "can_fill": can_fill,
            "can_submit": assessment.is_editable and user.has_perm("criteria.change_assessment"),
            "can_decide": is_leader and assessment.status == "submitted",
            # Four-eyes: the submitter may return his own submission, never approve it.
            "own_submission": assessment.submitted_by_id == user.pk,
            "can_recognise": can_recognise,
            "can_revoke": is_leader and user.has_perm("criteria.change_recognition"),
            "version_form": VersionForm(initial={"version": assessment.version}),
            "decision_form": decision_form or DecisionForm(initial={"version": assessment.version}),
            "recognition_form": recognition_form or RecognitionForm(
                initial={"valid_until": f"{assessment.year + 1}-12-31"}),
            "revoke_form": RevokeForm(),
            "recognitions": recognitions,
        }


class AssessmentDetailView(AssessmentContextMixin, ScopedDetailView):
    """One assessment: each criterion with its figure; forms for manual items, submission and decision."""

    queryset = Assessment.objects.with_related()
    permission_required = "criteria.view_assessment"
    audit_denied = True
    audit_view = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.assessment_context(self.object)}


class AssessmentActionView(AssessmentContextMixin, ActionView):
    """Base of the POST-only actions on one assessment in scope (or on one of its items or files).

    A refusal shows the assessment's page again (400): the form's field errors on the form, what refuses
    the whole action (not editable, stale version, unjudged items) at the top of the page.
    """

    queryset = Assessment.objects.with_related()
    audit_denied = True
    leadership_only = False

    def has_permission(self):
        return super().has_permission() and (not self.leadership_only or self.request.user.is_leadership)

    def get_object(self, queryset=None):
        self.assessment = super().get_object(queryset)
        return self.assessment

    def get_success_url(self):
        return self.assessment.get_absolute_url()

    def forms_shown(self, form) -> dict:
        """The forms of the page to show as the user sent them (the detail page's context names)."""
        return {}

    def refused(self, form, error=None):
        for message in add_service_errors(form, error, rest_to_page=True) if error is not None else ():
            messages.error(self.request, message)
        self.assessment.refresh_from_db()
        context = self.assessment_context(self.assessment, **self.forms_shown(form))
        return render(self.request, "criteria/assessment_detail.html", context, status=400)


class AssessmentItemUpdateView(AssessmentActionView):
    """Judge one manual item and optionally attach an evidence file (saved together or not at all)."""

    permission_required = "criteria.change_assessmentitem"
    service = services.assessment_item_update
    object_kwarg = "item"
    success_message = SAVED

    def get_object(self, queryset=None):
        assessment = super().get_object(queryset)
        return get_object_or_404(AssessmentItem.objects.select_related("criterion"), pk=self.kwargs["item_pk"],
                                 assessment=assessment)

    def get_form(self):
        item = self.object
        return ManualItemForm(self.request.POST, self.request.FILES, prefix=f"item{item.pk}", item=item)

    def forms_shown(self, form):
        return {"item_forms": {self.object.pk: form}}


class EvidenceDeleteView(AssessmentActionView):
    """Remove an evidence file from a manual item of an assessment still being edited."""

    permission_required = "criteria.change_assessmentitem"
    service = services.evidence_delete
    success_message = SAVED
    # A refusal is said on the assessment's page, as for the other buttons there that send no form.
    refused = ActionView.refused

    def get_object(self, queryset=None):
        assessment = super().get_object(queryset)
        return get_object_or_404(Evidence.objects.without_data().select_related("item"),
                                 pk=self.kwargs["evidence_pk"], item__assessment=assessment)


class AssessmentSubmitView(AssessmentActionView):
    """Freeze the figures and submit for approval."""

    permission_required = "criteria.change_assessment"
    form_class = VersionForm
    service = services.assessment_submit
    success_message = SUBMITTED


class AssessmentDecideView(AssessmentActionView):
    """Approve or return a submitted assessment (ward leadership only)."""

    permission_required = "criteria.approve_assessment"
    leadership_only = True
    form_class = DecisionForm

    def get_service(self, form):
        return services.assessment_approve if form.cleaned_data["decision"] == "approve" else services.assessment_return

    def succeeded(self):
        approved = self.result.status == AssessmentStatus.APPROVED
        messages.success(self.request, APPROVED if approved else RETURNED)

    def forms_shown(self, form):
        return {"decision_form": form}


class RecognitionCreateView(AssessmentActionView):
    """Record the recognition decision of a khóm from its approved, passed assessment."""

    permission_required = "criteria.add_recognition"
    leadership_only = True
    form_class = RecognitionForm
    service = services.recognition_create
    success_message = RECOGNISED

    def service_arguments(self, form):
        return {**super().service_arguments(form), "khom": self.object.khom, "year": self.object.year}

    def forms_shown(self, form):
        return {"recognition_form": form}


class RecognitionRevokeView(ActionView):
    """Revoke a recognition with its reason (ward leadership only)."""

    queryset = Recognition.objects.select_related("khom")
    permission_required = "criteria.change_recognition"
    form_class = RevokeForm
    service = services.recognition_revoke
    success_message = REVOKED

    def has_permission(self):
        return super().has_permission() and self.request.user.is_leadership

    def get_success_url(self):
        recognition = self.object
        return (reverse("criteria:detail", args=[recognition.assessment_id]) if recognition.assessment_id
                else reverse("criteria:roadmap"))


class EvidenceDownloadView(ScopedViewMixin, SingleObjectMixin, View):
    """Serve one evidence file to a user who may see its assessment; every download is audited."""

    queryset = Evidence.objects.select_related("item__assessment")
    permission_required = "criteria.view_evidence"
    audit_denied = True

    def get(self, request, *args, **kwargs):
        evidence = self.get_object()
        return _evidence_download(evidence, assessment=evidence.item.assessment_id)


class RoadmapView(ScopedViewMixin, TemplateView):
    """2025–2030: khóm targeted vs recognised per year, and what each khóm still fails."""

    permission_required = "khom.view_khom"
    template_name = "criteria/roadmap.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roadmap"] = roadmap(self.request.user, _chosen_roadmap_year(self.request))
        context["year_choices"] = ROADMAP_YEARS
        user = self.request.user
        if not user.is_khom_officer:
            from apps.khom.models import Ward

            wards = list(Ward.objects.for_user(user).order_by("name", "code"))
            # Điều 4 for every unit in scope, one batch; each name links to the unit's classification page.
            classified = ward_classifications(wards, context["roadmap"]["year"])
            context["classifications"] = [{"ward": w, "label": classified[w.pk]["type"]} for w in wards]
        return context


class WardClassificationView(ScopedDetailView):
    """/criteria/classification/<ward>/: the unit's Điều 4 classification for a year, live from the registry and
    the unit's residents of that year, beside the one frozen when its self-assessment was sent. Aggregates only."""

    queryset = Ward.objects.all()
    permission_required = "criteria.view_classificationset"
    template_name = "criteria/ward_classification.html"
    context_object_name = "ward"

    def get_context_data(self, **kwargs):
        from .classification import classify_wards
        from .models import WardSelfAssessment, WardYearData

        context = super().get_context_data(**kwargs)
        ward, year = self.object, _roadmap_year_of(self.request)
        sent = (WardSelfAssessment.objects.for_user(self.request.user).filter(ward=ward, year=year)
                .exclude(status=SelfAssessmentStatus.DRAFT).only("id", "status", "snapshot", "submitted_at",
                                                                  "classification_type", "ward_id", "year").first())
        context.update({
            "year": year,
            "year_choices": ROADMAP_YEARS,
            "result": classify_wards([ward], year)[ward.pk],
            "year_data": WardYearData.objects.filter(ward=ward, year=year).first(),
            "sent": sent,
            "frozen": (sent.snapshot or {}).get("classification") if sent else None,
        })
        return context


# ---------------------------------------------------------------- the ward's self-assessment (issue 17 §3)
SELF_SUBMITTED = _("Đã gửi bản tự đánh giá lên tỉnh; phân loại, tiêu chí, kết quả khóm và minh chứng đã được chốt.")
SELF_RETURNED = _("Đã trả lại bản tự đánh giá cho đơn vị.")
SELF_FORWARDED = _("Đã trình lãnh đạo UBND tỉnh.")
SELF_RECOGNISED = _("Đã ghi quyết định công nhận đơn vị không ma túy.")
SELF_REFUSED = _("Đã ghi quyết định không công nhận.")
SELF_REVOKED = REVOKED  # the same words for a unit's recognition as for a khóm's


class SelfAssessmentListView(ScopedListView):
    """The units' self-assessments in the user's scope (the province: those sent to it), by year and status."""

    queryset = WardSelfAssessment.objects.with_related()
    permission_required = "criteria.view_wardselfassessment"
    filterset_class = SelfAssessmentFilter
    ordering = ("-year", "ward__name", "-id")
    template_name = "criteria/self_assessment_list.html"


class SelfAssessmentCreateView(ServiceFormView):
    """Open the unit's self-assessment for a year (ward leadership)."""

    model = WardSelfAssessment
    form_class = SelfAssessmentCreateForm
    permission_required = "criteria.add_wardselfassessment"
    service = services.self_assessment_create
    success_message = ""
    template_name = "criteria/self_assessment_form.html"


class SelfAssessmentUpdateView(ServiceUpdateView):
    """Change the summary while the unit still edits its self-assessment."""

    model = WardSelfAssessment
    object_kwarg = "self_assessment"
    form_class = SelfAssessmentUpdateForm
    permission_required = "criteria.change_wardselfassessment"
    service = services.self_assessment_update
    template_name = "criteria/self_assessment_form.html"


def _self_assessment_contents_for(sa, user) -> tuple[dict, bool]:
    """What *user* reads of *sa*, and whether it is the frozen copy.

    The unit's own users read the live working copy while it is prepared (draft, returned); the province
    always reads what was sent (the snapshot frozen on sending), never the unit's revisions before it sends again.
    """
    live = sa.is_editable and not user.is_province
    return (self_assessment_contents(sa.ward, sa.year) if live else sa.snapshot or {}), not live


class SelfAssessmentDetailView(ScopedDetailView):
    """One self-assessment: what the unit sends (live while it prepares it, frozen once sent) and each role's step."""

    queryset = WardSelfAssessment.objects.with_related()
    permission_required = "criteria.view_wardselfassessment"
    template_name = "criteria/self_assessment_detail.html"
    audit_view = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sa, user = self.object, self.request.user
        contents, frozen = _self_assessment_contents_for(sa, user)
        status = sa.status
        context.update({
            "self_assessment": sa,
            "contents": contents,
            "frozen": frozen,
            "version_form": VersionForm(initial={"version": sa.version}),
            "can_edit": sa.is_editable and user.is_leadership and user.has_perm("criteria.change_wardselfassessment"),
            "can_submit": sa.is_editable and user.is_leadership and user.has_perm("criteria.submit_wardselfassessment"),
            "can_review": status == SelfAssessmentStatus.SUBMITTED and user.is_province_officer
            and user.has_perm("criteria.review_wardselfassessment"),
            "can_decide": status == SelfAssessmentStatus.FORWARDED and user.is_province_leadership
            and user.has_perm("criteria.decide_wardselfassessment"),
            "can_revoke": status == SelfAssessmentStatus.RECOGNISED and user.is_province_leadership
            and user.has_perm("criteria.decide_wardselfassessment"),
            "review_form": ReviewForm(initial={"version": sa.version}),
            "decision_form": ProvinceDecisionForm(initial={"version": sa.version, "valid_until": f"{sa.year + 1}-12-31"}),
            "revoke_form": SelfRevokeForm(initial={"version": sa.version}),
        })
        return context


class SelfAssessmentActionView(ActionView):
    """Base of the POST-only steps of a self-assessment in scope; a refusal is said on its page."""

    queryset = WardSelfAssessment.objects.with_related()
    object_kwarg = "self_assessment"


class SelfAssessmentSubmitView(SelfAssessmentActionView):
    """Freeze and send to the province (ward leadership)."""

    permission_required = "criteria.submit_wardselfassessment"
    form_class = VersionForm
    service = services.self_assessment_submit
    success_message = SELF_SUBMITTED


class SelfAssessmentReviewView(SelfAssessmentActionView):
    """Return with comments, or forward to province leadership (province officer)."""

    permission_required = "criteria.review_wardselfassessment"
    form_class = ReviewForm

    def get_service(self, form):
        return (services.self_assessment_forward if form.cleaned_data["decision"] == "forward"
                else services.self_assessment_return)

    def service_arguments(self, form):
        arguments = super().service_arguments(form)
        arguments["data"] = {"comments": form.cleaned_data.get("comments", "")}
        return arguments

    def succeeded(self):
        forwarded = self.result.status == SelfAssessmentStatus.FORWARDED
        messages.success(self.request, SELF_FORWARDED if forwarded else SELF_RETURNED)


class SelfAssessmentDecideView(SelfAssessmentActionView):
    """Approve the classification and recognise, or refuse (province leadership)."""

    permission_required = "criteria.decide_wardselfassessment"
    form_class = ProvinceDecisionForm

    def get_service(self, form):
        return (services.self_assessment_recognise if form.cleaned_data["decision"] == "recognise"
                else services.self_assessment_refuse)

    def succeeded(self):
        recognised = self.result.status == SelfAssessmentStatus.RECOGNISED
        messages.success(self.request, SELF_RECOGNISED if recognised else SELF_REFUSED)


class SelfAssessmentRevokeView(SelfAssessmentActionView):
    """Revoke a recognition with its reason (province leadership)."""

    permission_required = "criteria.decide_wardselfassessment"
    form_class = SelfRevokeForm
    service = services.self_assessment_revoke
    success_message = SELF_REVOKED


class SelfAssessmentEvidenceView(ScopedViewMixin, SingleObjectMixin, View):
    """An evidence file listed in a self-assessment, served to whoever may see that self-assessment; audited.

    The province reads the files the unit sent with it (those frozen in its evidence list), and no other.
    """

    queryset = WardSelfAssessment.objects.all()
    permission_required = "criteria.view_wardselfassessment"
    audit_denied = True

    def get(self, request, *args, **kwargs):
        self_assessment = self.get_object()
        contents, _frozen = _self_assessment_contents_for(self_assessment, request.user)
        listed = {entry["id"] for entry in contents.get("evidence", [])}
        evidence_pk = self.kwargs["evidence_pk"]
        if evidence_pk not in listed:
            raise Http404
        return _evidence_download(get_object_or_404(Evidence, pk=evidence_pk), self_assessment=self_assessment.pk)


# ---------------------------------------------------------------- the province roadmap (issue 17 §4)
def _roadmap_year_of(request) -> int:
    """The query's roadmap year, else the current assessment year kept within ROADMAP_YEARS."""
    chosen = _chosen_roadmap_year(request)
    if chosen is not None:
        return chosen
    return min(max(current_assessment_year(), ROADMAP_YEARS.start), ROADMAP_YEARS.stop - 1)


class ProvinceRoadmapView(ScopedViewMixin, TemplateView):
    """/criteria/province/: per year the units targeted, registered and recognised against the province's target,
    and each unit's classification and status. Counts and statuses only."""

    permission_required = "criteria.view_wardtarget"
    template_name = "criteria/province_roadmap.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = _roadmap_year_of(self.request)
        context.update({
            "roadmap": province_roadmap(user, year),
            "year_choices": ROADMAP_YEARS,
            "can_assign": user.is_province and user.has_perm("criteria.assign_wardtarget"),
            "can_register": user.is_leadership and user.has_perm("criteria.register_wardtarget"),
        })
        return context


class ProvinceRoadmapExportView(ScopedViewMixin, View):
    """The province roadmap of the chosen year as Excel: the yearly table, then one row per unit; logged."""

    permission_required = "criteria.view_wardtarget"

    def get(self, request, *args, **kwargs):
        from django.utils import timezone
        from django.utils.translation import gettext

        from apps.core.excel import StreamingWorkbook

        year = _roadmap_year_of(request)
        data = province_roadmap(request.user, year)
        now = timezone.localtime()
        book = StreamingWorkbook()
        ws = book.sheet(
            gettext("Lộ trình tỉnh"),
            widths=[10, 30, 12, 34, 14, 14, 26, 20, 14],
            banner=[gettext("Lộ trình xã, phường, đặc khu không ma túy — năm %(year)s") % {"year": year},
                    gettext("Xuất bởi %(user)s lúc %(at)s") % {"user": request.user.get_username(),
                                                            "at": now.strftime("%d/%m/%Y %H:%M")}],
        )
        ws.append([gettext("Năm"), gettext("Chỉ tiêu của tỉnh (%)"), gettext("Số đơn vị theo chỉ tiêu"),
                   gettext("Tỉnh giao"), gettext("Đơn vị đăng ký"), gettext("Được công nhận"),
                   gettext("Tỉ lệ được công nhận (%)")], book.bold)
        for row in data["years"]:
            ws.append([row["year"], row["target_percent"], row["target_units"], row["assigned"], row["registered"],
                       row["recognised"], row["recognised_percent"]])
        ws.skip()
        ws.append([gettext("Mã"), gettext("Đơn vị"), gettext("Loại"), gettext("Phân loại"), gettext("Tỉnh giao"),
                   gettext("Đăng ký"), gettext("Tình trạng tự đánh giá"), gettext("Số quyết định công nhận"),
                   gettext("Số liệu minh họa")], book.bold)
        for row in data["wards"]:
            sent = row["self_assessment"]
            ws.append([row["code"], row["name"], row["kind"], row["classification"] or "",
                       gettext("Có") if row["assigned"] else "", gettext("Có") if row["registered"] else "",
                       row["status_label"] or gettext("Chưa lập"),
                       sent.decision_number if sent is not None and row["recognised"] else "",
                       gettext("Số liệu minh họa") if row["is_illustrative"] else ""])
        audit(AuditAction.EXPORT, object_type="criteria.wardtarget",
              object_repr=gettext("Xuất lộ trình tỉnh"), extra={"year": year, "rows": len(data["wards"]),
                                                                "format": "xlsx"})
        return book.response(f"lo-trinh-tinh-{year}-{now:%Y%m%d-%H%M}.xlsx")


class WardTargetActionView(ActionView):
    """Set one unit's target for a year on or off; back to the province roadmap of that year."""

    queryset = Ward.objects.all()
    object_kwarg = "ward"
    form_class = TargetForm

    def service_arguments(self, form):
        arguments = super().service_arguments(form)
        arguments["data"] = {"year": form.cleaned_data["year"], self.value_name: form.cleaned_data["value"]}
        return arguments

    def get_success_url(self):
        year = self.request.POST.get("year", "")
        query = f"?year={year}" if year in {str(y) for y in ROADMAP_YEARS} else ""
        return reverse("criteria:province") + query


class WardTargetAssignView(WardTargetActionView):
    """The province assigns or withdraws a unit's target (province officer or leadership)."""

    permission_required = "criteria.assign_wardtarget"
    service = services.ward_target_assign
    value_name = "assigned"
    success_message = _("Đã cập nhật chỉ tiêu tỉnh giao.")


class WardTargetRegisterView(WardTargetActionView):
    """The unit registers or withdraws its own target (ward leadership)."""

    permission_required = "criteria.register_wardtarget"
    service = services.ward_target_register
    value_name = "registered"
    success_message = _("Đã cập nhật đăng ký chỉ tiêu của đơn vị.")
