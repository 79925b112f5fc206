"""The one view mixin that applies login, role and scope to every page, and audits what pages show."""
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext

from .audit import AuditAction, audit, query_filters


class ScopedViewMixin(PermissionRequiredMixin):
    """Anonymous → login page, role without the permission → 403, object out of scope → 404.

    Querysets always start from ``Model.objects.for_user(user)``. Auditing is declared, not written per view:

    - ``audit_list = True``: a page listing personal records writes one ``view`` event per GET shown, with
      its filters, search text (``q``), page number and row count;
    - ``audit_view = True``: a page showing one personal record writes one ``view`` event per GET shown,
      for ``audited_object()`` (``self.object`` unless overridden);
    - ``audit_denied = True``: refusals (403 by role, 404 by scope) of sensitive records are logged.
    """

    audit_denied = False
    audit_list = False
    audit_view = False

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # Only a page actually shown is a view; POSTs are audited by the service they call.
        if request.method == "GET" and response.status_code == 200:
            if self.audit_list:
                self.audit_list_shown(response)
            elif self.audit_view:
                self.audit_object_shown()
        return response

    def _view_name(self):
        match = getattr(self.request, "resolver_match", None)
        return match.view_name if match else ""

    def audit_list_shown(self, response):
        """One view event for the list page in *response*: what was asked for and how much was shown."""
        context = getattr(response, "context_data", None) or {}
        page = context.get("page_obj")
        extra = {"list": True, "view": self._view_name(), **query_filters(self.request)}
        if page is not None:
            extra.update(page=page.number, rows=len(page.object_list))
        model = getattr(self, "model", None)
        audit(AuditAction.VIEW, object_type=self._audit_type(), object_repr=self.audit_list_label(model),
              extra=extra)

    def audit_list_label(self, model):
        if model is None:
            return ""
        return gettext("Danh sách %(name)s") % {"name": model._meta.verbose_name_plural}

    def audited_object(self):
        return getattr(self, "object", None)

    def audit_object_shown(self):
        obj = self.audited_object()
        if obj is not None:
            audit(AuditAction.VIEW, obj=obj, extra={"view": self._view_name()})

    def handle_no_permission(self):
        if self.request.user.is_authenticated and self.audit_denied:
            audit(AuditAction.DENIED, object_type=self._audit_type(),
                  object_id=self.kwargs.get("pk", ""), extra={"reason": "role", "path": self.request.path})
        return super().handle_no_permission()

    def _audit_type(self):
        model = getattr(self, "model", None)
        return model._meta.label_lower if model else ""

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if self.audit_denied:
                audit(AuditAction.DENIED, object_type=self._audit_type(),
                      object_id=self.kwargs.get("pk", ""), extra={"reason": "scope", "path": self.request.path})
            raise


def limit_choices_to_scope(form, user):
    """Restrict every model-choice field of *form* to what *user* may see."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and hasattr(queryset, "for_user"):
            field.queryset = queryset.for_user(user)


class ScopedFormMixin:
    """Give the form the user and limit its choices to the user's scope."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        limit_choices_to_scope(form, self.request.user)
        return form


def require(condition):
    """Raise 403 unless *condition* holds (for checks finer than a permission)."""
    if not condition:
        raise PermissionDenied
