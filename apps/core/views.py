"""The page kit every app builds its pages from, and the site-wide pages (health check, audit log).

A page is a handful of declarations on one of these classes (docs/architecture.md, "A new page"):

- ``ScopedListView``: the user's rows of a model, narrowed by a FilterSet, paginated so that a province
  is not counted row by row; ``audit_list = True`` logs what it shows;
- ``ScopedDetailView``: one row in scope (404 otherwise); ``audit_view = True`` logs each view;
- ``ServiceFormView`` / ``ServiceUpdateView``: a form whose cleaned data goes to one service; the
  service's refusal comes back on the form's fields;
- ``ActionView``: a POST-only state transition (submit, approve, lock…) calling one service.

Each one goes through ``ScopedViewMixin``: anonymous → login, role without the permission → 403,
object out of scope → 404.
"""
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin, SingleObjectTemplateResponseMixin
from django.views.generic.edit import FormMixin

from .filtersets import AuditEventFilter
from .locking import StaleVersionError, lost_race_message
from .mixins import ScopedViewMixin, spans_wards
from .models import AuditEvent
from .pagination import PROVINCE_COUNT_CAP, CappedCountPaginator

SAVED = _("Đã lưu.")


# Service errors ---------------------------------------------------------------------------------

def add_service_errors(form, error: ValidationError, *, rest_to_page: bool = False) -> list[str]:
    """Put a service's refusal on *form*: each field's errors on that field, the rest at the top of the form.

    The rest is a refusal of the whole record or action (a stale version, a duplicate, NON_FIELD_ERRORS)
    or concerns a field the form does not show. With *rest_to_page* it is returned instead, for a page
    that says it above everything (an action's button has no room for it); otherwise nothing is returned.
    """
    rest = []
    if isinstance(error, StaleVersionError) or not hasattr(error, "error_dict"):
        fields = {None: error.error_list}
    else:
        fields = error.error_dict
    for field, errors in fields.items():
        if form is not None and field in form.fields and field != NON_FIELD_ERRORS:
            form.add_error(field, errors)
        elif rest_to_page or form is None:
            rest += [str(message) for each in errors for message in each.messages]
        else:
            form.add_error(None, errors)
    return rest


def error_messages(error: ValidationError | None = None, form=None) -> list[str]:
    """Every message of *error* and of *form*'s errors, in order, for a page that shows them as messages."""
    found = [str(message) for message in error.messages] if error is not None else []
    if form is not None:
        found += [str(message) for errors in form.errors.values() for message in errors if str(message) not in found]
    return found


def call_service(service, **arguments):
    """``service(**arguments)``; a save that lost a race to another one is refused like any other refusal."""
    try:
        return service(**arguments)
    except DatabaseError as exc:
        # The service's transaction has been rolled back: nothing was written.
        message = lost_race_message(exc)
        if message is None:
            raise
        raise ValidationError(message, code="save_conflict") from exc


# Lists and details ------------------------------------------------------------------------------

class ScopedFilterMixin(ScopedViewMixin):
    """The scoped queryset, ordered by ``ordering`` and narrowed by ``filterset_class``.

    A list and its export start from here, so that the file holds exactly the rows the page shows.
    """

    filterset_class = None
    ordering = None
    filterset = None

    def get_queryset(self):
        queryset = super().get_queryset()
        ordering = self.ordering
        if ordering:
            # Before the filters, so that a sort chosen in the filter form takes precedence.
            queryset = queryset.order_by(*([ordering] if isinstance(ordering, str) else ordering))
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
            queryset = self.filterset.qs
        return queryset


class ScopedListView(ScopedFilterMixin, ListView):
    """The user's rows of ``model`` (or of ``queryset``), filtered by ``filterset_class``, 50 a page.

    Across several wards the count stops at ``count_cap`` rows (CappedCountPaginator: counting every
    match of a province-wide search costs more than the page), ``None`` counts everything.
    The template gets ``filter`` (the FilterSet) and ``today``; links keep the query with ``{% querystring %}``.
    """

    paginate_by = 50
    count_cap = PROVINCE_COUNT_CAP

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        if self.count_cap and spans_wards(self.request.user):
            return CappedCountPaginator(queryset, per_page, cap=self.count_cap, orphans=orphans,
                                        allow_empty_first_page=allow_empty_first_page, **kwargs)
        return super().get_paginator(queryset, per_page, orphans, allow_empty_first_page, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["today"] = timezone.localdate()
        return context


class ScopedDetailView(ScopedViewMixin, DetailView):
    """One row of ``model`` (or of ``queryset``) in the user's scope; 404 for any other."""


# Forms ------------------------------------------------------------------------------------------

class ServiceFormView(ScopedViewMixin, SingleObjectTemplateResponseMixin, SingleObjectMixin, FormMixin, View):
    """A form (and optionally formsets) whose valid input goes to one service: ``service(user=…, data=…)``.

    - ``object_kwarg``: the page is about one object in the user's scope (the URL's ``pk``), passed to the
      service under this name, e.g. ``"person"`` for a record added to a person;
    - ``service_kwargs(form, formsets)``: what else the service takes;
    - the service's ``ValidationError`` (a message, a list, or a dict by field) comes back on the form,
      nothing written and everything typed kept; a lost race (stale version, unique value) likewise;
    - then a success message and a redirect: ``success_url``, else the result's ``get_absolute_url()``,
      else the object's.
    """

    service = None
    object_kwarg = None
    success_message = SAVED
    template_name_suffix = "_form"
    result = None

    def get_service(self, form):
        if type(self).service is None:
            raise ImproperlyConfigured(f"{type(self).__name__} names no service.")
        return type(self).service

    def object_argument(self) -> str | None:
        """The name under which the page's object goes to the service; None when the page has no object."""
        return self.object_kwarg

    def get_object(self, queryset=None):
        return super().get_object(queryset) if self.object_argument() else None

    def form_instance(self):
        """The record the form edits (its values are the form's initial ones); none for a new record."""
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        instance = self.form_instance()
        if instance is not None:
            kwargs["instance"] = instance
        return kwargs

    def get_formsets(self) -> dict:
        """{context name: formset} shown and validated with the form (bound to the POST on a POST)."""
        return {}

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form, formsets = self.get_form(), self.get_formsets()
        if all([form.is_valid(), *[formset.is_valid() for formset in formsets.values()]]):
            return self.form_valid(form, formsets)
        return self.form_invalid(form, formsets)

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs.update(self.get_formsets())
        return super().get_context_data(**kwargs)

    def service_kwargs(self, form, formsets) -> dict:
        return {}

    def service_arguments(self, form, formsets) -> dict:
        arguments = {"user": self.request.user, "data": form.service_data()}
        if self.object_argument():
            arguments[self.object_argument()] = self.object
        return {**arguments, **self.service_kwargs(form, formsets)}

    def form_valid(self, form, formsets=None):
        try:
            self.result = call_service(self.get_service(form), **self.service_arguments(form, formsets or {}))
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form, formsets)
        if self.get_success_message():
            messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())

    def form_invalid(self, form, formsets=None):
        return self.render_to_response(self.get_context_data(form=form, **(formsets or {})))

    def get_success_message(self) -> str:
        return self.success_message

    def get_success_url(self):
        if self.success_url:
            return str(self.success_url)
        target = self.result if hasattr(self.result, "get_absolute_url") else self.object
        return target.get_absolute_url()


class ServiceUpdateView(ServiceFormView):
    """A form editing one object in scope: its values fill the form, the service gets it with
    ``expected_version`` (when the form carries the version), so that a concurrent edit is refused."""

    def object_argument(self) -> str:
        return self.object_kwarg or self.model._meta.model_name

    def form_instance(self):
        return self.object

    def service_arguments(self, form, formsets) -> dict:
        arguments = super().service_arguments(form, formsets)
        if "version" in form.fields:
            arguments["expected_version"] = form.cleaned_data.get("version")
        return arguments


# Actions ----------------------------------------------------------------------------------------

class ActionView(ScopedViewMixin, SingleObjectMixin, View):
    """A POST-only state transition of one object in scope: ``service(user=…, <object_kwarg>=object)``.

    GET answers 405. ``form_class`` (optional) checks what the button sends: its version goes to the
    service as ``expected_version``, its other fields as ``data``. A refusal (the form's or the
    service's ``ValidationError``, a stale version) changes nothing and is said on the object's page.
    """

    http_method_names = ["post"]
    service = None
    object_kwarg = None
    form_class = None
    success_message = ""
    success_url = None
    result = None

    def get_service(self, form):
        if type(self).service is None:
            raise ImproperlyConfigured(f"{type(self).__name__} names no service.")
        return type(self).service

    def get_form(self):
        if self.form_class is None:
            return None
        return self.form_class(self.request.POST, self.request.FILES)

    def service_arguments(self, form) -> dict:
        arguments = {"user": self.request.user, self.object_kwarg or self.model._meta.model_name: self.object}
        if form is not None:
            data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
            if "version" in form.fields:
                arguments["expected_version"] = form.cleaned_data["version"]
            if set(form.fields) - {"version"}:
                arguments["data"] = data
        return arguments

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        if form is not None and not form.is_valid():
            return self.refused(form)
        try:
            self.result = call_service(self.get_service(form), **self.service_arguments(form))
        except ValidationError as error:
            return self.refused(form, error)
        self.succeeded()
        return redirect(self.get_success_url())

    def succeeded(self) -> None:
        if self.success_message:
            messages.success(self.request, self.success_message)

    def refused(self, form, error=None):
        """Nothing changed: back to the object's page, which says why."""
        for message in error_messages(error, form):
            messages.error(self.request, message)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return str(self.success_url) if self.success_url else self.object.get_absolute_url()


# Site-wide pages --------------------------------------------------------------------------------

def healthz(request):
    """'ok' when the database answers a query, 503 otherwise; no login, no session."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


AUDIT_EXPORT_TITLE = _("NHẬT KÝ TRUY CẬP VÀ THAY ĐỔI")
AUDIT_EXPORT_MARKING = _("TÀI LIỆU CÓ DỮ LIỆU CÁ NHÂN NHẠY CẢM — chỉ dùng đúng chức trách. Xuất bởi {user} lúc {at}.")
AUDIT_EXPORT_HEADERS = [_("Thời điểm"), _("Người dùng"), _("Hành động"), _("Loại đối tượng"), _("Đối tượng"),
                        _("Địa chỉ IP"), _("Thay đổi"), _("Chi tiết")]
# Events described (and their linked names read) per batch of the export: memory stays flat.
AUDIT_EXPORT_BATCH = 500


class AuditEventListView(ScopedListView):
    """The audit log, newest first, in words, for ward leadership (own ward) and administrators."""

    model = AuditEvent
    permission_required = "core.view_auditevent"
    filterset_class = AuditEventFilter
    ordering = ("-at", "-id")
    template_name = "core/audit_list.html"

    def get_context_data(self, **kwargs):
        from .audit_display import describe

        context = super().get_context_data(**kwargs)
        context["rows"] = describe(context["object_list"], self.request.user)
        return context


def _audit_rows(events, user):
    from .audit_display import describe

    batch = []
    for event in events:
        batch.append(event)
        if len(batch) == AUDIT_EXPORT_BATCH:
            yield from describe(batch, user)
            batch = []
    yield from describe(batch, user)


class AuditEventExportView(ScopedFilterMixin, View):
    """The filtered audit log as an Excel file, in the page's words; the export is itself an audit event."""

    model = AuditEvent
    permission_required = "core.view_auditevent"
    filterset_class = AuditEventFilter
    ordering = ("-at", "-id")

    def get(self, request, *args, **kwargs):
        from .audit import audit, query_filters
        from .choices import AuditAction
        from .excel import StreamingWorkbook

        now = timezone.localtime()
        workbook = StreamingWorkbook()
        marking = str(AUDIT_EXPORT_MARKING).format(user=request.user.get_username(), at=f"{now:%d/%m/%Y %H:%M}")
        sheet = workbook.sheet(_("Nhật ký"), headers=[str(h) for h in AUDIT_EXPORT_HEADERS],
                               banner=[str(AUDIT_EXPORT_TITLE), marking], widths=[17, 16, 16, 20, 30, 15, 50, 40])
        rows = 0
        for row in _audit_rows(self.get_queryset().iterator(chunk_size=AUDIT_EXPORT_BATCH), request.user):
            event = row["event"]
            sheet.append([
                event.at, row["actor"], event.get_action_display(),
                row["type"], event.object_repr, event.ip or "",
                "\n".join(f"{label}: {before} → {after}" for label, before, after in row["changes"]),
                "\n".join(f"{label}: {value}" for label, value in row["details"]),
            ])
            rows += 1
        audit(AuditAction.EXPORT, object_type="core.auditevent", object_repr=str(_("Nhật ký truy cập")),
              extra={"rows": rows, "format": "xlsx", **query_filters(request)})
        return workbook.response(f"nhat-ky-{now:%Y%m%d}.xlsx")
