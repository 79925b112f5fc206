from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    """The indicator engine: the apps that own the data register their indicators into it."""

    name = "apps.indicators"
    verbose_name = _("Chỉ tiêu")

    def ready(self):
        from . import checks  # noqa: F401  (indicators.E001: every code named is registered)

        # apps/<app>/indicators.py of every installed app, as admin.autodiscover() does for admin.py.
        autodiscover_modules("indicators")
