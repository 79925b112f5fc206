"""Pages of prevention work: lists with filters, and create/edit forms that call the services."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, ListView, UpdateView

from apps.core.mixins import ScopedFormMixin, ScopedViewMixin

from . import services
from .filters import ActivityFilter, CommitmentSigningFilter, ReintegrationModelFilter
from .forms import ActivityForm, CommitmentSigningForm, ReintegrationModelForm
from .models import Activity, CommitmentSigning, ReintegrationModel

SAVED = _("Đã lưu.")


class FilteredListView(ScopedViewMixin, ListView):
    """A scoped list narrowed by a FilterSet, 50 rows a page, joins fixed so queries do not grow with rows."""

    filterset_class = None
    paginate_by = 50
    tab = ""

    def get_queryset(self):
        queryset = super().get_queryset().with_places()
        self.filterset = self.filterset_class(self.request.GET, queryset=queryset, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["tab"] = self.tab
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


class ServiceFormMixin(ScopedFormMixin):
    """Validate with the form, write with the service; a refused write keeps everything the user typed."""

    template_name = "activities/form.html"
    success_url = None
    title = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["cancel_url"] = self.success_url
        return context

    def form_valid(self, form):
        try:
            self.object = self.write(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, SAVED)
        return redirect(self.success_url)


class ServiceCreateView(ServiceFormMixin, ScopedViewMixin, CreateView):
    create_service = None

    def write(self, form):
        return type(self).create_service(user=self.request.user, data=form.service_data())


class ServiceUpdateView(ServiceFormMixin, ScopedViewMixin, UpdateView):
    update_service = None
    instance_kwarg = ""

    def write(self, form):
        return type(self).update_service(**{self.instance_kwarg: form.instance}, user=self.request.user,
                                         data=form.service_data(), expected_version=form.cleaned_data.get("version"))


# Sessions
class ActivityListView(FilteredListView):
    """Propaganda and education sessions in the user's scope."""

    model = Activity
    permission_required = "activities.view_activity"
    filterset_class = ActivityFilter
    template_name = "activities/activity_list.html"
    tab = "sessions"


class ActivityCreateView(ServiceCreateView):
    model = Activity
    form_class = ActivityForm
    permission_required = "activities.add_activity"
    create_service = services.activity_create
    success_url = reverse_lazy("activities:list")
    title = _("Ghi nhận buổi tuyên truyền, giáo dục")


class ActivityUpdateView(ServiceUpdateView):
    model = Activity
    form_class = ActivityForm
    permission_required = "activities.change_activity"
    update_service = services.activity_update
    instance_kwarg = "activity"
    success_url = reverse_lazy("activities:list")
    title = _("Sửa buổi tuyên truyền, giáo dục")


# Household commitments
class CommitmentSigningListView(FilteredListView):
    """Rounds of household commitment signing per khóm."""

    model = CommitmentSigning
    permission_required = "activities.view_commitmentsigning"
    filterset_class = CommitmentSigningFilter
    template_name = "activities/commitment_list.html"
    tab = "commitments"


class CommitmentSigningCreateView(ServiceCreateView):
    model = CommitmentSigning
    form_class = CommitmentSigningForm
    permission_required = "activities.add_commitmentsigning"
    create_service = services.commitment_signing_create
    success_url = reverse_lazy("activities:commitments")
    title = _("Ghi nhận đợt ký cam kết")


class CommitmentSigningUpdateView(ServiceUpdateView):
    model = CommitmentSigning
    form_class = CommitmentSigningForm
    permission_required = "activities.change_commitmentsigning"
    update_service = services.commitment_signing_update
    instance_kwarg = "signing"
    success_url = reverse_lazy("activities:commitments")
    title = _("Sửa đợt ký cam kết")


# Reintegration models
class ReintegrationModelListView(FilteredListView):
    """Community reintegration models of the ward and its khóm."""

    model = ReintegrationModel
    permission_required = "activities.view_reintegrationmodel"
    filterset_class = ReintegrationModelFilter
    template_name = "activities/reintegration_list.html"
    tab = "reintegration"


class ReintegrationModelCreateView(ServiceCreateView):
    model = ReintegrationModel
    form_class = ReintegrationModelForm
    permission_required = "activities.add_reintegrationmodel"
    create_service = services.reintegration_model_create
    success_url = reverse_lazy("activities:reintegration")
    title = _("Ghi nhận mô hình hỗ trợ tái hòa nhập")


class ReintegrationModelUpdateView(ServiceUpdateView):
    model = ReintegrationModel
    form_class = ReintegrationModelForm
    permission_required = "activities.change_reintegrationmodel"
    update_service = services.reintegration_model_update
    instance_kwarg = "model"
    success_url = reverse_lazy("activities:reintegration")
    title = _("Sửa mô hình hỗ trợ tái hòa nhập")
