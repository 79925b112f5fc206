from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role

_MODELS = ["activity", "commitmentsigning", "reintegrationmodel"]
_VIEW = [f"activities.view_{m}" for m in _MODELS]
_EDIT = [f"activities.{action}_{m}" for m in _MODELS for action in ("add", "change")]


class ActivitiesConfig(AppConfig):
    name = "apps.activities"
    verbose_name = _("Hoạt động")
    # Ward staff and khóm officers record prevention work; the province sees only indicators.
    role_permissions = {
        Role.LEADERSHIP: _VIEW + _EDIT,
        Role.POLICE: _VIEW + _EDIT,
        Role.KHOM_OFFICER: _VIEW + _EDIT,
    }
