"""Prevention work of a ward: propaganda and education sessions, household commitments, reintegration models.

The indicators app counts these rows; nothing here computes figures for reports.
"""
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel, VersionedModel
from apps.core.numbers import percent
from apps.core.scoping import ScopedQuerySet
from apps.core.validators import validate_event_date, validate_fact_date

from .choices import ActivityKind, Audience

KHOM_NOT_IN_WARD = _("Khóm đã chọn không thuộc phường này.")
SIGNED_OVER_TOTAL = _("Số hộ đã ký cam kết không được lớn hơn tổng số hộ.")
NEGATIVE_COUNT = _("Số lượng không được âm.")
DUPLICATE_SIGNING = _("Khóm này đã có đợt ký cam kết vào ngày này.")
ENDED_BEFORE_STARTED = _("Ngày kết thúc không được trước ngày bắt đầu.")


class WardScopedQuerySet(ScopedQuerySet):
    """Prevention records of a ward, or of one of its khóm: khóm officers see their khóm's rows and
    never the whole-ward ones (khóm empty); the province sees none of these pages."""

    khom_path = "khom_id"

    def with_places(self):
        return self.select_related("ward", "khom")


class WardOrKhomMixin(models.Model):
    """Rows that belong to a ward and, optionally, one of its khóm (empty = the whole ward)."""

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.khom_id and self.ward_id and self.khom.ward_id != self.ward_id:
            from django.core.exceptions import ValidationError

            raise ValidationError({"khom": KHOM_NOT_IN_WARD})

    @property
    def place(self):
        return self.khom.name if self.khom_id else _("Toàn phường")


class Activity(WardOrKhomMixin, TimeStampedModel, VersionedModel):
    """A propaganda or education session held in one khóm or for the whole ward."""

    kind = models.CharField(_("loại hoạt động"), max_length=20, choices=ActivityKind.choices,
                            default=ActivityKind.PROPAGANDA, db_index=True)
    ward = models.ForeignKey("khom.Ward", verbose_name=_("phường"), on_delete=models.PROTECT, related_name="activities")
    khom = models.ForeignKey("khom.Khom", verbose_name=_("khóm"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="activities", help_text=_("Để trống nếu tổ chức cho toàn phường."))
    held_on = models.DateField(_("ngày tổ chức"), db_index=True, validators=[validate_fact_date])
    topic = models.CharField(_("chủ đề"), max_length=255)
    audience = models.CharField(_("đối tượng tham dự"), max_length=20, choices=Audience.choices,
                                default=Audience.RESIDENTS)
    participants = models.PositiveIntegerField(_("số người tham dự"), default=0)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=255)
    location = models.CharField(_("địa điểm"), max_length=255, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = WardScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động tuyên truyền, giáo dục")
        verbose_name_plural = _("hoạt động tuyên truyền, giáo dục")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(participants__gte=0), name="activity_participants_not_negative",
                                   violation_error_message=NEGATIVE_COUNT),
        ]

    def __str__(self):
        return f"{self.held_on:%d/%m/%Y} — {self.topic}"


class CommitmentSigningQuerySet(ScopedQuerySet):
    """A signing always belongs to exactly one khóm; its ward is the khóm's."""

    ward_path = "khom__ward_id"
    khom_path = "khom_id"

    def with_places(self):
        return self.select_related("khom", "khom__ward")


class CommitmentSigning(TimeStampedModel, VersionedModel):
    """A round of households of one khóm signing the drug-free commitment: signed out of total."""

    khom = models.ForeignKey("khom.Khom", verbose_name=_("khóm"), on_delete=models.PROTECT,
                             related_name="commitment_signings")
    signed_on = models.DateField(_("ngày ký"), db_index=True, validators=[validate_fact_date])
    households_signed = models.PositiveIntegerField(_("số hộ đã ký"))
    households_total = models.PositiveIntegerField(_("tổng số hộ"))
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = CommitmentSigningQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt ký cam kết")
        verbose_name_plural = _("đợt ký cam kết")
        ordering = ["-signed_on", "khom__code"]
        constraints = [
            models.CheckConstraint(condition=Q(households_signed__gte=0) & Q(households_total__gte=0),
                                   name="commitment_counts_not_negative", violation_error_message=NEGATIVE_COUNT),
            models.CheckConstraint(condition=Q(households_signed__lte=F("households_total")),
                                   name="commitment_signed_not_over_total", violation_error_message=SIGNED_OVER_TOTAL),
            models.UniqueConstraint(fields=["khom", "signed_on"], name="commitment_unique_per_khom_day",
                                    violation_error_message=DUPLICATE_SIGNING),
        ]

    def __str__(self):
        return f"{self.khom} {self.signed_on:%d/%m/%Y}: {self.households_signed}/{self.households_total}"

    @property
    def percent(self):
        """Share of households signed, for display only (indicators count for reports)."""
        if not self.households_total:
            return None
        return percent(self.households_signed, self.households_total, decimals=1)


class ReintegrationModel(WardOrKhomMixin, TimeStampedModel, VersionedModel):
    """A community model helping people after rehab back into work and life (club, vocational group, loan fund)."""

    ward = models.ForeignKey("khom.Ward", verbose_name=_("phường"), on_delete=models.PROTECT,
                             related_name="reintegration_models")
    khom = models.ForeignKey("khom.Khom", verbose_name=_("khóm"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="reintegration_models", help_text=_("Để trống nếu mô hình của toàn phường."))
    name = models.CharField(_("tên mô hình"), max_length=255)
    started_on = models.DateField(_("ngày bắt đầu"), validators=[validate_fact_date])
    ended_on = models.DateField(_("ngày kết thúc"), null=True, blank=True, validators=[validate_event_date])
    organiser = models.CharField(_("đơn vị chủ trì"), max_length=255, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    people_supported = models.PositiveIntegerField(_("số người được hỗ trợ"), default=0)

    objects = WardScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mô hình hỗ trợ tái hòa nhập")
        verbose_name_plural = _("mô hình hỗ trợ tái hòa nhập")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(people_supported__gte=0), name="reintegration_people_not_negative",
                                   violation_error_message=NEGATIVE_COUNT),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="reintegration_end_after_start", violation_error_message=ENDED_BEFORE_STARTED),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.ended_on is None
