"""Second-factor pages (verify a code, enrol an authenticator app) and the lockout page."""
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.audit import AuditAction, audit
from apps.core.middleware import OTP_ENROLLED_KEY, otp_enrolled

from .forms import OTPTokenForm
from .services import otp_device_confirm

LOCKOUT_MESSAGE = _(
    "Tài khoản này tạm thời bị khoá đăng nhập từ địa chỉ của bạn vì đã nhập sai mật khẩu %(limit)s lần. "
    "Vui lòng thử lại sau %(minutes)s phút, hoặc liên hệ quản trị hệ thống."
)


def lockout(request, original_response=None, credentials=None):
    """django-axes' lockout response: a Vietnamese page with status 429 (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    message = LOCKOUT_MESSAGE % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "accounts/lockout.html", {"message": message}, status=429)


class _NextMixin:
    def next_url(self):
        candidate = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(candidate, allowed_hosts={self.request.get_host()},
                                           require_https=self.request.is_secure()):
            return candidate
        return settings.LOGIN_REDIRECT_URL

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.next_url()
        return context


class OTPVerifyView(LoginRequiredMixin, _NextMixin, FormView):
    """Ask a signed-in user for the code of their authenticator app; success marks the session verified."""

    form_class = OTPTokenForm
    template_name = "accounts/otp_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not otp_enrolled(request.user):
            return redirect("accounts:otp_setup")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["devices"] = TOTPDevice.objects.filter(user=self.request.user, confirmed=True)
        return kwargs

    def form_valid(self, form):
        otp_login(self.request, form.device)
        audit(AuditAction.LOGIN, extra={"otp": "verified"})
        return redirect(self.next_url())

    def form_invalid(self, form):
        audit(AuditAction.LOGIN_FAILED, extra={"otp": "invalid"})
        return super().form_invalid(form)


class OTPSetupView(LoginRequiredMixin, _NextMixin, FormView):
    """Enrol an authenticator app: show the secret as a QR code (SVG) and confirm it with one code."""

    form_class = OTPTokenForm
    template_name = "accounts/otp_setup.html"

    def dispatch(self, request, *args, **kwargs):
        # Someone holding only the password must not replace the owner's device.
        if request.user.is_authenticated and not request.user.is_verified() and otp_enrolled(request.user):
            return redirect("accounts:otp_verify")
        return super().dispatch(request, *args, **kwargs)

    def pending_device(self):
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=self.request.user, name="TOTP", confirmed=False)
        return device

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.device = self.pending_device()
        kwargs["devices"] = [self.device]
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        url = self.device.config_url
        image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=15)
        # Generated here from our own data, never from user input: safe to inline.
        context["qr_svg"] = mark_safe(image.to_string(encoding="unicode"))
        context["secret"] = b32encode(self.device.bin_key).decode("ascii")
        context["required"] = self.request.user.role in settings.OTP_REQUIRED_ROLES
        return context

    def form_valid(self, form):
        otp_device_confirm(device=form.device)
        otp_login(self.request, form.device)
        self.request.session[OTP_ENROLLED_KEY] = True
        return redirect(self.next_url())
