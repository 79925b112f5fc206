from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role

_READ = ["cases.view_case", "cases.view_seizeditem", "cases.view_participant", "cases.view_hotspot"]
_WRITE = ["cases.add_case", "cases.change_case", "cases.add_seizeditem", "cases.change_seizeditem",
          "cases.delete_seizeditem", "cases.add_participant", "cases.change_participant", "cases.delete_participant",
          "cases.add_hotspot", "cases.change_hotspot"]


class CasesConfig(AppConfig):
    name = "apps.cases"
    verbose_name = _("Vụ việc và tụ điểm")
    # Police record cases and hotspots; leadership reads them. Khóm officers and
    # province viewers get none: they see counts through the reports.
    role_permissions = {
        Role.POLICE: _READ + _WRITE,
        Role.LEADERSHIP: _READ,
    }

    def ready(self):
        from apps.subjects.panels import register_person_panel

        from .panels import person_cases_panel

        register_person_panel(person_cases_panel)
