"""Notifications of workflow events, and each user's e-mail digest preference."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import NotificationKind


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Everyone, administrators included, sees their own notifications and no one else's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One event told to one user: what happened (kind), where (a short text, never a person's name), a link.

    Written by ``apps.notifications.services.notify`` inside the transaction of the
    event, so an event that rolls back tells no one.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("loại thông báo"), max_length=40, choices=NotificationKind.choices)
    text = models.CharField(_("nội dung"), max_length=200)
    # A path on this site (the object's page); the digest makes it absolute with SITE_URL.
    url = models.CharField(_("đường dẫn"), max_length=500)
    # What the event was about, without a foreign key: notifications outlive nothing they point at.
    object_type = models.CharField(_("loại đối tượng"), max_length=100, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The navigation's unread count, on every page: only the unread rows are indexed.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("notifications:open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreferenceQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class NotificationPreference(models.Model):
    """Whether a user wants the daily e-mail digest, and when the digest last ran for them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE,
                                primary_key=True, related_name="notification_preference")
    email_digest = models.BooleanField(_("nhận thư tóm tắt hằng ngày"), default=True)
    # The day (Asia/Ho_Chi_Minh) send_digests last handled this user: it handles each user once a day.
    digest_day = models.DateField(_("ngày xử lý thư tóm tắt gần nhất"), null=True, blank=True, editable=False)
    # When the last digest was sent: the next one lists the unread notifications created since.
    digest_sent_at = models.DateTimeField(_("gửi thư tóm tắt gần nhất lúc"), null=True, blank=True, editable=False)

    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tuỳ chọn thông báo")
        verbose_name_plural = _("tuỳ chọn thông báo")

    def __str__(self):
        return str(self.user)
