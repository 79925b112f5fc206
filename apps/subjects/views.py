"""Pages of the register: list, export, detail, forms and the deadlines page."""
import datetime as dt

from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.audit import AuditAction, audit, query_filters
from apps.core.excel import StreamingWorkbook
from apps.core.filtersets import FILTER_TEXT_MAX
from apps.core.mixins import ScopedViewMixin
from apps.core.text import fold
from apps.core.views import ScopedDetailView, ScopedFilterMixin, ScopedListView, ServiceFormView, ServiceUpdateView

from . import services
from .columns import BANNER_ROWS, EXPORT_HEADERS, EXPORT_WIDTHS, HEADER_ROW, person_rows
from .filtersets import PersonFilter
from .forms import DrugTestForm, EpisodeCloseForm, EpisodeForm, PersonForm, ResidenceMoveForm, SupportRecordForm
from .models import PERSON_ORDER, Episode, Person
from .panels import person_panels
from .selectors import (DEADLINE_CATEGORIES, DEADLINE_HORIZON_DAYS, deadline_calendar, deadlines_for_user,
                        person_timeline)
from .widgets import person_label

EXPORT_MARKING = _("TÀI LIỆU CÓ DỮ LIỆU CÁ NHÂN NHẠY CẢM — chỉ dùng đúng chức trách. Xuất bởi {user} lúc {at}.")
# Fixed Vietnamese, like the headers: the file is filed as a Vietnamese document whatever the interface language.
EXPORT_TITLE = "DANH SÁCH ĐỐI TƯỢNG QUẢN LÝ — {place} — NGÀY {day:%d/%m/%Y}"
EXPORT_SHEET = "Đối tượng"


def signed_by(user) -> str:
    """Who printed or exported: "Họ tên (tên đăng nhập)", or the login alone."""
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def export_place(request, filterset) -> str:
    """Whose list the file is, for its title: the ward chosen or the user's one ward, else the province."""
    from apps.khom.models import Ward

    data = getattr(filterset.form, "cleaned_data", {}) if filterset is not None else {}
    khom = data.get("khom")
    ward = data.get("ward") or (khom.ward if khom is not None else None)
    if ward is None:
        wards = list(Ward.objects.for_user(request.user).order_by("pk")[:2])
        if len(wards) == 1:
            ward = wards[0]
        elif wards:
            return f"TỈNH {wards[0].province}".upper()
        else:
            return ""
    return ward.full_name.upper()


class PersonListView(ScopedListView):
    """People in the user's scope, filtered, searched, sorted, 50 a page."""

    queryset = Person.objects.with_related()
    permission_required = "subjects.view_person"
    filterset_class = PersonFilter
    audit_list = True


class PersonExportView(ScopedFilterMixin, View):
    """The filtered list as a streamed Excel file, user text always as text, audited with its row count."""

    queryset = PersonListView.queryset
    permission_required = "subjects.view_person"
    filterset_class = PersonFilter

    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        workbook = StreamingWorkbook()
        now = timezone.localtime()
        marking = EXPORT_MARKING.format(user=signed_by(request.user),
                                        at=now.strftime("%d/%m/%Y %H:%M"))
        banner = [str(marking)]
        heading = EXPORT_TITLE.format(place=export_place(request, self.filterset), day=now.date())
        assert 1 + len(banner) == BANNER_ROWS  # the title and the marking above the header
        # A register as printed: ruled cells, the header shaded (row heights are not known to the writer, so
        # data cells do not wrap: the columns are wide enough for a usual address or status instead).
        header_style = workbook.style(bold=True, border=1, bg_color="#D9D9D9", text_wrap=True, align="center",
                                      valign="vcenter")
        cell_style = workbook.style(border=1, valign="top")
        sheet = workbook.sheet(EXPORT_SHEET, headers=EXPORT_HEADERS, banner=banner, heading=heading,
                               widths=EXPORT_WIDTHS, header_style=header_style)
        sheet.worksheet.set_row(HEADER_ROW - 1, 30)  # room for a header on two lines
        # Plain tuples from a server-side cursor: never all rows in memory, no model instances built.
        rows = sheet.append_rows(([number, *row] for number, row in enumerate(person_rows(queryset), start=1)),
                                 style=cell_style)
        sheet.printable(header_row=HEADER_ROW - 1, columns=len(EXPORT_HEADERS))
        audit(AuditAction.EXPORT, object_type="subjects.person", object_repr=str(_("Danh sách đối tượng")),
              extra={"rows": rows, "format": "xlsx", **query_filters(request)})
        return workbook.response(f"doi-tuong-{dt.date.today():%Y%m%d}.xlsx")


AUTOCOMPLETE_PAGE = 20
AUTOCOMPLETE_REFUSED = _("Từ khóa tìm kiếm không hợp lệ: tối đa %(max)s ký tự, không có ký tự điều khiển.")


class PersonAutocompleteView(ScopedViewMixin, View):
    """The person picker's search: ``?q=`` folded like the list's search, in the user's scope, 20 at most.

    JSON ``{"results": [{"value": id, "text": label}], "more": bool}`` in the register's order; a search is
    audited as the list's searches are (what was typed, how many rows were shown).
    """

    model = Person
    permission_required = "subjects.view_person"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "")
        if len(query) > FILTER_TEXT_MAX or any(ord(ch) < 32 and ch not in "\t\n\r" for ch in query):
            return JsonResponse({"results": [], "more": False,
                                 "error": str(AUTOCOMPLETE_REFUSED % {"max": FILTER_TEXT_MAX})}, status=400)
        words = fold(query).split()
        if not words:
            return JsonResponse({"results": [], "more": False})
        people = self.get_queryset()
        for word in words:
            people = people.filter(search_text__contains=word)
        rows = list(people.order_by(*PERSON_ORDER)
                    .values_list("pk", "full_name", "file_number", "date_of_birth", "khom__name")
                    [:AUTOCOMPLETE_PAGE + 1])
        more = len(rows) > AUTOCOMPLETE_PAGE
        rows = rows[:AUTOCOMPLETE_PAGE]
        audit(AuditAction.VIEW, object_type="subjects.person", object_repr=str(_("Tìm đối tượng để chọn")),
              extra={"list": True, "view": "subjects:autocomplete", **query_filters(request), "rows": len(rows)})
        return JsonResponse({"results": [{"value": pk, "text": person_label(name, number, born, khom)}
                                         for pk, name, number, born, khom in rows], "more": more})


class PersonDetailView(ScopedDetailView):
    """One person: record, one timeline of episodes, tests, moves and support, panels of other apps."""

    queryset = Person.objects.with_related()
    permission_required = "subjects.view_person"
    audit_denied = True
    audit_view = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["timeline"] = person_timeline(person)
        context["today"] = dt.date.today()
        context["age"] = person.age_on(context["today"])
        context["can_change"] = self.request.user.has_perm("subjects.change_person")
        context["printed_by"] = signed_by(self.request.user)
        context["printed_at"] = timezone.localtime()
        context["panels"] = [
            {"title": panel["title"], "html": render_to_string(panel["template"], panel["context"], self.request)}
            for panel in person_panels(self.request, person)
        ]
        return context


class PersonCreateView(ServiceFormView):
    model = Person
    form_class = PersonForm
    permission_required = "subjects.add_person"
    service = services.person_create

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        # A CCCD refused as held elsewhere: offer to request the record (issue 18 §3); the refusal stays as it is.
        if (form is not None and form.is_bound and self.request.user.has_perm("subjects.add_recordtransfer")
                and services.is_cccd_refusal(form.errors.as_data().get("cccd"))):
            context["transfer_offer"] = {"cccd": (form.data.get("cccd") or "").strip(), "khom": form.data.get("khom")}
        return context


class PersonUpdateView(ServiceUpdateView):
    model = Person
    form_class = PersonForm
    permission_required = "subjects.change_person"
    service = services.person_update
    audit_denied = True
    # The edit form shows the whole record, so opening it is a view of the record.
    audit_view = True


class PersonRecordCreateView(ServiceFormView):
    """Add an episode, test, move or support record to a person the user may change."""

    queryset = Person.objects.with_related()
    object_kwarg = "person"
    template_name = "subjects/record_form.html"
    audit_denied = True
    # The form names the person: opening it is a view of the person's record.
    audit_view = True
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)


class EpisodeCreateView(PersonRecordCreateView):
    form_class = EpisodeForm
    permission_required = "subjects.add_episode"
    title = _("Mở đợt quản lý")
    service = services.episode_create


class DrugTestCreateView(PersonRecordCreateView):
    form_class = DrugTestForm
    permission_required = "subjects.add_drugtest"
    title = _("Ghi kết quả xét nghiệm")
    service = services.drug_test_create

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.object}


class ResidenceMoveCreateView(PersonRecordCreateView):
    form_class = ResidenceMoveForm
    permission_required = "subjects.add_residencemove"
    title = _("Ghi thay đổi nơi cư trú")
    service = services.residence_move_create


class SupportRecordCreateView(PersonRecordCreateView):
    form_class = SupportRecordForm
    permission_required = "subjects.add_supportrecord"
    title = _("Ghi hỗ trợ tái hòa nhập")
    service = services.support_record_create


class EpisodeCloseView(ServiceUpdateView):
    """End an open episode with a date and a reason."""

    queryset = Episode.objects.open().select_related("kind", "person", "person__khom")
    form_class = EpisodeCloseForm
    permission_required = "subjects.change_episode"
    template_name = "subjects/record_form.html"
    service = services.episode_close
    audit_denied = True
    audit_view = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.object.person, title=_("Kết thúc đợt quản lý"), **kwargs)

    def get_success_url(self):
        return self.object.person.get_absolute_url()


class DeadlinesView(ScopedViewMixin, TemplateView):
    """Việc cần làm: what is due or overdue in the user's scope, most urgent first."""

    model = Person
    permission_required = "subjects.view_person"
    template_name = "subjects/deadlines.html"
    # Names the people whose deadlines are due.
    audit_list = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = dt.date.today()
        calendar = deadline_calendar(today)  # one read of the calendar's exceptions for the whole page
        context["deadlines"] = deadlines_for_user(self.request.user, today=today, calendar=calendar)
        context["categories"] = DEADLINE_CATEGORIES
        context["today"] = today
        context["horizon_days"] = DEADLINE_HORIZON_DAYS
        context["special_days"] = calendar.special_days(today, today + dt.timedelta(days=DEADLINE_HORIZON_DAYS))
        return context
