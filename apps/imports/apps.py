from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role


class ImportsConfig(AppConfig):
    name = "apps.imports"
    verbose_name = _("Nhập dữ liệu")
    # Bulk loading is police and leadership work; administrators hold every permission anyway.
    role_permissions = {
        Role.LEADERSHIP: ["imports.add_importbatch", "imports.view_importbatch"],
        Role.POLICE: ["imports.add_importbatch", "imports.view_importbatch"],
    }
