from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import Role

# Every role has an inbox: its own notifications only (Notification.objects.for_user).
_INBOX = ["notifications.view_notification", "notifications.change_notification"]


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    verbose_name = _("Thông báo")
    role_permissions = {role: _INBOX for role in Role if role != Role.ADMINISTRATOR}
