from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapForm

from .archive import FILE_TOO_LARGE, Limits  # noqa: F401  (FILE_TOO_LARGE re-exported: the size refusal's message)
from .choices import ImportKind

FILE_NOT_XLSX_NAME = _("Chỉ nhận file Excel .xlsx.")


def max_bytes() -> int:
    return Limits.from_settings().upload


def read_upload(upload) -> bytes:
    """The uploaded bytes, at most one byte past IMPORT_MAX_BYTES (enough for the check to refuse a larger file)."""
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    upload.seek(0)
    return data


class UploadForm(BootstrapForm):
    """Kind and file; the file's content is checked by the upload service (apps.imports.archive), which audits a refusal."""

    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=ImportKind.choices)
    file = forms.FileField(label=_("File Excel (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(FILE_NOT_XLSX_NAME)
        return upload
