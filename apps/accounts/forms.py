"""The one-time-code form used by the second-factor pages."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin

OTP_INVALID = _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã 6 chữ số đang hiển thị trong ứng dụng.")
OTP_THROTTLED = _("Nhập sai mã quá nhiều lần. Vui lòng đợi ít phút rồi thử lại.")


class OTPTokenForm(BootstrapFormMixin, forms.Form):
    """A 6-digit code from the user's authenticator app, checked against *devices*."""

    token = forms.RegexField(
        label=_("Mã xác thực (6 chữ số)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": OTP_INVALID, "required": OTP_INVALID},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, devices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = list(devices)
        self.device = None

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        throttled = False
        for device in self.devices:
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            # verify_token records failures (throttling) and refuses a code already used.
            if device.verify_token(token):
                self.device = device
                return token
        raise forms.ValidationError(OTP_THROTTLED if throttled else OTP_INVALID, code="invalid_token")
