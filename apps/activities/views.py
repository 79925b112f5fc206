"""Pages of prevention work: lists with filters, and create/edit forms that call the services."""
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from apps.core.views import ScopedListView, ServiceFormView, ServiceUpdateView

from . import services
from .filtersets import ActivityFilter, CommitmentSigningFilter, ReintegrationModelFilter
from .forms import ActivityForm, CommitmentSigningForm, ReintegrationModelForm
from .models import Activity, CommitmentSigning, ReintegrationModel


class ActivityFormMixin:
    """The activities' form page: a title, and back to the list on cancel and on success."""

    template_name = "activities/form.html"
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, cancel_url=self.success_url, **kwargs)


# Each model's form pages share its model, form and list (the success and cancel URL); the create and
# edit views below state only their permission, service and title.
class ActivityForms(ActivityFormMixin):
    model = Activity
    form_class = ActivityForm
    success_url = reverse_lazy("activities:list")


class CommitmentSigningForms(ActivityFormMixin):
    model = CommitmentSigning
    form_class = CommitmentSigningForm
    success_url = reverse_lazy("activities:commitments")


class ReintegrationModelForms(ActivityFormMixin):
    model = ReintegrationModel
    form_class = ReintegrationModelForm
    success_url = reverse_lazy("activities:reintegration")


# Sessions
class ActivityListView(ScopedListView):
    """Propaganda and education sessions in the user's scope."""

    queryset = Activity.objects.with_places()
    permission_required = "activities.view_activity"
    filterset_class = ActivityFilter
    extra_context = {"tab": "sessions"}


class ActivityCreateView(ActivityForms, ServiceFormView):
    permission_required = "activities.add_activity"
    service = services.activity_create
    title = _("Ghi nhận buổi tuyên truyền, giáo dục")


class ActivityUpdateView(ActivityForms, ServiceUpdateView):
    permission_required = "activities.change_activity"
    service = services.activity_update
    title = _("Sửa buổi tuyên truyền, giáo dục")


# Household commitments
class CommitmentSigningListView(ScopedListView):
    """Rounds of household commitment signing per khóm."""

    queryset = CommitmentSigning.objects.with_places()
    permission_required = "activities.view_commitmentsigning"
    filterset_class = CommitmentSigningFilter
    template_name = "activities/commitment_list.html"
    extra_context = {"tab": "commitments"}


class CommitmentSigningCreateView(CommitmentSigningForms, ServiceFormView):
    permission_required = "activities.add_commitmentsigning"
    service = services.commitment_signing_create
    title = _("Ghi nhận đợt ký cam kết")


class CommitmentSigningUpdateView(CommitmentSigningForms, ServiceUpdateView):
    permission_required = "activities.change_commitmentsigning"
    service = services.commitment_signing_update
    object_kwarg = "signing"
    title = _("Sửa đợt ký cam kết")


# Reintegration models
class ReintegrationModelListView(ScopedListView):
    """Community reintegration models of the ward and its khóm."""

    queryset = ReintegrationModel.objects.with_places()
    permission_required = "activities.view_reintegrationmodel"
    filterset_class = ReintegrationModelFilter
    template_name = "activities/reintegration_list.html"
    extra_context = {"tab": "reintegration"}


class ReintegrationModelCreateView(ReintegrationModelForms, ServiceFormView):
    permission_required = "activities.add_reintegrationmodel"
    service = services.reintegration_model_create
    title = _("Ghi nhận mô hình hỗ trợ tái hòa nhập")


class ReintegrationModelUpdateView(ReintegrationModelForms, ServiceUpdateView):
    permission_required = "activities.change_reintegrationmodel"
    service = services.reintegration_model_update
    object_kwarg = "model"
    title = _("Sửa mô hình hỗ trợ tái hòa nhập")
