from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapForm

from .choices import ImportKind

FILE_TOO_LARGE = _("File lớn hơn %(limit)s MB.")
FILE_NOT_XLSX_NAME = _("Chỉ nhận file Excel .xlsx.")


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024)


class UploadForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=ImportKind.choices)
    file = forms.FileField(label=_("File Excel (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(FILE_TOO_LARGE % {"limit": max_bytes() // (1024 * 1024)})
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(FILE_NOT_XLSX_NAME)
        return upload
