"""Pages of case records and hotspots: police and ward leadership of the ward only."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView, View
from django.views.generic.detail import SingleObjectMixin

from apps.core.audit import AuditAction, audit, query_filters
from apps.core.excel import StreamingWorkbook
from apps.core.mixins import ScopedViewMixin

from .filtersets import CaseFilter, HotspotFilter
from .forms import (CaseForm, HotspotForm, ParticipantFormSet, SeizedItemFormSet, participant_initial,
                    seized_item_initial)
from .models import Case, Hotspot, Participant
from .selectors import case_number_suggestion
from .services import case_create, case_update, hotspot_create, hotspot_update

EXPORT_BANNER = _("TÀI LIỆU MẬT — DỮ LIỆU CÁ NHÂN NHẠY CẢM. Chỉ sử dụng đúng chức trách; không sao chép, chia sẻ "
                  "(Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15).")


class FilteredListMixin:
    """A list built from a FilterSet over the scoped queryset, 50 rows a page, audited."""

    filterset_class = None
    paginate_by = 50
    audit_denied = True

    def filtered_queryset(self):
        self.filterset = self.filterset_class(self.request.GET or None, queryset=self.base_queryset(),
                                              request=self.request)
        return self.filterset.qs

    def base_queryset(self):
        return self.model.objects.for_user(self.request.user)

    def querystring(self):
        query = self.request.GET.copy()
        query.pop("page", None)
        return query.urlencode()

    def filter_summary(self) -> dict:
        form = self.filterset.form
        if not form.is_bound or not form.is_valid():
            return {}
        return {name: str(value) for name, value in form.cleaned_data.items() if value not in (None, "")}


class CaseListView(FilteredListMixin, ScopedViewMixin, ListView):
    """Cases of the user's ward, newest first, filtered by date, khóm, kind, handling and a search."""

    model = Case
    permission_required = "cases.view_case"
    filterset_class = CaseFilter
    template_name = "cases/case_list.html"
    audit_list = True  # participants are named

    def get_queryset(self):
        return self.filtered_queryset().with_list_data().order_by("-detected_on", "-number", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["querystring"] = self.querystring()
        return context


class CaseDetailView(ScopedViewMixin, DetailView):
    """One case with its seized items and participants; every view is logged."""

    model = Case
    permission_required = "cases.view_case"
    template_name = "cases/case_detail.html"
    audit_denied = True
    audit_view = True

    def get_queryset(self):
        return super().get_queryset().select_related("ward", "khom", "officer", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        context["seized_items"] = case.seized_items.all()
        context["participants"] = case.participants.select_related("person", "person__khom")
        context["can_edit"] = self.request.user.has_perm("cases.change_case")
        return context


class ServiceFormView(ScopedViewMixin, SingleObjectMixin, TemplateView):
    """A page of one or more forms whose valid input goes to one service; its refusals return to the forms."""

    audit_denied = True
    object = None
    detail_url_name = ""
    success_message = ""

    def get_object_or_none(self):
        return None

    def build(self, data=None) -> dict:
        """{context name: form or formset}; the first one receives the service's errors."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.object = self.get_object_or_none()
        return self.render_to_response(self.get_context_data(**self.build()))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object_or_none()
        forms = self.build(request.POST)
        if all([f.is_valid() for f in forms.values()]):
            try:
                saved = self.save(**forms)
            except ValidationError as error:
                # The service refused: nothing was written, and the forms keep everything the user typed.
                self.attach_errors(next(iter(forms.values())), error)
            else:
                messages.success(request, self.success_message % {"code": getattr(saved, "code", "")})
                return redirect(self.detail_url_name, pk=saved.pk)
        return self.render_to_response(self.get_context_data(**forms))

    @staticmethod
    def attach_errors(form, error):
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)


class CaseFormView(ServiceFormView):
    """Shared by create and edit: the case form with its seized-item and participant rows."""

    model = Case
    template_name = "cases/case_form.html"
    detail_url_name = "cases:detail"

    def build(self, data=None):
        user = self.request.user
        case = self.object
        suggestion = None
        if case is None:
            ward_id = user.primary_ward_id
            suggestion = case_number_suggestion(ward_id=ward_id, year=timezone.localdate().year) if ward_id else None
        return {
            "form": CaseForm(data, instance=case, user=user, number_suggestion=suggestion),
            "items": SeizedItemFormSet(data, prefix="items", initial=seized_item_initial(case) if case else None),
            "people": ParticipantFormSet(data, prefix="people", form_kwargs={"user": user},
                                         initial=participant_initial(case) if case else None),
        }


class CaseCreateView(CaseFormView):
    permission_required = "cases.add_case"
    success_message = _("Đã ghi vụ việc số %(code)s.")

    def save(self, form, items, people):
        return case_create(user=self.request.user, data=form.to_data(), seized_items=items.rows(),
                           participants=people.rows())


class CaseUpdateView(CaseFormView):
    permission_required = "cases.change_case"
    success_message = _("Đã cập nhật vụ việc số %(code)s.")

    # The form shows the case and the names of the people in it: opening it is a view.
    audit_view = True

    def get_object_or_none(self):
        return self.get_object()

    def save(self, form, items, people):
        return case_update(case=self.object, user=self.request.user, expected_version=form.cleaned_data.get("version"),
                           data=form.to_data(), seized_items=items.rows(), participants=people.rows())


class CaseExportView(FilteredListMixin, ScopedViewMixin, View):
    """The filtered case list as an Excel file: same query string as the list, user text as text, logged."""

    model = Case
    permission_required = "cases.view_case"
    filterset_class = CaseFilter

    HEADERS = [_("Số vụ"), _("Ngày phát hiện"), _("Khóm"), _("Nơi phát hiện"), _("Loại vụ việc"), _("Xử lý"),
               _("Cán bộ thụ lý"), _("Người liên quan"), _("Tang vật thu giữ"), _("Số cây bị phá hủy"),
               _("Diện tích bị phá hủy (m²)"), _("Tóm tắt")]

    def get(self, request, *args, **kwargs):
        queryset = (
            self.filtered_queryset().with_list_data()
            .prefetch_related("seized_items",
                              Prefetch("participants", queryset=Participant.objects.select_related("person")))
            .order_by("-detected_on", "-number", "-pk")
        )
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


class HotspotListView(FilteredListMixin, ScopedViewMixin, ListView):
    """Hotspots of the user's ward, active ones first."""

    model = Hotspot
    permission_required = "cases.view_hotspot"
    filterset_class = HotspotFilter
    template_name = "cases/hotspot_list.html"
    audit_list = True

    def get_queryset(self):
        return (self.filtered_queryset().select_related("ward", "khom")
                .order_by("cleared_on", "-found_on", "-pk"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["querystring"] = self.querystring()
        context["today"] = timezone.localdate()
        return context


class HotspotDetailView(ScopedViewMixin, DetailView):
    model = Hotspot
    permission_required = "cases.view_hotspot"
    template_name = "cases/hotspot_detail.html"
    audit_denied = True
    audit_view = True

    def get_queryset(self):
        return super().get_queryset().select_related("ward", "khom", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.request.user.has_perm("cases.change_hotspot")
        return context


class HotspotFormView(ServiceFormView):
    model = Hotspot
    template_name = "cases/hotspot_form.html"
    detail_url_name = "cases:hotspot_detail"

    def build(self, data=None):
        return {"form": HotspotForm(data, instance=self.object, user=self.request.user)}


class HotspotCreateView(HotspotFormView):
    permission_required = "cases.add_hotspot"
    success_message = _("Đã ghi tụ điểm.")

    def save(self, form):
        return hotspot_create(user=self.request.user, data=form.to_data())


class HotspotUpdateView(HotspotFormView):
    permission_required = "cases.change_hotspot"
    success_message = _("Đã cập nhật tụ điểm.")

    audit_view = True

    def get_object_or_none(self):
        return self.get_object()

    def save(self, form):
        return hotspot_update(hotspot=self.object, user=self.request.user,
                              expected_version=form.cleaned_data.get("version"), data=form.to_data())
