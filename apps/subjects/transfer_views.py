"""Pages of record transfers between wards (issue 18 §3): their forms and views, on the page kit.

In a module of their own (not views.py/forms.py) because nothing else of the register uses them.
"""
import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import FilterSet
from apps.core.forms import BootstrapForm, ServiceForm
from apps.core.views import ActionView, ScopedDetailView, ScopedListView, ServiceFormView
from apps.khom.models import Khom, Ward

from . import transfers
from .choices import TransferStatus
from .forms import DateFieldsMixin
from .models import RuleBook, Person, RecordTransfer
from .views import PersonRecordCreateView

SENT = _("Đã gửi hồ sơ. Công an phường nhận đã được thông báo.")
ACCEPTED = _("Đã tiếp nhận hồ sơ: người này thuộc phường của bạn từ nay.")
REFUSED = _("Đã ghi: thủ tục chuyển hồ sơ không thực hiện.")
REQUESTED = _("Đã gửi đề nghị. Công an phường đang giữ hồ sơ sẽ xem xét.")
STARTED = _("Đã ghi việc chuyển đi. Hãy gửi hồ sơ đúng hạn (xem hạn gửi hồ sơ).")


# Forms ------------------------------------------------------------------------------------------

class TransferStartForm(DateFieldsMixin, ServiceForm):
    """The holding ward records that the person moved to another ward of the installation."""

    date_fields = ("moved_on",)

    class Meta:
        model = RecordTransfer
        fields = ["to_ward", "moved_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Any other ward of the installation: where the person goes is not limited to where the user works.
        wards = Ward.objects.order_by("name")
        if person is not None:
            wards = wards.exclude(pk=person.khom.ward_id)
        self.fields["to_ward"].queryset = wards


class TransferRequestForm(DateFieldsMixin, ServiceForm):
    """The new ward's police ask for the record of the person with this CCCD, into one of their khóm."""

    date_fields = ("moved_on",)
    cccd = forms.CharField(label=_("Số CCCD"), max_length=12, min_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    class Meta:
        model = RecordTransfer
        fields = ["to_khom", "moved_on", "notes"]
        labels = {"to_khom": _("Khóm nơi người này đến")}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    field_order = ["cccd", "to_khom", "moved_on", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_khom"].required = True
        self.fields["to_khom"].queryset = self.fields["to_khom"].queryset.select_related("ward")
        self.order_fields(self.field_order)

    def clean_cccd(self):
        value = (self.cleaned_data.get("cccd") or "").strip()
        if not value.isdigit():
            raise forms.ValidationError(_("Số CCCD gồm 12 chữ số."))
        return value

    def service_data(self) -> dict:
        data = super().service_data()
        data["khom"] = data.pop("to_khom")
        return data


class TransferAcceptForm(BootstrapForm):
    """The khóm of the receiving ward the person now lives in."""

    to_khom = forms.ModelChoiceField(label=_("Khóm tiếp nhận"), queryset=Khom.objects.none())

    def __init__(self, *args, transfer=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if transfer is not None and user is not None:
            self.fields["to_khom"].queryset = Khom.objects.for_user(user).filter(ward_id=transfer.to_ward_id)
            self.fields["to_khom"].initial = transfer.to_khom_id


class TransferRefuseForm(BootstrapForm):
    reason = forms.CharField(label=_("Lý do"), max_length=255)


class TransferFilter(FilterSet):
    direction = django_filters.ChoiceFilter(
        label=_("Chiều"), method="filter_direction",
        choices=[("in", _("Chuyển đến phường mình")), ("out", _("Chuyển đi khỏi phường mình"))])
    status = django_filters.ChoiceFilter(label=_("Tình trạng"), choices=TransferStatus.choices)

    def filter_direction(self, queryset, name, value):
        return transfers.incoming_outgoing(queryset, self.request.user).get(value, queryset)


# Views ------------------------------------------------------------------------------------------

class TransferListView(ScopedListView):
    """/subjects/transfers/: transfers to and from the user's wards, newest first."""

    queryset = RecordTransfer.objects.with_related()
    permission_required = "subjects.view_recordtransfer"
    filterset_class = TransferFilter
    ordering = ("-created_at", "-pk")
    template_name = "subjects/recordtransfer_list.html"
    # The rows name people (to the ward that holds or held them).
    audit_list = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = [{"transfer": transfer, "shows_record": transfers.transfer_shows_record(transfer, user),
                            "sides": transfers.transfer_sides(transfer, user)}
                           for transfer in context["object_list"]]
        context["can_request"] = user.has_perm("subjects.add_recordtransfer")
        return context


class TransferDetailView(ScopedDetailView):
    """One transfer: what the user's side may read of it, and the buttons of its next step."""

    queryset = RecordTransfer.objects.with_related().select_related("person__khom", "created_by", "sent_by",
                                                                     "decided_by")
    permission_required = "subjects.view_recordtransfer"
    template_name = "subjects/recordtransfer_detail.html"
    audit_view = True
    audit_denied = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        transfer, user = self.object, self.request.user
        actions = transfers.transfer_actions(transfer, user)
        context.update(
            shows_record=transfers.transfer_shows_record(transfer, user),
            sides=transfers.transfer_sides(transfer, user),
            actions=actions,
            # The record itself, only while the user's scope holds it (the old ward keeps this page, not the record).
            record_visible=Person.objects.for_user(user).filter(pk=transfer.person_id).exists(),
            due=transfers.transfer_due(transfer) if transfer.status in transfers.TRANSFER_TO_SEND_STATUSES else None,
            transfer_days=RuleBook().on(transfer.start_on).transfer_working_days,
            accept_form=TransferAcceptForm(transfer=transfer, user=user) if "accept" in actions else None,
            refuse_form=TransferRefuseForm() if "refuse" in actions else None,
            today=timezone.localdate(),
        )
        return context


class TransferStartView(PersonRecordCreateView):
    """/subjects/<pk>/transfer/new/: the holding ward records a move to another ward of the installation."""

    form_class = TransferStartForm
    permission_required = "subjects.add_recordtransfer"
    title = _("Chuyển hồ sơ sang phường khác")
    service = transfers.transfer_start
    success_message = STARTED

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.object}


class TransferRequestView(ServiceFormView):
    """/subjects/transfers/new/: the new ward's police ask for a record held in another ward."""

    model = RecordTransfer
    form_class = TransferRequestForm
    permission_required = "subjects.add_recordtransfer"
    template_name = "subjects/recordtransfer_request.html"
    service = transfers.transfer_request
    success_message = REQUESTED


class TransferActionView(ActionView):
    model = RecordTransfer
    object_kwarg = "transfer"
    permission_required = "subjects.change_recordtransfer"


class TransferSendView(TransferActionView):
    service = transfers.transfer_send
    success_message = SENT


class TransferAcceptView(TransferActionView):
    form_class = TransferAcceptForm
    service = transfers.transfer_accept
    success_message = ACCEPTED

    def get_form(self):
        return TransferAcceptForm(self.request.POST, transfer=self.object, user=self.request.user)

    def get_success_url(self):
        # Accepted: the record is the user's now; otherwise back to the transfer, which says why not.
        if self.result is not None:
            return self.result.person.get_absolute_url()
        return super().get_success_url()


class TransferRefuseView(TransferActionView):
    form_class = TransferRefuseForm
    service = transfers.transfer_refuse
    success_message = REFUSED

