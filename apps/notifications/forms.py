from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapForm


class PreferenceForm(BootstrapForm):
    """The user's choice about the daily e-mail digest."""

    email_digest = forms.BooleanField(label=_("Nhận thư tóm tắt hằng ngày qua e-mail"), required=False)
