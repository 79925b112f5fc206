"""System checks of core: the navigation menu names pages and permissions that exist.

They run with every management command that checks (``check``, ``runserver``,
``migrate``) and need no database: a renamed URL or a mistyped permission stops
start-up instead of silently removing an entry from everybody's menu.
"""
from django.apps import apps
from django.core import checks
from django.urls import NoReverseMatch, reverse

from . import context_processors

MENU_URL_UNKNOWN = "core.E001"
MENU_PERMISSION_UNKNOWN = "core.E002"


def declared_permissions() -> set:
    """Every ``app_label.codename`` the installed models declare (default and Meta permissions)."""
    declared = set()
    for model in apps.get_models():
        opts = model._meta
        declared.update(f"{opts.app_label}.{action}_{opts.model_name}" for action in opts.default_permissions)
        declared.update(f"{opts.app_label}.{codename}" for codename, _name in opts.permissions)
    return declared


@checks.register(checks.Tags.urls)
def check_menu(app_configs=None, **kwargs):
    """An Error for each menu entry whose URL does not reverse or whose permission no model declares."""
    errors = []
    permissions = declared_permissions()
    for name, _label, permission in context_processors.MENU:
        try:
            reverse(name)
        except NoReverseMatch:
            errors.append(checks.Error(
                f"The menu entry “{name}” names a URL that does not reverse.",
                hint="Correct the name in apps.core.context_processors.MENU or wire the page in its urls.py.",
                obj=name, id=MENU_URL_UNKNOWN,
            ))
        if permission not in permissions:
            errors.append(checks.Error(
                f"The menu entry “{name}” requires the permission “{permission}”, which no model declares.",
                hint="Correct the permission in apps.core.context_processors.MENU.",
                obj=name, id=MENU_PERMISSION_UNKNOWN,
            ))
    return errors
