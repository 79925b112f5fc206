from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.validators import PROGRAMME_FIRST_YEAR, PROGRAMME_LAST_YEAR


class WardKind(models.TextChoices):
    """The three kinds of commune-level unit since 1/7/2025 (Nghị quyết 1654/NQ-UBTVQH15 for An Giang)."""

    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    DAC_KHU = "dac_khu", _("Đặc khu")


class DrugFreeStatus(models.TextChoices):
    NOT_RECOGNISED = "not_recognised", _("Chưa được công nhận")
    RECOGNISED = "recognised", _("Đã được công nhận không ma túy")
    REVOKED = "revoked", _("Bị thu hồi công nhận")


# The programme's years (QĐ 1209/QĐ-UBND: 20 % in 2025, every unit by 2030): a khóm's target year,
# the roadmap page, the dashboard and the report's roadmap all run over these.
ROADMAP_YEARS = range(PROGRAMME_FIRST_YEAR, PROGRAMME_LAST_YEAR + 1)
