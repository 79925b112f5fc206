"""Assessment pages: list, open, detail with manual items, submit, approve/return, recognition, evidence, roadmap."""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.detail import SingleObjectMixin

from apps.core.audit import AuditAction, audit
from apps.core.mixins import ScopedViewMixin
from apps.core.views import ActionView, ScopedDetailView, ScopedListView, ServiceFormView, add_service_errors
from apps.khom.choices import ROADMAP_YEARS

from . import services
from .choices import AssessmentStatus
from .filtersets import AssessmentFilter
from .forms import AssessmentCreateForm, DecisionForm, ManualItemForm, RecognitionForm, RevokeForm, VersionForm
from .models import Assessment, AssessmentItem, Evidence, Recognition
from .selectors import assessment_items, hotspot_classifications, overall_result, roadmap

SAVED = _("Đã lưu.")
SUBMITTED = _("Đã trình bản đánh giá; số liệu đã được chốt.")
APPROVED = _("Đã phê duyệt bản đánh giá.")
RETURNED = _("Đã trả lại bản đánh giá để sửa.")
RECOGNISED = _("Đã ghi quyết định công nhận khóm không ma túy.")
REVOKED = _("Đã thu hồi quyết định công nhận.")


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
        audit(AuditAction.EXPORT, obj=evidence,
              extra={"assessment": evidence.item.assessment_id, "size": evidence.size})
        response = HttpResponse(bytes(evidence.data), content_type=evidence.content_type)
        # Always a download, never rendered inline in our origin.
        response["Content-Disposition"] = content_disposition_header(True, evidence.filename)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class RoadmapView(ScopedViewMixin, TemplateView):
    """2025–2030: khóm targeted vs recognised per year, and what each khóm still fails."""

    permission_required = "khom.view_khom"
    template_name = "criteria/roadmap.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Compared as text: int() of a 10,000-digit or a '²' parameter would raise (str.isdigit() accepts '²').
        year = next((y for y in ROADMAP_YEARS if str(y) == self.request.GET.get("year")), None)
        context["roadmap"] = roadmap(self.request.user, year)
        context["year_choices"] = ROADMAP_YEARS
        user = self.request.user
        if not user.is_khom_officer:
            from apps.khom.models import Ward

            wards = list(Ward.objects.for_user(user).order_by("name"))
            context["hotspots"] = hotspot_classifications(wards, context["roadmap"]["year"])
        return context
