from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("Nền tảng")

    def ready(self):
        from . import checks, signals  # noqa: F401  (menu checks core.E001/E002; login/logout audit)
        from .thirdparty import relabel_third_party_models

        relabel_third_party_models()
