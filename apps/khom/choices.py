from django.db import models
from django.utils.translation import gettext_lazy as _


class DrugFreeStatus(models.TextChoices):
    NOT_RECOGNISED = "not_recognised", _("Chưa được công nhận")
    RECOGNISED = "recognised", _("Đã được công nhận không ma túy")
    REVOKED = "revoked", _("Bị thu hồi công nhận")


ROADMAP_YEARS = range(2025, 2031)
