"""Pages of case records and hotspots: police and ward leadership of the ward only."""
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.audit import AuditAction, audit, query_filters
from apps.core.excel import StreamingWorkbook
from apps.core.views import (ScopedDetailView, ScopedFilterMixin, ScopedListView, ServiceFormView,
                             ServiceUpdateView)

from .filtersets import CaseFilter, HotspotFilter
from .forms import (CaseForm, HotspotForm, ParticipantFormSet, SeizedItemFormSet, kept_people, participant_initial,
                    seized_item_initial)
from .models import Case, Hotspot, Participant
from .selectors import case_number_suggestion
from .services import case_create, case_update, hotspot_create, hotspot_update

EXPORT_BANNER = _("TÀI LIỆU MẬT — DỮ LIỆU CÁ NHÂN NHẠY CẢM. Chỉ sử dụng đúng chức trách; không sao chép, chia sẻ "
                  "(Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15).")


class CaseListView(ScopedListView):
    """Cases of the user's ward, newest first, filtered by date, khóm, kind, handling and a search."""

    queryset = Case.objects.with_list_data()
    permission_required = "cases.view_case"
    filterset_class = CaseFilter
    ordering = ("-detected_on", "-number", "-pk")
    audit_list = True  # participants are named
    audit_denied = True


class CaseDetailView(ScopedDetailView):
    """One case with its seized items and participants; every view is logged."""

    queryset = Case.objects.select_related("ward", "khom", "officer", "created_by")
    permission_required = "cases.view_case"
    audit_denied = True
    audit_view = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        context["seized_items"] = case.seized_items.all()
        context["participants"] = case.participants.select_related("person", "person__khom")
        context["can_edit"] = self.request.user.has_perm("cases.change_case")
        return context


class CaseFormMixin:
    """Shared by create and edit: the case form with its seized-item and participant rows."""

    model = Case
    form_class = CaseForm
    audit_denied = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        ward_id = self.request.user.primary_ward_id
        if self.object is None and ward_id:
            kwargs["number_suggestion"] = case_number_suggestion(ward_id=ward_id, year=timezone.localdate().year)
        return kwargs

    def get_formsets(self):
        data = self.request.POST if self.request.method == "POST" else None
        case = self.object
        return {
            "items": SeizedItemFormSet(data, prefix="items", initial=seized_item_initial(case) if case else None),
            "people": ParticipantFormSet(data, prefix="people",
                                         form_kwargs={"user": self.request.user, "kept_people": kept_people(case)},
                                         initial=participant_initial(case) if case else None),
        }

    def service_kwargs(self, form, formsets):
        return {"seized_items": formsets["items"].rows(), "participants": formsets["people"].rows()}

    def get_success_message(self):
        return self.success_message % {"code": self.result.code}


class CaseCreateView(CaseFormMixin, ServiceFormView):
    permission_required = "cases.add_case"
    service = case_create
    success_message = _("Đã ghi vụ việc số %(code)s.")


class CaseUpdateView(CaseFormMixin, ServiceUpdateView):
    permission_required = "cases.change_case"
    service = case_update
    success_message = _("Đã cập nhật vụ việc số %(code)s.")
    # The form shows the case and the names of the people in it: opening it is a view.
    audit_view = True


class CaseExportView(ScopedFilterMixin, View):
    """The filtered case list as an Excel file: same query string as the list, user text as text, logged."""

    queryset = CaseListView.queryset.prefetch_related(
        "seized_items", Prefetch("participants", queryset=Participant.objects.select_related("person")))
    permission_required = "cases.view_case"
    filterset_class = CaseFilter
    ordering = CaseListView.ordering
    audit_denied = True

    HEADERS = [_("Số vụ"), _("Ngày phát hiện"), _("Khóm"), _("Nơi phát hiện"), _("Loại vụ việc"), _("Xử lý"),
               _("Cán bộ thụ lý"), _("Người liên quan"), _("Tang vật thu giữ"), _("Số cây bị phá hủy"),
               _("Diện tích bị phá hủy (m²)"), _("Tóm tắt")]

    def filter_summary(self) -> dict:
        """The filters that narrowed the file, as the banner states them."""
        form = self.filterset.form
        if not form.is_bound or not form.is_valid():
            return {}
        return {name: str(value) for name, value in form.cleaned_data.items() if value not in (None, "")}

    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        now = timezone.localtime()
        book = StreamingWorkbook()
        ws = book.sheet(
            gettext("Vụ việc"),
            headers=[str(h) for h in self.HEADERS],
            widths=[10, 14, 20, 30, 30, 22, 24, 40, 40, 12, 14, 60],
            banner=[str(EXPORT_BANNER),
                    gettext("Xuất bởi %(user)s lúc %(at)s") % {"user": request.user.get_username(),
                                                         "at": now.strftime("%d/%m/%Y %H:%M")},
                    gettext("Bộ lọc: %(filters)s") % {"filters": "; ".join(f"{k}={v}" for k, v in
                                                                      self.filter_summary().items()) or "—"}],
        )
        rows = 0
        for case in queryset.iterator(chunk_size=1000):
            people = "; ".join(f"{p.name} ({p.get_role_display()})" for p in case.participants.all())
            items = "; ".join(str(item) for item in case.seized_items.all())
            ws.append([
                str(case.code),
                case.detected_on,
                case.khom.name,
                case.place,
                str(case.get_kind_display()),
                str(case.get_handling_display()),
                (case.officer.get_full_name() or case.officer.username) if case.officer else "",
                people,
                items,
                case.plants_destroyed,
                case.area_destroyed_m2,
                case.summary,
            ])
            rows += 1
        ws.append([gettext("Tổng số vụ việc: %(n)s") % {"n": rows}], book.style(italic=True))
        audit(AuditAction.EXPORT, object_type="cases.case", object_repr=gettext("Xuất danh sách vụ việc"),
              extra={"rows": rows, "format": "xlsx", **query_filters(request)})
        return book.response(f"vu-viec-{now:%Y%m%d-%H%M}.xlsx")


class HotspotListView(ScopedListView):
    """Hotspots of the user's ward, active ones first."""

    queryset = Hotspot.objects.select_related("ward", "khom")
    permission_required = "cases.view_hotspot"
    filterset_class = HotspotFilter
    ordering = ("cleared_on", "-found_on", "-pk")
    audit_list = True
    audit_denied = True


class HotspotDetailView(ScopedDetailView):
    queryset = Hotspot.objects.select_related("ward", "khom", "created_by")
    permission_required = "cases.view_hotspot"
    audit_denied = True
    audit_view = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_edit=self.request.user.has_perm("cases.change_hotspot"), **kwargs)


class HotspotCreateView(ServiceFormView):
    model = Hotspot
    form_class = HotspotForm
    permission_required = "cases.add_hotspot"
    service = hotspot_create
    success_message = _("Đã ghi tụ điểm.")
    audit_denied = True


class HotspotUpdateView(ServiceUpdateView):
    model = Hotspot
    form_class = HotspotForm
    permission_required = "cases.change_hotspot"
    service = hotspot_update
    success_message = _("Đã cập nhật tụ điểm.")
    audit_denied = True
    audit_view = True
