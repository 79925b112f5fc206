from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    """What a file holds; the values are the KIND argument of ``manage.py import_xlsx``."""

    PERSONS = "persons", _("Đối tượng")
    TESTS = "tests", _("Kết quả xét nghiệm")
    CASES = "cases", _("Vụ việc")


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Đã tải lên")
    PREVIEWED = "previewed", _("Đã kiểm tra, chờ xác nhận")
    IMPORTING = "importing", _("Đang nhập")
    REFUSED = "refused", _("Có lỗi, không nhập")
    IMPORTED = "imported", _("Đã nhập")
