"""Pages of the register: list, export, detail, forms and the deadlines page."""
import datetime as dt
import re

from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.audit import AuditAction, audit, query_filters
from apps.core.excel import StreamingWorkbook
from apps.core.filtersets import FILTER_TEXT_MAX
from apps.core.mixins import ScopedViewMixin
from apps.core.text import fold
from apps.core.validators import today_in_vietnam
from apps.core.views import ScopedDetailView, ScopedFilterMixin, ScopedListView, ServiceFormView, ServiceUpdateView
from apps.core.numbers import whole_number

from . import services
from .columns import BANNER_ROWS, EXPORT_HEADERS, EXPORT_WIDTHS, HEADER_ROW, person_rows
from .filtersets import DeadlineFilter, PersonFilter
from .forms import (DrugTestForm, EpisodeCloseForm, EpisodeForm, EpisodeRestartForm, PersonForm, ResidenceMoveForm,
                    ResidenceMoveNotifyForm, SupportRecordForm)
from .models import PERSON_ORDER, Episode, EpisodeKind, Person, ResidenceMove
from .panels import person_panels
from .selectors import (DEADLINE_CATEGORIES, DEADLINE_HORIZON_DAYS, deadline_calendar, deadlines_for_user,
                        person_timeline, window_256a_until)
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
        rows = sheet.append_table(([number, *row] for number, row in enumerate(person_rows(queryset), start=1)),
                                  cell_style, columns=len(EXPORT_HEADERS))
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
        context["today"] = today_in_vietnam()
        # Not a task: a badge (issue 18 §6) while the art. 256a window of an ended episode runs.
        context["window_256a_until"] = window_256a_until(person, context["today"])
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


class PersonRecordFormMixin:
    """A form on a person's record (a new episode, test, move or support; a step of an episode or a move)."""

    template_name = "subjects/record_form.html"
    audit_denied = True
    # The form names the person: opening it is a view of the person's record.
    audit_view = True
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)


class PersonRecordCreateView(PersonRecordFormMixin, ServiceFormView):
    """Add an episode, test, move or support record to a person the user may change."""

    queryset = Person.objects.with_related()
    object_kwarg = "person"


class PersonRecordUpdateView(PersonRecordFormMixin, ServiceUpdateView):
    """Change one record of a person (the URL's ``pk``), under the person's name; back to the person's page."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.object.person, **kwargs)

    def get_success_url(self):
        return self.object.person.get_absolute_url()


class EpisodeCreateView(PersonRecordCreateView):
    """Open an episode; ``?kind=<code>&started_on=dd/mm/yyyy`` fill the form (the work list's links)."""

    form_class = EpisodeForm
    permission_required = "subjects.add_episode"
    title = _("Mở đợt quản lý")
    service = services.episode_create

    def get_initial(self):
        initial = super().get_initial()
        code = self.request.GET.get("kind", "")
        # A code as the admin writes it (a slug), else nothing: a hostile value never reaches a query.
        kind = (EpisodeKind.objects.filter(code=code, is_active=True).first()
                if re.fullmatch(r"[-a-zA-Z0-9_]{1,40}", code) else None)
        if kind is not None:
            initial["kind"] = kind
        started_on = self.request.GET.get("started_on", "")
        if re.fullmatch(r"\d{2}/\d{2}/\d{4}", started_on):
            initial["started_on"] = started_on  # shown as typed; the form checks it on saving
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        kind = None
        if form is not None and form.is_bound:
            kind = getattr(form, "cleaned_data", {}).get("kind")
        elif form is not None:
            kind = form.initial.get("kind")
        if isinstance(kind, EpisodeKind):
            # The open episodes that keep this kind from opening, each with the link that closes it (§5).
            context["conflicts"] = list(Episode(person=self.object, kind=kind).conflicting_open_episodes())
        return context


class DrugTestCreateView(PersonRecordCreateView):
    form_class = DrugTestForm
    permission_required = "subjects.add_drugtest"
    title = _("Ghi kết quả xét nghiệm")
    service = services.drug_test_create

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.object}

    def get_success_message(self):
        if self._restart() is not None:
            return RESTART_OFFERED
        return super().get_success_message()

    def get_success_url(self):
        episode = self._restart()
        if episode is not None:
            # A new use during the term: offer the new decision, whose term starts again (issue 18 §2).
            return f"{reverse('subjects:episode_restart', args=[episode.pk])}?test={self.result.pk}"
        return super().get_success_url()

    def _restart(self):
        if not hasattr(self, "_offer"):
            self._offer = services.restart_offer(self.result) if self.result is not None else None
        return self._offer


RESTART_OFFERED = _("Đã ghi kết quả dương tính trong thời hạn quản lý. Cần ra quyết định quản lý mới: "
                    "thời hạn tính lại từ đầu.")
RESTARTED = _("Đã ghi quyết định quản lý mới; thời hạn tính lại từ ngày bắt đầu.")


class EpisodeRestartView(PersonRecordUpdateView):
    """The new decision on an open episode after a new use during its term; the reset term is shown."""

    queryset = Episode.objects.open().filter(kind__restarts_on_positive_test=True).select_related(
        "kind", "person", "person__khom")
    form_class = EpisodeRestartForm
    permission_required = "subjects.add_episode"
    service = services.episode_restart
    success_message = RESTARTED
    title = _("Ra quyết định quản lý mới (thời hạn tính lại)")

    def get_initial(self):
        return {**super().get_initial(), "started_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        from apps.core.periods import add_months

        from .models import DrugTest

        episode = self.object
        test_pk = whole_number(self.request.GET.get("test", ""))
        test = DrugTest.objects.filter(person=episode.person, pk=test_pk).first() if test_pk is not None else None
        form = kwargs.get("form")
        started = (getattr(form, "cleaned_data", {}) or {}).get("started_on") if form is not None else None
        started = started or timezone.localdate()
        months = episode.kind.default_term_months
        return super().get_context_data(
            restart={"episode": episode, "test": test, "months": months, "started_on": started,
                     "planned_end": add_months(started, months) if months else None}, **kwargs)


class ResidenceMoveNotifyView(PersonRecordUpdateView):
    """Record the day the police were told of a move (the work list's "chưa báo Công an" task)."""

    queryset = ResidenceMove.objects.select_related("person", "person__khom")
    form_class = ResidenceMoveNotifyForm
    permission_required = "subjects.change_residencemove"
    service = services.residence_move_notify
    object_kwarg = "move"
    success_message = _("Đã ghi ngày báo Công an.")
    title = _("Ghi ngày báo Công an về việc chuyển nơi cư trú")


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


class EpisodeCloseView(PersonRecordUpdateView):
    """End an open episode with a date and a reason."""

    queryset = Episode.objects.open().select_related("kind", "person", "person__khom")
    form_class = EpisodeCloseForm
    permission_required = "subjects.change_episode"
    service = services.episode_close
    title = _("Kết thúc đợt quản lý")


class DeadlineListMixin(ScopedViewMixin):
    """The work list's tasks in the user's scope, narrowed by ``?category=&khom=&overdue=1``: page and export."""

    model = Person
    permission_required = "subjects.view_person"

    def deadline_rows(self):
        today = today_in_vietnam()
        self.filterset = DeadlineFilter(self.request.GET or None, queryset=Person.objects.none(), request=self.request)
        self.calendar = deadline_calendar(today)  # one read of the calendar's exceptions for the whole page
        return today, deadlines_for_user(self.request.user, today=today, calendar=self.calendar,
                                         filters=self.filterset.deadline_filters())


class DeadlinesView(DeadlineListMixin, TemplateView):
    """Việc cần làm: the tasks due or overdue in the user's scope, most urgent first, each with its form."""

    template_name = "subjects/deadlines.html"
    # Names the people whose deadlines are due.
    audit_list = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today, deadlines = self.deadline_rows()
        context["deadlines"] = deadlines
        context["filter"] = self.filterset
        context["categories"] = DEADLINE_CATEGORIES
        context["today"] = today
        context["horizon_days"] = DEADLINE_HORIZON_DAYS
        context["special_days"] = self.calendar.special_days(today, today + dt.timedelta(days=DEADLINE_HORIZON_DAYS))
        context["printed_by"] = signed_by(self.request.user)
        context["printed_at"] = timezone.localtime()
        return context


DEADLINES_TITLE = "DANH SÁCH VIỆC CẦN LÀM — {place} — NGÀY {day:%d/%m/%Y}"
DEADLINES_SHEET = "Việc cần làm"
DEADLINES_HEADERS = ["STT", "Hạn", "Quá hạn", "Việc", "Cần làm", "Họ và tên", "Số hồ sơ", "Khóm", "Chi tiết", "Đường dẫn"]
DEADLINES_WIDTHS = [6, 12, 9, 40, 44, 28, 10, 16, 30, 40]


class DeadlinesExportView(DeadlineListMixin, View):
    """The work list as filtered, as an Excel file (marked, audited with its row count and filters)."""

    def get(self, request, *args, **kwargs):
        today, deadlines = self.deadline_rows()
        workbook = StreamingWorkbook()
        now = timezone.localtime()
        banner = [str(EXPORT_MARKING.format(user=signed_by(request.user), at=now.strftime("%d/%m/%Y %H:%M")))]
        heading = DEADLINES_TITLE.format(place=export_place(request, self.filterset), day=today)
        header_style = workbook.style(bold=True, border=1, bg_color="#D9D9D9", text_wrap=True, align="center",
                                      valign="vcenter")
        sheet = workbook.sheet(DEADLINES_SHEET, headers=DEADLINES_HEADERS, banner=banner, heading=heading,
                               widths=DEADLINES_WIDTHS, header_style=header_style)
        cell_style = workbook.style(border=1, valign="top")
        with translation.override("vi"):  # a Vietnamese document whatever the interface language
            rows = [[number, item.due, "Có" if item.overdue else "", str(item.label), str(item.action),
                     item.person.full_name, item.person.file_number, item.person.khom.name, item.detail,
                     request.build_absolute_uri(item.url)]
                    for number, item in enumerate(deadlines, start=1)]
        count = sheet.append_table(rows, cell_style, columns=len(DEADLINES_HEADERS))
        sheet.printable(header_row=BANNER_ROWS, columns=len(DEADLINES_HEADERS))
        audit(AuditAction.EXPORT, object_type="subjects.person", object_repr=str(_("Danh sách việc cần làm")),
              extra={"rows": count, "format": "xlsx", **query_filters(request)})
        return workbook.response(f"viec-can-lam-{today:%Y%m%d}.xlsx")
