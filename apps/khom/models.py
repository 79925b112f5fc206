"""Wards (phường) and their khóm, with the drug-free roadmap."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.core.scoping import ScopedQuerySet
from apps.core.text import VIETNAMESE_COLLATION
from apps.core.validators import validate_event_date, validate_fact_date, validate_programme_year

from .choices import ROADMAP_YEARS, DrugFreeStatus, WardKind


class WardQuerySet(ScopedQuerySet):
    """Administrators and the province roles see every ward; others the wards they work in.

    The installation serves one province, so the province roles reach every
    ward; ``province_code`` is what would narrow them if it ever served more.
    """

    ward_path = "pk"
    province_sees_all = True

    def khom_officer_rows(self, user):
        return self.filter(pk__in=user.scope_ward_ids)


class Ward(TimeStampedModel):
    """A commune-level unit (phường/xã/đặc khu) running the drug-free programme.

    Real units carry their official statistical code (``seed_province`` loads
    An Giang's 102); ``name`` is the name without the kind ("Mỹ Thới"), so that
    headings can say "UBND phường …" or "UBND xã …" from ``kind``.
    """

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=100, db_collation=VIETNAMESE_COLLATION)
    # The new columns have database defaults too, so rows written by raw SQL (scripts, restores) get them.
    kind = models.CharField(_("loại đơn vị"), max_length=10, choices=WardKind.choices,
                            default=WardKind.PHUONG, db_default=WardKind.PHUONG)
    province = models.CharField(_("tỉnh"), max_length=100, default="An Giang")
    province_code = models.CharField(_("mã tỉnh"), max_length=2, default="91", db_default="91")
    population = models.PositiveIntegerField(_("dân số"), default=0)
    is_illustrative = models.BooleanField(
        _("số liệu minh họa"), default=False, db_default=False,
        help_text=_("Số liệu của đơn vị này là số liệu mẫu để trình diễn, không phải số liệu thật; "
                    "mọi trang hiển thị nhãn “số liệu minh họa” cạnh tên đơn vị."))
    # The document form of the ward's reports (Nghị định 30/2020/NĐ-CP, issue 16 §6): blank means the default.
    document_issuer = models.TextField(
        _("tên cơ quan ban hành (góc trái văn bản)"), blank=True, db_default="",
        help_text=_("Mỗi dòng một dòng của tiêu đề góc trái; để trống thì là “ỦY BAN NHÂN DÂN” và "
                    "“PHƯỜNG …” (theo loại đơn vị và tên)."))
    document_place = models.CharField(
        _("địa danh ghi trên văn bản"), max_length=100, blank=True, db_default="",
        help_text=_("Địa danh trước ngày tháng (“Mỹ Thới, ngày … tháng … năm …”); để trống thì là tên đơn vị."))
    document_recipients = models.TextField(
        _("nơi nhận báo cáo"), blank=True, db_default="",
        help_text=_("Mỗi dòng một nơi nhận; để trống thì là UBND tỉnh, Công an tỉnh (PC04) và “Lưu: VT”."))

    objects = WardQuerySet.as_manager()

    class Meta:
        verbose_name = _("phường")
        verbose_name_plural = _("phường")
        ordering = ["province", "name"]

    def __str__(self):
        return self.name

    @property
    def full_name(self):
        """The official name with its kind, as in the national list: "Phường Mỹ Thới"."""
        return f"{self.get_kind_display()} {self.name}"

    @property
    def issuer_lines(self) -> list[str]:
        """The issuing body's lines at the top left of its documents: “ỦY BAN NHÂN DÂN” / “PHƯỜNG MỸ THỚI”."""
        lines = [line.strip() for line in self.document_issuer.splitlines() if line.strip()]
        return lines or ["ỦY BAN NHÂN DÂN", self.full_name.upper()]

    @property
    def place_name(self) -> str:
        """The place written before a document's date (the unit's name, Nghị định 30/2020/NĐ-CP)."""
        return self.document_place.strip() or self.name

    @property
    def recipient_lines(self) -> list[str]:
        """The “Nơi nhận” of the unit's reports, one recipient a line."""
        lines = [line.strip().lstrip("-").strip() for line in self.document_recipients.splitlines()]
        lines = [line for line in lines if line]
        if lines:
            return lines
        return [f"UBND tỉnh {self.province};", f"Công an tỉnh {self.province} (PC04);", "Lưu: VT."]


class KhomQuerySet(ScopedQuerySet):
    """The province roles and administrators see all khóm; ward staff their wards'; khóm officers their own."""

    khom_path = "pk"
    province_sees_all = True

    def with_ward(self):
        return self.select_related("ward", "police_officer")


class Khom(TimeStampedModel):
    """A neighbourhood of a ward, with its target year to become drug-free."""

    ward = models.ForeignKey(Ward, verbose_name=_("phường"), on_delete=models.PROTECT, related_name="khoms")
    code = models.CharField(_("mã khóm"), max_length=10)
    name = models.CharField(_("tên khóm"), max_length=100, db_collation=VIETNAMESE_COLLATION)
    population = models.PositiveIntegerField(_("số nhân khẩu"), default=0)
    households = models.PositiveIntegerField(_("số hộ"), default=0)
    head_name = models.CharField(_("trưởng khóm"), max_length=100, blank=True)
    police_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("công an phụ trách"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="khoms_in_charge",
    )
    target_year = models.PositiveSmallIntegerField(_("năm phấn đấu không ma túy"), null=True, blank=True,
                                                   validators=[validate_programme_year])
    status = models.CharField(
        _("tình trạng công nhận"), max_length=20, choices=DrugFreeStatus.choices, default=DrugFreeStatus.NOT_RECOGNISED
    )
    recognised_on = models.DateField(_("ngày công nhận"), null=True, blank=True, validators=[validate_fact_date])

    objects = KhomQuerySet.as_manager()

    class Meta:
        verbose_name = _("khóm")
        verbose_name_plural = _("khóm")
        ordering = ["ward__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "code"], name="khom_unique_code_per_ward",
                                    violation_error_message=_("Mã khóm đã có trong phường này.")),
            models.CheckConstraint(
                condition=Q(target_year__isnull=True) | Q(target_year__gte=ROADMAP_YEARS.start, target_year__lte=ROADMAP_YEARS.stop - 1),
                name="khom_target_year_in_programme",
                violation_error_message=_("Năm phấn đấu phải nằm trong giai đoạn 2025–2030."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_recognised(self):
        return self.status == DrugFreeStatus.RECOGNISED
