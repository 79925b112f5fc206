from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")
    LEADERSHIP = "leadership", _("Lãnh đạo UBND phường")
    POLICE = "police", _("Cán bộ Công an phường")
    KHOM_OFFICER = "khom_officer", _("Cán bộ khóm")
    PROVINCE = "province", _("Cấp tỉnh (xem tổng hợp)")
