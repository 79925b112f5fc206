from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "apps.subjects"
    verbose_name = _("Đối tượng quản lý")
