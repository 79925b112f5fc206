"""Assessment pages: list, open, detail with manual items, submit, approve/return, recognition, evidence, roadmap."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from apps.core.audit import AuditAction, audit
from apps.core.mixins import ScopedViewMixin, limit_choices_to_scope
from apps.khom.choices import ROADMAP_YEARS

from . import services
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


def _messages_of(error: ValidationError):
    return [str(m) for m in error.messages]


class AssessmentListView(ScopedViewMixin, ListView):
    """Assessments in the user's scope, filtered by year, status, khóm and kind."""

    model = Assessment
    permission_required = "criteria.view_assessment"
    template_name = "criteria/assessment_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = AssessmentFilter(self.request.GET, queryset=super().get_queryset().with_related(),
                                          request=self.request)
        return self.filterset.qs.order_by("-year", "ward__name", "khom__code", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        context["can_add"] = self.request.user.has_perm("criteria.add_assessment")
        return context


class AssessmentCreateView(ScopedViewMixin, FormView):
    """Open a draft assessment of an area in scope."""

    model = Assessment
    permission_required = "criteria.add_assessment"
    template_name = "criteria/assessment_form.html"
    form_class = AssessmentCreateForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        limit_choices_to_scope(form, self.request.user)
        return form

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            assessment = services.assessment_create(
                user=self.request.user, criteria_set=data["criteria_set"], year=data["year"],
                khom=data.get("khom"), ward=data.get("ward"))
        except ValidationError as error:
            for message in _messages_of(error):
                form.add_error(None, message)
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("criteria:detail", args=[assessment.pk]))


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
            "can_recognise": can_recognise,
            "can_revoke": is_leader and user.has_perm("criteria.change_recognition"),
            "version_form": VersionForm(initial={"version": assessment.version}),
            "decision_form": decision_form or DecisionForm(initial={"version": assessment.version}),
            "recognition_form": recognition_form or RecognitionForm(
                initial={"valid_until": f"{assessment.year + 1}-12-31"}),
            "revoke_form": RevokeForm(),
            "recognitions": recognitions,
        }

    def render_detail(self, assessment, status=200, **forms):
        from django.shortcuts import render

        return render(self.request, "criteria/assessment_detail.html", self.assessment_context(assessment, **forms),
                      status=status)


class AssessmentDetailView(ScopedViewMixin, AssessmentContextMixin, DetailView):
    """One assessment: each criterion with its figure; forms for manual items, submission and decision."""

    model = Assessment
    permission_required = "criteria.view_assessment"
    audit_denied = True
    audit_view = True

    def get_queryset(self):
        return super().get_queryset().with_related()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_detail(self.object)


class AssessmentActionView(ScopedViewMixin, AssessmentContextMixin, View):
    """Base of the POST-only actions on one assessment in scope."""

    model = Assessment
    audit_denied = True
    http_method_names = ["post"]

    def get_assessment(self):
        queryset = Assessment.objects.for_user(self.request.user).with_related()
        try:
            return queryset.get(pk=self.kwargs["pk"])
        except Assessment.DoesNotExist:
            audit(AuditAction.DENIED, object_type="criteria.assessment",
                  object_id=self.kwargs["pk"], extra={"reason": "scope", "path": self.request.path})
            raise Http404 from None

    def done(self, assessment, message):
        messages.success(self.request, message)
        return HttpResponseRedirect(reverse("criteria:detail", args=[assessment.pk]))


class AssessmentItemUpdateView(AssessmentActionView):
    """Judge one manual item and optionally attach an evidence file."""

    permission_required = "criteria.change_assessmentitem"

    def post(self, request, pk, item_pk):
        assessment = self.get_assessment()
        item = get_object_or_404(AssessmentItem.objects.select_related("criterion"), pk=item_pk, assessment=assessment)
        form = ManualItemForm(request.POST, request.FILES, prefix=f"item{item.pk}", item=item)
        if form.is_valid():
            try:
                # Note and evidence are saved together or not at all.
                with transaction.atomic():
                    services.assessment_item_update(user=request.user, item=item, passed=form.passed_value,
                                                    note=form.cleaned_data["note"])
                    if form.cleaned_data.get("evidence"):
                        services.evidence_add(user=request.user, item=item, upload=form.cleaned_data["evidence"])
            except ValidationError as error:
                code = getattr(error, "code", None)
                for message in _messages_of(error):
                    if code == "not_editable":
                        # The item form is no longer shown once submitted: say it at the top of the page.
                        messages.error(request, message)
                    form.add_error("evidence" if code in ("too_large", "bad_type") else None, message)
            else:
                return self.done(assessment, SAVED)
        item.refresh_from_db()
        assessment.refresh_from_db()
        return self.render_detail(assessment, status=400, item_forms={item.pk: form})


class EvidenceDeleteView(AssessmentActionView):
    """Remove an evidence file from a manual item of an assessment still being edited."""

    permission_required = "criteria.change_assessmentitem"

    def post(self, request, pk, evidence_pk):
        assessment = self.get_assessment()
        evidence = get_object_or_404(Evidence.objects.without_data().select_related("item"), pk=evidence_pk,
                                     item__assessment=assessment)
        try:
            services.evidence_delete(user=request.user, evidence=evidence)
        except ValidationError as error:
            messages.error(request, " ".join(_messages_of(error)))
            return HttpResponseRedirect(reverse("criteria:detail", args=[assessment.pk]))
        return self.done(assessment, SAVED)


class AssessmentSubmitView(AssessmentActionView):
    """Freeze the figures and submit for approval."""

    permission_required = "criteria.change_assessment"

    def post(self, request, pk):
        assessment = self.get_assessment()
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                services.assessment_submit(user=request.user, assessment=assessment,
                                           expected_version=form.cleaned_data["version"])
            except ValidationError as error:
                messages.error(request, " ".join(_messages_of(error)))
                assessment.refresh_from_db()
                return self.render_detail(assessment, status=400)
            return self.done(assessment, SUBMITTED)
        return self.render_detail(assessment, status=400)


class AssessmentDecideView(AssessmentActionView):
    """Approve or return a submitted assessment (ward leadership only)."""

    permission_required = "criteria.approve_assessment"

    def post(self, request, pk):
        if not request.user.is_leadership:
            raise PermissionDenied
        assessment = self.get_assessment()
        form = DecisionForm(request.POST)
        if form.is_valid():
            action = services.assessment_approve if form.cleaned_data["decision"] == "approve" else services.assessment_return
            try:
                action(user=request.user, assessment=assessment, expected_version=form.cleaned_data["version"],
                       comments=form.cleaned_data["comments"])
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                return self.done(assessment, APPROVED if form.cleaned_data["decision"] == "approve" else RETURNED)
        assessment.refresh_from_db()
        return self.render_detail(assessment, status=400, decision_form=form)


class RecognitionCreateView(AssessmentActionView):
    """Record the recognition decision of a khóm from its approved, passed assessment."""

    permission_required = "criteria.add_recognition"

    def post(self, request, pk):
        if not request.user.is_leadership:
            raise PermissionDenied
        assessment = self.get_assessment()
        form = RecognitionForm(request.POST)
        if form.is_valid() and assessment.khom_id:
            try:
                services.recognition_create(user=request.user, khom=assessment.khom, year=assessment.year,
                                            assessment=assessment, **form.cleaned_data)
            except ValidationError as error:
                for message in _messages_of(error):
                    form.add_error(None, message)
            else:
                return self.done(assessment, RECOGNISED)
        return self.render_detail(assessment, status=400, recognition_form=form)


class RecognitionRevokeView(ScopedViewMixin, View):
    """Revoke a recognition with its reason (ward leadership only)."""

    model = Recognition
    permission_required = "criteria.change_recognition"
    http_method_names = ["post"]

    def post(self, request, pk):
        if not request.user.is_leadership:
            raise PermissionDenied
        recognition = get_object_or_404(Recognition.objects.for_user(request.user).select_related("khom"), pk=pk)
        form = RevokeForm(request.POST)
        target = (reverse("criteria:detail", args=[recognition.assessment_id]) if recognition.assessment_id
                  else reverse("criteria:roadmap"))
        if form.is_valid():
            try:
                services.recognition_revoke(user=request.user, recognition=recognition,
                                            revoked_on=form.cleaned_data["revoked_on"],
                                            reason=form.cleaned_data["reason"])
            except ValidationError as error:
                messages.error(request, " ".join(_messages_of(error)))
            else:
                messages.success(request, REVOKED)
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(target)


class EvidenceDownloadView(ScopedViewMixin, View):
    """Serve one evidence file to a user who may see its assessment; every download is audited."""

    model = Evidence
    permission_required = "criteria.view_evidence"
    audit_denied = True

    def get(self, request, pk):
        evidence = (Evidence.objects.for_user(request.user)
                    .select_related("item__assessment").filter(pk=pk).first())
        if evidence is None:
            audit(AuditAction.DENIED, object_type="criteria.evidence", object_id=pk,
                  extra={"reason": "scope", "path": request.path})
            raise Http404
        audit(AuditAction.EXPORT, obj=evidence,
              extra={"assessment": evidence.item.assessment_id, "size": evidence.size})
        response = HttpResponse(bytes(evidence.data), content_type=evidence.content_type)
        # Always a download, never rendered inline in our origin.
        from django.utils.http import content_disposition_header

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
