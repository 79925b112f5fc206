"""The admin site of myhoi: every ModelAdmin registered on it, third-party ones too (axes, OTP),
gets the bounded changelist — by Django's documented way of replacing the default site
(``AdminConfig.default_site``, see myhoi/apps.py), not by rewriting the site's registry afterwards."""
import re

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.utils.translation import gettext_lazy as _

# The date drill-down's parts: a year whose next year and next day exist, a month, a day.
DRILLDOWN_BOUNDS = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}


class BoundedChangeList(ChangeList):
    """A changelist that answers query strings it cannot apply with the admin's usual redirect, not a 500.

    Django raises IncorrectLookupParameters (redirect to `?e=1`) for unknown lookups, but not for
    - a NUL character in a filter or the search: PostgreSQL refuses it when the query runs;
    - a date drill-down beyond the calendar: Django turns `<field>__year/__month/__day` into a
      datetime and catches only ValueError, so `?year=99999999999999999999` raised OverflowError and
      `?year=9999` failed one step later, at the year after.
    """

    def get_filters(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise IncorrectLookupParameters(f"NUL in {name[:40]!r}")
        if self.date_hierarchy:
            for part, (low, high) in DRILLDOWN_BOUNDS.items():
                values = self.params.get(f"{self.date_hierarchy}__{part}")
                value = (values[-1] if isinstance(values, list) else values) if values else None
                if value is not None and not (re.fullmatch(r"[0-9]{1,4}", value) and low <= int(value) <= high):
                    raise IncorrectLookupParameters(f"{self.date_hierarchy}__{part}={value[:20]!r}")
        return super().get_filters(request)


class BoundedChangeListMixin:
    """ModelAdmin part: its changelist (list page and import-export's export alike) is a BoundedChangeList."""

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)
        if issubclass(base, BoundedChangeList):
            return base
        return type(f"Bounded{base.__name__}", (BoundedChangeList, base), {})


class VietnameseChoicesMixin:
    """ModelAdmin part: the empty choice of its selects and of its actions in Vietnamese, not "---------"."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from .forms import vietnamese_blank_choice

        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return vietnamese_blank_choice(field) if field is not None else None

    def get_action_choices(self, request, default_choices=None):
        return super().get_action_choices(request, default_choices=[("", _("— Chọn thao tác —"))])


def _with(part, admin_class):
    """*admin_class* with *part* mixed in front, unless it has it already."""
    if issubclass(admin_class, part):
        return admin_class
    return type(admin_class.__name__, (part, admin_class), {"__module__": admin_class.__module__})


class MyhoiAdminSite(admin.AdminSite):
    site_header = _("myhoi — quản trị")
    site_title = _("myhoi")
    index_title = _("Quản trị hệ thống")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        missing = tuple(part for part in (BoundedChangeListMixin, VietnameseChoicesMixin)
                        if not issubclass(admin_class, part))
        inlines = [_with(VietnameseChoicesMixin, inline) for inline in admin_class.inlines]
        if missing or inlines != list(admin_class.inlines):
            admin_class = type(admin_class.__name__, (*missing, admin_class),
                               {"__module__": admin_class.__module__, "inlines": inlines})
        super().register(model_or_iterable, admin_class, **options)

    def i18n_javascript(self, request, extra_context=None):
        """The admin's script catalog, completed by core's (apps/core/locale/*/djangojs.po): Django's
        Vietnamese catalog lacks the selector widget's texts and the calendar's day names."""
        from django.views.i18n import JavaScriptCatalog

        return JavaScriptCatalog.as_view(packages=["django.contrib.admin", "apps.core"])(request)
