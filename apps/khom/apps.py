from django.apps import AppConfig

from apps.accounts.choices import Role
from django.utils.translation import gettext_lazy as _


class KhomConfig(AppConfig):
    name = "apps.khom"
    verbose_name = _("Phường và khóm")
    # Every role reads the wards and khóm of its scope (the querysets' for_user draws the scope).
    role_permissions = {role: ["khom.view_ward", "khom.view_khom"] for role in Role if role != Role.ADMINISTRATOR}
