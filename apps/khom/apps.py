from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KhomConfig(AppConfig):
    name = "apps.khom"
    verbose_name = _("Phường và khóm")
