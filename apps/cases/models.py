"""Drug case records (vụ việc), the items seized in them, and drug hotspots (tụ điểm)."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.contrib.postgres.indexes import GinIndex
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel, VersionedModel
from apps.core.scoping import ScopedQuerySet
from apps.core.text import fold
from apps.core.validators import FACT_DATE_FUTURE, today_in_vietnam, validate_event_date

from .choices import CaseHandling, CaseKind, HotspotKind, ParticipantOutcome, ParticipantRole, SeizedUnit

# Error messages (tests assert on these).
NUMBER_TAKEN = _("Số vụ việc này đã được dùng trong phường và năm này; hãy để trống để hệ thống tự cấp số.")
NUMBER_POSITIVE = _("Số vụ việc phải là số nguyên dương.")
YEAR_MISMATCH = _("Năm đánh số phải trùng với năm phát hiện vụ việc.")
FUTURE_DATE = FACT_DATE_FUTURE  # the one rule of facts' dates (issue 18 §4)
DESTROYED_ONLY_CULTIVATION = _("Số cây và diện tích bị phá hủy chỉ ghi cho vụ trồng cây có chứa chất ma túy.")
AREA_NOT_NEGATIVE = _("Diện tích bị phá hủy không được âm.")
QUANTITY_NOT_POSITIVE = _("Số lượng tang vật phải lớn hơn 0.")
PARTICIPANT_PERSON_OR_OUTSIDER = _("Mỗi người liên quan phải là một đối tượng trong danh sách hoặc một người ngoài có họ tên, không phải cả hai.")
PARTICIPANT_TWICE = _("Đối tượng này đã có trong vụ việc.")
BIRTH_YEAR_RANGE = _("Năm sinh phải từ 1900 đến năm hiện tại.")
CLEARED_BEFORE_FOUND = _("Ngày triệt xóa không được trước ngày phát hiện tụ điểm.")


def _reject_future(value, field):
    if value and value > today_in_vietnam():
        raise ValidationError({field: ValidationError(FUTURE_DATE, code="future_date")})


class CaseQuerySet(ScopedQuerySet):
    # Police and leadership see their wards' cases; khóm officers and the province see figures
    # through reports, never case records (no khóm path, apps.core.scoping).

    def with_list_data(self):
        """Joins and counts the list and the export show, so the query count does not grow with rows."""
        participants = (Participant.objects.filter(case=models.OuterRef("pk")).order_by()
                        .values("case").annotate(n=models.Count("pk")).values("n"))
        return self.select_related("ward", "khom", "officer").annotate(
            participant_count=Coalesce(models.Subquery(participants), 0))

    def detected_between(self, start, end):
        """Cases detected from *start* to *end*, both included."""
        return self.filter(detected_on__gte=start, detected_on__lte=end)


class Case(TimeStampedModel, VersionedModel):
    """A drug case handled by the ward police, numbered per ward and year (e.g. 12/2025)."""

    ward = models.ForeignKey("khom.Ward", verbose_name=_("phường"), on_delete=models.PROTECT,
                             related_name="cases", editable=False)
    khom = models.ForeignKey("khom.Khom", verbose_name=_("khóm"), on_delete=models.PROTECT, related_name="cases")
    # The numbering year is the year of detection, kept as a column so that the
    # unique constraint (ward, year, number) can be enforced by the database.
    year = models.PositiveSmallIntegerField(_("năm"), editable=False)
    number = models.PositiveIntegerField(_("số vụ việc"))
    detected_on = models.DateField(_("ngày phát hiện"), validators=[validate_event_date])
    place = models.CharField(_("nơi phát hiện"), max_length=255, blank=True)
    kind = models.CharField(_("loại vụ việc"), max_length=20, choices=CaseKind.choices)
    handling = models.CharField(_("hình thức xử lý"), max_length=20, choices=CaseHandling.choices,
                                default=CaseHandling.VERIFYING)
    summary = models.TextField(_("tóm tắt"), blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ thụ lý"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="cases_in_charge")
    # Cultivation cases: what was destroyed (criterion (d) of hotspot type I: ≥ 3,000 plants or ≥ 750 m²).
    plants_destroyed = models.PositiveIntegerField(_("số cây bị phá hủy"), null=True, blank=True)
    area_destroyed_m2 = models.DecimalField(_("diện tích bị phá hủy (m²)"), max_digits=10, decimal_places=2,
                                            null=True, blank=True)
    # Folded number, place, summary and participant names, for accent-insensitive search.
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")
        ordering = ["-detected_on", "-number"]
        indexes = [
            models.Index(fields=["ward", "detected_on"], name="cases_case_ward_detected_idx"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="cases_case_search_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ward", "year", "number"], name="case_unique_number_per_ward_year",
                                    violation_error_message=NUMBER_TAKEN),
            models.CheckConstraint(condition=Q(number__gte=1), name="case_number_positive",
                                   violation_error_message=NUMBER_POSITIVE),
            models.CheckConstraint(condition=Q(year=ExtractYear("detected_on")), name="case_year_is_detection_year",
                                   violation_error_message=YEAR_MISMATCH),
            models.CheckConstraint(
                condition=Q(kind=CaseKind.CULTIVATION) | Q(plants_destroyed__isnull=True, area_destroyed_m2__isnull=True),
                name="case_destroyed_only_for_cultivation",
                violation_error_message=DESTROYED_ONLY_CULTIVATION,
            ),
            models.CheckConstraint(condition=Q(area_destroyed_m2__isnull=True) | Q(area_destroyed_m2__gte=0),
                                   name="case_area_destroyed_not_negative", violation_error_message=AREA_NOT_NEGATIVE),
        ]

    def __str__(self):
        return _("Vụ việc %(code)s") % {"code": self.code}

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    @property
    def code(self):
        """The number as officers write it: number/year."""
        return f"{self.number}/{self.year}" if self.number else "—"

    def derive(self):
        """Set the fields that follow from others: ward from khóm, numbering year from detection date."""
        if self.khom_id:
            self.ward_id = self.khom.ward_id
        if self.detected_on:
            self.year = self.detected_on.year

    def clean(self):
        super().clean()
        _reject_future(self.detected_on, "detected_on")
        if self.kind != CaseKind.CULTIVATION and (self.plants_destroyed is not None or self.area_destroyed_m2 is not None):
            raise ValidationError({"plants_destroyed": ValidationError(DESTROYED_ONLY_CULTIVATION, code="destroyed")})

    def build_search_text(self, participant_names=()):
        return fold(" ".join([self.code, self.place, self.summary, *participant_names]))


class SeizedItem(models.Model):
    """One kind of evidence seized in a case: substance, quantity and unit."""

    case = models.ForeignKey(Case, verbose_name=_("vụ việc"), on_delete=models.CASCADE, related_name="seized_items")
    substance = models.CharField(_("chất / tang vật"), max_length=100)
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("đơn vị"), max_length=10, choices=SeizedUnit.choices, default=SeizedUnit.GRAM)

    class Meta:
        verbose_name = _("tang vật thu giữ")
        verbose_name_plural = _("tang vật thu giữ")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="seizeditem_quantity_positive",
                                   violation_error_message=QUANTITY_NOT_POSITIVE),
        ]

    def __str__(self):
        return f"{self.substance}: {self.quantity.normalize():f} {self.get_unit_display()}"

    def audit_ward_id(self):
        return self.case.ward_id


class Participant(models.Model):
    """A person involved in a case: someone from the register, or an outsider known by name only."""

    case = models.ForeignKey(Case, verbose_name=_("vụ việc"), on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("subjects.Person", verbose_name=_("đối tượng trong danh sách"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="case_participations")
    outsider_name = models.CharField(_("họ tên (người ngoài danh sách)"), max_length=150, blank=True)
    outsider_birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    outsider_residence = models.CharField(_("nơi cư trú"), max_length=255, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=ParticipantRole.choices)
    outcome = models.CharField(_("kết quả xử lý"), max_length=20, choices=ParticipantOutcome.choices,
                               default=ParticipantOutcome.PENDING)

    class Meta:
        verbose_name = _("người liên quan")
        verbose_name_plural = _("người liên quan")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False, outsider_name="", outsider_birth_year__isnull=True,
                             outsider_residence="")
                           | (Q(person__isnull=True) & ~Q(outsider_name=""))),
                name="participant_person_xor_outsider",
                violation_error_message=PARTICIPANT_PERSON_OR_OUTSIDER,
            ),
            models.UniqueConstraint(fields=["case", "person"], condition=Q(person__isnull=False),
                                    name="participant_unique_person_per_case", violation_error_message=PARTICIPANT_TWICE),
            models.CheckConstraint(
                condition=Q(outsider_birth_year__isnull=True) | Q(outsider_birth_year__gte=1900),
                name="participant_birth_year_plausible", violation_error_message=BIRTH_YEAR_RANGE),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.person.full_name if self.person_id else self.outsider_name

    def audit_ward_id(self):
        return self.case.ward_id

    def clean(self):
        super().clean()
        if self.outsider_birth_year and self.outsider_birth_year > timezone.localdate().year:
            raise ValidationError({"outsider_birth_year": ValidationError(BIRTH_YEAR_RANGE, code="birth_year")})


class HotspotQuerySet(ScopedQuerySet):
    # As cases: their wards' police and leadership only.

    def active_on(self, date):
        """Hotspots found on or before *date* and not cleared by then."""
        return self.filter(found_on__lte=date).filter(Q(cleared_on__isnull=True) | Q(cleared_on__gt=date))


class Hotspot(TimeStampedModel, VersionedModel):
    """A place where drugs are used or sold, from the day it was found until it is cleared."""

    ward = models.ForeignKey("khom.Ward", verbose_name=_("phường"), on_delete=models.PROTECT,
                             related_name="hotspots", editable=False)
    khom = models.ForeignKey("khom.Khom", verbose_name=_("khóm"), on_delete=models.PROTECT, related_name="hotspots")
    address = models.CharField(_("địa chỉ"), max_length=255)
    kind = models.CharField(_("loại tụ điểm"), max_length=20, choices=HotspotKind.choices)
    found_on = models.DateField(_("ngày phát hiện"), validators=[validate_event_date])
    cleared_on = models.DateField(_("ngày triệt xóa"), null=True, blank=True, validators=[validate_event_date])
    notes = models.TextField(_("ghi chú"), blank=True)
    # Folded address and notes, for accent-insensitive search.
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = HotspotQuerySet.as_manager()

    class Meta:
        verbose_name = _("tụ điểm")
        verbose_name_plural = _("tụ điểm")
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cleared_on__isnull=True) | Q(cleared_on__gte=models.F("found_on")),
                                   name="hotspot_cleared_after_found",
                                   violation_error_message=CLEARED_BEFORE_FOUND),
        ]

    def __str__(self):
        return self.address

    def get_absolute_url(self):
        return reverse("cases:hotspot_detail", args=[self.pk])

    @property
    def is_active(self):
        return self.cleared_on is None

    def derive(self):
        if self.khom_id:
            self.ward_id = self.khom.ward_id

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.address} {self.notes}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"search_text"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        _reject_future(self.found_on, "found_on")
        _reject_future(self.cleared_on, "cleared_on")


class CaseNumberCounter(models.Model):
    """The last case number given per ward and year; its row is locked while a number is handed out."""

    ward = models.ForeignKey("khom.Ward", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm số vụ việc")
        verbose_name_plural = _("bộ đếm số vụ việc")
        constraints = [
            models.UniqueConstraint(fields=["ward", "year"], name="casenumbercounter_unique_ward_year",
                                    violation_error_message=_("Mỗi phường chỉ có một bộ đếm cho mỗi năm.")),
        ]

    def __str__(self):
        return f"{self.ward_id}/{self.year}: {self.last_number}"
