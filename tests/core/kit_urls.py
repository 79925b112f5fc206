"""The project's URLs plus pages built from the page kit alone (apps.core.views), for tests/core/test_page_kit.py."""
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import path

from apps.core.forms import ServiceForm
from apps.core.locking import StaleVersionError
from apps.core.views import ScopedDetailView, ScopedListView, ServiceUpdateView
from apps.khom.models import Khom, Ward
from myhoi.urls import urlpatterns as project_urlpatterns

# What the service below says when it is given these codes (the form's second field).
FIELD_AND_RECORD = {"name": "Tên này đã có trong phường.", NON_FIELD_ERRORS: "Bản ghi này không được sửa."}
HIDDEN_FIELD = "Số nhân khẩu phải lớn hơn 0."
WHOLE_RECORD = "Khóm này đang được người khác xử lý."


@transaction.atomic
def khom_rename(*, user, khom, data):
    """Rename *khom*, unless the code typed asks for one of the refusals the kit must show."""
    refusal = data["code"]
    if refusal == "field":
        raise ValidationError(FIELD_AND_RECORD)
    if refusal == "hidden":
        raise ValidationError({"population": HIDDEN_FIELD})
    if refusal == "whole":
        raise ValidationError(WHOLE_RECORD, code="busy")
    if refusal == "stale":
        raise StaleVersionError()
    if refusal == "race":
        # A real unique violation, as when two people save the same value at the same moment.
        Ward.objects.create(code=khom.ward.code, name="Trùng mã")
    khom.name = data["name"]
    khom.save(update_fields=["name"])
    return khom


class KhomRenameForm(ServiceForm):
    class Meta:
        model = Khom
        fields = ["name", "code"]


class KhomRenameView(ServiceUpdateView):
    model = Khom
    form_class = KhomRenameForm
    permission_required = "khom.view_khom"  # a test page: every role with the khóm list may use it
    service = khom_rename
    template_name = "activities/form.html"
    success_url = "/khom/"


class AuditedKhomListView(ScopedListView):
    model = Khom
    permission_required = "khom.view_khom"
    paginate_by = 1
    count_cap = 2
    audit_list = True


class PlainKhomListView(AuditedKhomListView):
    audit_list = False


class AuditedKhomDetailView(ScopedDetailView):
    queryset = Khom.objects.with_ward()
    permission_required = "khom.view_khom"
    audit_view = True
    audit_denied = True


urlpatterns = [
    path("kit/khom/<int:pk>/rename/", KhomRenameView.as_view(), name="kit-rename"),
    path("kit/khom/audited/", AuditedKhomListView.as_view(), name="kit-audited-list"),
    path("kit/khom/plain/", PlainKhomListView.as_view(), name="kit-plain-list"),
    path("kit/khom/<int:pk>/", AuditedKhomDetailView.as_view(), name="kit-detail"),
    *project_urlpatterns,
]
