"""Pages of the register: list, export, detail, forms and the deadlines page."""
import datetime as dt
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, TemplateView, UpdateView

from apps.core.audit import AuditAction, audit, query_filters
from apps.core.excel import StreamingWorkbook
from apps.core.mixins import ScopedFormMixin, ScopedViewMixin
from apps.core.pagination import CappedCountPaginator

from . import services
from .columns import BANNER_ROWS, PERSON_HEADERS, person_rows
from .filtersets import PersonFilter, spans_wards
from .forms import DrugTestForm, EpisodeCloseForm, EpisodeForm, PersonForm, ResidenceMoveForm, SupportRecordForm
from .models import Episode, Person
from .panels import person_panels
from .selectors import (DEADLINE_CATEGORIES, DEADLINE_HORIZON_DAYS, deadline_calendar, deadlines_for_user,
                        person_timeline)

# Across several wards the people list counts at most this many matches (issue 9); a ward counts them all.
PROVINCE_COUNT_CAP = 2000

SAVED = _("Đã lưu.")
EXPORT_MARKING = _("TÀI LIỆU CÓ DỮ LIỆU CÁ NHÂN NHẠY CẢM — chỉ dùng đúng chức trách. Xuất bởi {user} lúc {at}.")


def person_filterset(request) -> PersonFilter:
    """The list's filters over the user's people; the list and the export both start here."""
    queryset = Person.objects.for_user(request.user).with_related()
    return PersonFilter(request.GET or None, queryset=queryset, request=request)


def _querystring(request, drop=("page",)) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


class PersonListView(ScopedViewMixin, ListView):
    """People in the user's scope, filtered, searched, sorted, 50 a page."""

    model = Person
    permission_required = "subjects.view_person"
    template_name = "subjects/person_list.html"
    paginate_by = 50
    audit_list = True

    def get_queryset(self):
        self.filterset = person_filterset(self.request)
        return self.filterset.qs

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # A ward's list counts exactly; a search across the province stops counting at the cap.
        if spans_wards(self.request.user):
            return CappedCountPaginator(queryset, per_page, cap=PROVINCE_COUNT_CAP, orphans=orphans,
                                        allow_empty_first_page=allow_empty_first_page)
        return super().get_paginator(queryset, per_page, orphans, allow_empty_first_page, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["querystring"] = _querystring(self.request)
        context["today"] = dt.date.today()
        return context


class PersonExportView(ScopedViewMixin, View):
    """The filtered list as a streamed Excel file, user text always as text, audited with its row count."""

    model = Person
    permission_required = "subjects.view_person"

    def get(self, request, *args, **kwargs):
        queryset = person_filterset(request).qs
        workbook = StreamingWorkbook()
        marking = EXPORT_MARKING.format(user=request.user.get_username(),
                                        at=timezone.localtime().strftime("%d/%m/%Y %H:%M"))
        banner = [str(marking)]
        assert len(banner) == BANNER_ROWS  # the import reads the header from a fixed row
        sheet = workbook.sheet("Doi tuong", headers=PERSON_HEADERS, banner=banner,
                               widths=[10, 28, 8, 12, 15, 9, 20, 15, 30, 14, 16, 28, 14, 30])
        # Plain tuples from a server-side cursor: never all rows in memory, no model instances built.
        rows = sheet.append_rows(person_rows(queryset))
        audit(AuditAction.EXPORT, object_type="subjects.person", object_repr=str(_("Danh sách đối tượng")),
              extra={"rows": rows, "format": "xlsx", **query_filters(request)})
        return workbook.response(f"doi-tuong-{dt.date.today():%Y%m%d}.xlsx")


class PersonDetailView(ScopedViewMixin, DetailView):
    """One person: record, one timeline of episodes, tests, moves and support, panels of other apps."""

    model = Person
    permission_required = "subjects.view_person"
    template_name = "subjects/person_detail.html"
    audit_denied = True
    audit_view = True

    def get_queryset(self):
        return super().get_queryset().with_related()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["timeline"] = person_timeline(person)
        context["today"] = dt.date.today()
        context["age"] = person.age_on(context["today"])
        context["can_change"] = self.request.user.has_perm("subjects.change_person")
        context["panels"] = [
            {"title": panel["title"], "html": render_to_string(panel["template"], panel["context"], self.request)}
            for panel in person_panels(self.request, person)
        ]
        return context


class ServiceFormMixin:
    """Send the form's cleaned data to a service; its validation errors go back onto the form."""

    success_message = SAVED

    def run_service(self, form):
        raise NotImplementedError

    def success_url_for(self, result):
        return result.get_absolute_url() if hasattr(result, "get_absolute_url") else "/"

    def form_valid(self, form):
        try:
            result = self.run_service(form)
        except ValidationError as exc:
            # Bound form, re-rendered: nothing written, nothing the user typed lost.
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.success_url_for(result))


class PersonCreateView(ScopedViewMixin, ScopedFormMixin, ServiceFormMixin, CreateView):
    model = Person
    form_class = PersonForm
    permission_required = "subjects.add_person"
    template_name = "subjects/person_form.html"

    def run_service(self, form):
        return services.person_create(user=self.request.user, data=form.cleaned_data)


class PersonUpdateView(ScopedViewMixin, ScopedFormMixin, ServiceFormMixin, UpdateView):
    model = Person
    form_class = PersonForm
    permission_required = "subjects.change_person"
    template_name = "subjects/person_form.html"
    audit_denied = True
    # The edit form shows the whole record, so opening it is a view of the record.
    audit_view = True

    def run_service(self, form):
        return services.person_update(person=self.object, user=self.request.user, data=form.cleaned_data,
                                      expected_version=form.cleaned_data.get("version"))


class _LookupByPk:
    """The get_object that ScopedViewMixin wraps, for views that are not SingleObjectMixin views."""

    def get_object(self, queryset=None):
        return get_object_or_404(queryset, pk=self.kwargs["pk"])


class PersonRecordCreateView(ScopedViewMixin, ScopedFormMixin, ServiceFormMixin, _LookupByPk, FormView):
    """Add an episode, test, move or support record to a person the user may change."""

    model = Person
    template_name = "subjects/record_form.html"
    audit_denied = True
    # The form names the person: opening it is a view of the person's record.
    audit_view = True
    title = ""
    service = None

    @cached_property
    def person(self):
        # Through ScopedViewMixin.get_object, so a refusal out of scope is audited like on the detail page.
        return self.get_object(Person.objects.for_user(self.request.user).with_related())

    def audited_object(self):
        return self.person

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, title=self.title, **kwargs)

    def run_service(self, form):
        return self.service(person=self.person, user=self.request.user, data=form.cleaned_data)

    def success_url_for(self, result):
        return self.person.get_absolute_url()


class EpisodeCreateView(PersonRecordCreateView):
    form_class = EpisodeForm
    permission_required = "subjects.add_episode"
    title = _("Mở đợt quản lý")
    service = staticmethod(services.episode_create)


class DrugTestCreateView(PersonRecordCreateView):
    form_class = DrugTestForm
    permission_required = "subjects.add_drugtest"
    title = _("Ghi kết quả xét nghiệm")
    service = staticmethod(services.drug_test_create)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}


class ResidenceMoveCreateView(PersonRecordCreateView):
    form_class = ResidenceMoveForm
    permission_required = "subjects.add_residencemove"
    title = _("Ghi thay đổi nơi cư trú")
    service = staticmethod(services.residence_move_create)


class SupportRecordCreateView(PersonRecordCreateView):
    form_class = SupportRecordForm
    permission_required = "subjects.add_supportrecord"
    title = _("Ghi hỗ trợ tái hòa nhập")
    service = staticmethod(services.support_record_create)


class EpisodeCloseView(ScopedViewMixin, ServiceFormMixin, UpdateView):
    """End an open episode with a date and a reason."""

    model = Episode
    form_class = EpisodeCloseForm
    permission_required = "subjects.change_episode"
    template_name = "subjects/record_form.html"
    audit_denied = True
    audit_view = True

    def get_queryset(self):
        return super().get_queryset().open().select_related("kind", "person", "person__khom")

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.object.person, title=_("Kết thúc đợt quản lý"), **kwargs)

    def run_service(self, form):
        return services.episode_close(episode=self.object, user=self.request.user,
                                      actual_end=form.cleaned_data["actual_end"],
                                      end_reason=form.cleaned_data["end_reason"])

    def success_url_for(self, result):
        return result.person.get_absolute_url()


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
