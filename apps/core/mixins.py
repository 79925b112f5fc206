"""The one view mixin that applies login, role and scope to every page."""
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .audit import AuditAction, audit


class ScopedViewMixin(PermissionRequiredMixin):
    """Anonymous → login page, role without the permission → 403, object out of scope → 404.

    Querysets always start from ``Model.objects.for_user(user)``; set
    ``audit_denied = True`` on views of sensitive records so that refusals are logged.
    """

    audit_denied = False

    def handle_no_permission(self):
        if self.request.user.is_authenticated and self.audit_denied:
            audit(AuditAction.DENIED, request=self.request, object_type=self._audit_type(),
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
                audit(AuditAction.DENIED, request=self.request, object_type=self._audit_type(),
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
