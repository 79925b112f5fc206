"""Choice lists of case records and hotspots."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    """What the case is about; the values are stable because indicators count them."""

    ILLEGAL_USE = "illegal_use", _("Sử dụng trái phép chất ma túy")
    POSSESSION = "possession", _("Tàng trữ trái phép chất ma túy")
    TRAFFICKING = "trafficking", _("Mua bán trái phép chất ma túy")
    TRANSPORT = "transport", _("Vận chuyển trái phép chất ma túy")
    ORGANISING_USE = "organising_use", _("Tổ chức sử dụng trái phép chất ma túy")
    HARBOURING_USE = "harbouring_use", _("Chứa chấp việc sử dụng trái phép chất ma túy")
    CULTIVATION = "cultivation", _("Trồng cây có chứa chất ma túy")
    ART_256A = "art_256a", _("Sử dụng trái phép chất ma túy (Điều 256a BLHS)")
    OTHER = "other", _("Khác")


class CaseHandling(models.TextChoices):
    """Where the case stands in its handling."""

    VERIFYING = "verifying", _("Đang xác minh")
    ADMINISTRATIVE = "administrative", _("Xử phạt vi phạm hành chính")
    CRIMINAL = "criminal", _("Khởi tố hình sự")
    TRANSFERRED = "transferred", _("Chuyển cơ quan khác")


class ParticipantRole(models.TextChoices):
    """The part a person played in a case; suspects and accomplices count as offenders."""

    SUSPECT = "suspect", _("Đối tượng vi phạm")
    USER = "user", _("Người sử dụng")
    ACCOMPLICE = "accomplice", _("Đồng phạm")
    WITNESS = "witness", _("Người làm chứng")


# Roles the indicator "drug offenders arrested" counts.
OFFENDER_ROLES = (ParticipantRole.SUSPECT, ParticipantRole.ACCOMPLICE)


class ParticipantOutcome(models.TextChoices):
    """What happened to the participant."""

    PENDING = "pending", _("Đang xác minh")
    ARRESTED = "arrested", _("Bắt giữ")
    ADMINISTRATIVE_FINE = "administrative_fine", _("Xử phạt hành chính")
    PROSECUTED = "prosecuted", _("Khởi tố")
    REHAB_REFERRED = "rehab_referred", _("Lập hồ sơ cai nghiện / quản lý")
    EDUCATED = "educated", _("Giáo dục, nhắc nhở")
    NO_ACTION = "no_action", _("Không xử lý")


class SeizedUnit(models.TextChoices):
    """Units a seized quantity is measured in."""

    GRAM = "g", _("gam")
    KILOGRAM = "kg", _("kilôgam")
    MILLILITRE = "ml", _("mililít")
    TABLET = "tablet", _("viên")
    PACKET = "packet", _("gói / tép")
    PLANT = "plant", _("cây")
    OTHER = "other", _("khác")


class HotspotKind(models.TextChoices):
    """Kinds of places; organising and harbouring places are a criterion of hotspot type I."""

    ORGANISING_USE = "organising_use", _("Điểm tổ chức sử dụng trái phép chất ma túy")
    HARBOURING_USE = "harbouring_use", _("Điểm chứa chấp việc sử dụng trái phép chất ma túy")
    SELLING = "selling", _("Điểm mua bán trái phép chất ma túy")
    GATHERING = "gathering", _("Nơi tụ tập sử dụng trái phép chất ma túy")


class HotspotStatus(models.TextChoices):
    """Filter values for the hotspot list."""

    ACTIVE = "active", _("Đang hoạt động")
    CLEARED = "cleared", _("Đã triệt xóa")
