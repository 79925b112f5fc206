from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Nền tảng")
    # Role codes as strings: apps.core imports no other app (the roles are apps.accounts.choices.Role).
    # The audit log is read by ward leadership (administrators hold every permission).
    role_permissions = {"leadership": ["core.view_auditevent"]}

    def ready(self):
        from . import checks, signals  # noqa: F401  (menu checks core.E001/E002; login/logout audit)
        from .thirdparty import relabel_third_party_models

        relabel_third_party_models()
