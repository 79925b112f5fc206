"""The inbox: the user's own notifications, marking them read, the digest preference."""
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView
from django.views.generic.detail import SingleObjectMixin

from apps.core.mixins import ScopedViewMixin

from . import services
from .forms import PreferenceForm
from .models import Notification, NotificationPreference
from .selectors import inbox

ALL_READ = _("Đã đánh dấu tất cả thông báo là đã đọc.")
DIGEST_ON = _("Đã bật thư tóm tắt hằng ngày.")
DIGEST_OFF = _("Đã tắt thư tóm tắt hằng ngày.")


class InboxView(ScopedViewMixin, ListView):
    """The user's notifications, newest first, the unread ones marked; the e-mail digest switch."""

    model = Notification
    permission_required = "notifications.view_notification"
    template_name = "notifications/inbox.html"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        return inbox(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        preference = NotificationPreference.objects.for_user(user).first()
        email_digest = preference.email_digest if preference else True
        context["preference_form"] = PreferenceForm(initial={"email_digest": email_digest})
        context["has_email"] = bool((user.email or "").strip())
        return context


class NotificationActionView(ScopedViewMixin, SingleObjectMixin, View):
    """One of the user's own notifications; anyone else's answers 404."""

    model = Notification
    permission_required = "notifications.view_notification"


class NotificationOpenView(NotificationActionView):
    """Follow a notification's link: it counts as read, and the browser goes to the object's page.

    A GET because it is a link (in the inbox and in the digest); it changes only the
    user's own read mark, which is what opening it means.
    """

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        notification = self.get_object()
        services.notification_mark_read(user=request.user, notification=notification)
        if url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
            return redirect(notification.url)
        return redirect("notifications:inbox")


class MarkReadView(NotificationActionView):
    """POST: mark one notification read and come back to the inbox."""

    permission_required = "notifications.change_notification"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.notification_mark_read(user=request.user, notification=self.get_object())
        return redirect("notifications:inbox")


class MarkAllReadView(ScopedViewMixin, View):
    """POST: mark every notification of the user read."""

    permission_required = "notifications.change_notification"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.notification_mark_all_read(user=request.user)
        messages.success(request, ALL_READ)
        return redirect("notifications:inbox")


class PreferenceUpdateView(ScopedViewMixin, View):
    """POST: switch the daily e-mail digest on or off (an unticked box is off)."""

    permission_required = "notifications.change_notification"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = PreferenceForm(request.POST)
        form.is_valid()  # a checkbox is always valid: absent or anything else is a choice
        on = form.cleaned_data.get("email_digest", False)
        services.preference_update(user=request.user, email_digest=on)
        messages.success(request, DIGEST_ON if on else DIGEST_OFF)
        return redirect("notifications:inbox")
