from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules
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

    def ready(self):
        # Each app that owns a model declares its import kind in apps/<app>/resources.py.
        autodiscover_modules("resources")
        from .choices import ImportKind
        from .resources import RESOURCES

        missing = set(ImportKind.values) - set(RESOURCES)
        unknown = set(RESOURCES) - set(ImportKind.values)
        if missing or unknown:
            raise ImproperlyConfigured(
                f"import kinds without a resource: {sorted(missing)}; resources of no ImportKind: {sorted(unknown)}")
