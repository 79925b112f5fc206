from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role

_RECORDS = ["person", "episode", "drugtest", "residencemove", "supportrecord"]
_READ = [f"subjects.view_{name}" for name in _RECORDS] + ["subjects.view_episodekind"]
_WRITE = [f"subjects.{action}_{name}" for name in _RECORDS for action in ("add", "change")]
# Record transfers between wards (issue 18 §3): the police of either ward act, leadership reads; khóm
# officers have no part in them.
_TRANSFER_READ = ["subjects.view_recordtransfer"]
_TRANSFER_WRITE = ["subjects.add_recordtransfer", "subjects.change_recordtransfer"]


class SubjectsConfig(AppConfig):
    name = "apps.subjects"
    verbose_name = _("Đối tượng quản lý")

    # Police keep the register; leadership and khóm officers read it (scope narrows
    # what they read); province viewers get aggregates elsewhere, never these records.
    role_permissions = {
        Role.POLICE: _READ + _WRITE + _TRANSFER_READ + _TRANSFER_WRITE,
        Role.LEADERSHIP: _READ + _TRANSFER_READ,
        Role.KHOM_OFFICER: _READ,
    }

    def ready(self):
        from apps.notifications.registry import register_overdue_source

        from .digest import overdue_tasks

        register_overdue_source("subjects.deadlines", overdue_tasks)
