from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")
    LEADERSHIP = "leadership", _("Lãnh đạo UBND phường")
    POLICE = "police", _("Cán bộ Công an phường")
    KHOM_OFFICER = "khom_officer", _("Cán bộ khóm")
    PROVINCE = "province", _("Cấp tỉnh (xem tổng hợp)")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ Công an tỉnh (PC04)")
    PROVINCE_LEADERSHIP = "province_leadership", _("Lãnh đạo UBND tỉnh")


# Roles that work at the province's level: every ward of the province, aggregates only,
# never a personal record. What each may do beyond reading is its permissions.
PROVINCE_ROLES = frozenset({Role.PROVINCE, Role.PROVINCE_OFFICER, Role.PROVINCE_LEADERSHIP})
