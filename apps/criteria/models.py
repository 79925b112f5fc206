"""Drug-free criteria as data: versioned sets, their criteria, assessments of an area for a year, recognitions."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel, VersionedModel
from apps.core.scoping import ReferenceQuerySet, ScopedQuerySet
from apps.core.validators import validate_event_date, validate_fact_date, validate_programme_year

from .choices import (
    SELF_ASSESSMENT_EDITABLE, AssessmentStatus, ClassificationBasis, ClassificationLevel, CriteriaScope, CriterionKind,
    HotspotGroup, Operator, SelfAssessmentStatus,
)

# Error messages (tests assert on these).
SET_VERSION_TAKEN = _("Bộ tiêu chí với mã và phiên bản này đã tồn tại.")
SET_VALID_TO_BEFORE_FROM = _("Ngày hết hiệu lực không được trước ngày có hiệu lực.")
SET_HOTSPOT_NEEDS_MIN = _("Bộ tiêu chí phân loại địa bàn trọng điểm phải có số điều kiện tối thiểu (“ít nhất N trong số”).")
CRITERION_CODE_TAKEN = _("Mã tiêu chí đã có trong bộ tiêu chí này.")
CRITERION_COMPUTED_FIELDS = _("Tiêu chí tính từ số liệu phải có chỉ tiêu, phép so sánh và ngưỡng; "
                              "tiêu chí thủ công thì không.")
CRITERION_UNKNOWN_INDICATOR = _("Chỉ tiêu “%(code)s” không có trong danh mục chỉ tiêu.")
CRITERION_SET_IN_USE = _("Bộ tiêu chí đã được dùng để đánh giá; hãy tạo phiên bản mới thay vì sửa.")
ASSESSMENT_DUPLICATE = _("Địa bàn này đã có bản đánh giá theo bộ tiêu chí này cho năm này.")
ASSESSMENT_AREA = _("Bản đánh giá khóm phải chọn khóm; bản đánh giá phường thì không chọn khóm.")
ASSESSMENT_KHOM_NOT_IN_WARD = _("Khóm đã chọn không thuộc phường này.")
ASSESSMENT_YEAR_RANGE = _("Năm đánh giá phải từ 2020 đến 2100.")
ASSESSMENT_SET_NOT_VALID = _("Bộ tiêu chí không có hiệu lực trong năm đánh giá.")
ASSESSMENT_SUBMITTED_NEEDS_SNAPSHOT = _("Bản đánh giá đã trình phải có số liệu được chốt.")
ITEM_DUPLICATE = _("Tiêu chí này đã có trong bản đánh giá.")
RECOGNITION_VALID_UNTIL = _("Ngày hết hạn công nhận không được trước ngày quyết định.")
RECOGNITION_REVOKE_REASON = _("Khi thu hồi công nhận phải ghi ngày thu hồi và lý do, và ngược lại.")
RECOGNITION_DUPLICATE = _("Khóm này đã có quyết định công nhận còn hiệu lực cho năm này.")
RECOGNITION_REVOKED_BEFORE = _("Ngày thu hồi không được trước ngày quyết định công nhận.")
RECOGNITION_YEAR_NOT_ASSESSED = _("Năm công nhận phải là năm của bản đánh giá được công nhận.")
EVIDENCE_TOO_LARGE = _("Tệp minh chứng vượt quá dung lượng cho phép (tối đa 5 MB).")
EVIDENCE_BAD_TYPE = _("Chỉ nhận tệp minh chứng dạng PDF, JPG hoặc PNG.")

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


class CriteriaSetQuerySet(ReferenceQuerySet):
    """Criteria are published rules, not personal data: every signed-in user may read them."""

    def valid_in(self, year: int):
        """Sets in force at some time during the kỳ đánh giá of *year* (15/12 of the year before to 14/12)."""
        from .cycle import assessment_period

        period = assessment_period(year)
        return self.filter(valid_from__lte=period.end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))

    def current(self, scope: str, year: int):
        """The set of *scope* applying to *year*: the latest version in force that year, or None."""
        return self.filter(scope=scope).valid_in(year).order_by("-valid_from", "-version").first()


class CriteriaSet(TimeStampedModel):
    """A published set of criteria (khóm, ward, or hotspot classification), one version of it.

    The law changes: a new version is a new row (same code, next version),
    added in the admin; assessments keep pointing at the version they used.
    """

    code = models.SlugField(_("mã"), max_length=50)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên"), max_length=255)
    scope = models.CharField(_("phạm vi áp dụng"), max_length=10, choices=CriteriaScope.choices)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    valid_from = models.DateField(_("có hiệu lực từ"), validators=[validate_event_date])
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True, validators=[validate_event_date])
    min_groups = models.PositiveSmallIntegerField(
        _("số điều kiện tối thiểu"), null=True, blank=True,
        help_text=_("Chỉ dùng cho phân loại địa bàn trọng điểm: đạt khi có ít nhất N nhóm điều kiện (a–đ) thỏa mãn."))
    result_label = models.CharField(
        _("kết luận khi đạt"), max_length=150, blank=True,
        help_text=_("Ví dụ: “Địa bàn trọng điểm loại I”; để trống với bộ tiêu chí không ma túy."))
    # The drug-free criteria of Điều 6, QĐ 28/2025/QĐ-TTg, have not been found: the seeded sets stay
    # marked until an administrator has compared them with the original text.
    checked = models.BooleanField(
        _("đã đối chiếu văn bản gốc"), default=False, db_default=False,
        help_text=_("Bỏ trống khi nội dung tiêu chí chưa được đối chiếu với văn bản gốc; các trang ghi "
                    "“cần đối chiếu văn bản gốc” bên cạnh bộ tiêu chí."))

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["scope", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteria_set_unique_code_version",
                                    violation_error_message=SET_VERSION_TAKEN),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="criteria_set_valid_to_after_from",
                                   violation_error_message=SET_VALID_TO_BEFORE_FROM),
            models.CheckConstraint(condition=~Q(scope=CriteriaScope.HOTSPOT) | Q(min_groups__gte=1),
                                   name="criteria_set_hotspot_has_min_groups",
                                   violation_error_message=SET_HOTSPOT_NEEDS_MIN),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def is_classification(self) -> bool:
        return self.scope == CriteriaScope.HOTSPOT


class CriterionQuerySet(ReferenceQuerySet):
    pass


class Criterion(TimeStampedModel):
    """One criterion of a set: computed (indicator, operator, threshold) or manual (judged, with evidence)."""

    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.CASCADE,
                                     related_name="criteria")
    code = models.CharField(_("mã tiêu chí"), max_length=20)
    text = models.TextField(_("nội dung tiêu chí"))
    kind = models.CharField(_("cách đánh giá"), max_length=10, choices=CriterionKind.choices)
    indicator = models.CharField(_("chỉ tiêu"), max_length=50, blank=True)
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=Operator.choices, blank=True)
    threshold = models.DecimalField(_("ngưỡng"), max_digits=12, decimal_places=2, null=True, blank=True)
    group = models.CharField(_("nhóm điều kiện"), max_length=2, choices=HotspotGroup.choices, blank=True,
                             help_text=_("Phân loại địa bàn trọng điểm: các tiêu chí cùng nhóm là phương án thay thế."))
    evidence_hint = models.CharField(_("gợi ý minh chứng"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code_per_set",
                                    violation_error_message=CRITERION_CODE_TAKEN),
            models.CheckConstraint(
                condition=(Q(kind=CriterionKind.COMPUTED) & ~Q(indicator="") & ~Q(operator="")
                           & Q(threshold__isnull=False))
                | (Q(kind=CriterionKind.MANUAL) & Q(indicator="") & Q(operator="") & Q(threshold__isnull=True)),
                name="criterion_computed_has_rule",
                violation_error_message=CRITERION_COMPUTED_FIELDS,
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.text[:80]}"

    def clean(self):
        super().clean()
        # Submitted assessments point at these rows: changing the rule under them rewrites history.
        if self.criteria_set_id and Assessment.objects.filter(criteria_set_id=self.criteria_set_id).exclude(
                status=AssessmentStatus.DRAFT).exists():
            raise ValidationError(CRITERION_SET_IN_USE, code="in_use")
        if self.kind == CriterionKind.COMPUTED and self.indicator:
            from apps.indicators import registry

            try:
                registry.get(self.indicator)
            except registry.UnknownIndicator:
                raise ValidationError({"indicator": CRITERION_UNKNOWN_INDICATOR % {"code": self.indicator}})

    @property
    def is_computed(self) -> bool:
        return self.kind == CriterionKind.COMPUTED

    def rule_display(self) -> str:
        """“users_addicts_not_in_treatment = 0” in words: the indicator's label, operator and threshold."""
        if not self.is_computed:
            return ""
        from apps.indicators import registry

        # A code no app registers is caught by the deployment check criteria.E001, not shown as text.
        indicator = registry.get(self.indicator)
        return f"{indicator.label} {self.get_operator_display()} {self.threshold_display} {indicator.unit}"

    @property
    def threshold_display(self) -> str:
        if self.threshold is None:
            return ""
        value = self.threshold.normalize()
        return f"{value:f}".replace(".", ",")

    def holds(self, figure) -> bool | None:
        """Whether *figure* satisfies the rule; None when there is no figure (no data cannot pass)."""
        from decimal import Decimal

        from .choices import OPERATOR_FUNCTIONS

        if not self.is_computed:
            return None
        if figure is None:
            return False
        return OPERATOR_FUNCTIONS[self.operator](Decimal(str(figure)), self.threshold)


class AssessmentQuerySet(ScopedQuerySet):
    """Ward staff see their wards' assessments; khóm officers their khóm's; the province none.

    The province reads the roadmap's aggregates instead: assessments carry
    notes and evidence that may name people.
    """

    khom_path = "khom_id"

    def with_related(self):
        return self.select_related("criteria_set", "ward", "khom", "submitted_by", "decided_by")


class Assessment(TimeStampedModel, VersionedModel):
    """An assessment of one area (a khóm, or a whole ward) for one year against one criteria set.

    draft → submitted → approved, or → returned (back to editing). Submitting
    freezes every figure into ``snapshot`` and the items; after approval
    nothing changes.
    """

    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT,
                                     related_name="assessments")
    # The ward is always set (it scopes the row); the khóm only for khóm assessments.
    ward = models.ForeignKey("khom.Ward", verbose_name=_("phường"), on_delete=models.PROTECT, related_name="assessments")
    khom = models.ForeignKey("khom.Khom", verbose_name=_("khóm"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="assessments")
    year = models.PositiveSmallIntegerField(_("năm đánh giá"), validators=[validate_programme_year])
    status = models.CharField(_("trạng thái"), max_length=10, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT, db_index=True)
    comments = models.TextField(_("ý kiến của lãnh đạo"), blank=True)
    snapshot = models.JSONField(_("số liệu đã chốt"), default=dict, blank=True, editable=False)
    passed = models.BooleanField(_("kết quả đạt"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người trình"), on_delete=models.SET_NULL,
                                     null=True, blank=True, editable=False, related_name="+")
    submitted_at = models.DateTimeField(_("trình lúc"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người phê duyệt/trả lại"),
                                   on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+")
    decided_at = models.DateTimeField(_("phê duyệt/trả lại lúc"), null=True, blank=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản đánh giá tiêu chí")
        verbose_name_plural = _("bản đánh giá tiêu chí")
        # No joins in the default ordering: rows are locked with SELECT … FOR UPDATE.
        ordering = ["-year", "-id"]
        permissions = [("approve_assessment", _("Phê duyệt hoặc trả lại bản đánh giá"))]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "ward", "khom", "year"], nulls_distinct=False,
                                    name="assessment_unique_area_year_set",
                                    violation_error_message=ASSESSMENT_DUPLICATE),
            models.CheckConstraint(condition=Q(year__gte=2020, year__lte=2100), name="assessment_year_range",
                                   violation_error_message=ASSESSMENT_YEAR_RANGE),
            models.CheckConstraint(
                condition=Q(status__in=[AssessmentStatus.DRAFT, AssessmentStatus.RETURNED])
                | Q(submitted_at__isnull=False, snapshot__has_key="items"),
                name="assessment_submitted_has_snapshot",
                violation_error_message=ASSESSMENT_SUBMITTED_NEEDS_SNAPSHOT,
            ),
        ]
        indexes = [models.Index(fields=["ward", "year"], name="criteria_assessment_ward_year")]

    def __str__(self):
        return f"{self.area_name} — {self.year} — {self.criteria_set.name}"

    def get_absolute_url(self):
        return reverse("criteria:detail", args=[self.pk])

    @property
    def area_name(self):
        return self.khom.name if self.khom_id else self.ward.name

    @property
    def area(self):
        from apps.indicators.registry import Area

        return Area.of(self.khom if self.khom_id else self.ward)

    def clean(self):
        super().clean()
        if self.criteria_set_id:
            needs_khom = self.criteria_set.scope == CriteriaScope.KHOM
            if needs_khom != bool(self.khom_id):
                raise ValidationError({"khom": ASSESSMENT_AREA})
            if self.year and not CriteriaSet.objects.valid_in(self.year).filter(pk=self.criteria_set_id).exists():
                raise ValidationError({"criteria_set": ASSESSMENT_SET_NOT_VALID})
        if self.khom_id and self.ward_id and self.khom.ward_id != self.ward_id:
            raise ValidationError({"khom": ASSESSMENT_KHOM_NOT_IN_WARD})

    @property
    def is_editable(self) -> bool:
        from .choices import EDITABLE_STATUSES

        return self.status in EDITABLE_STATUSES


class AssessmentItemQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(assessment__in=Assessment.objects.for_user(user))


class AssessmentItem(TimeStampedModel):
    """The judgement of one criterion in one assessment.

    Computed items are evaluated live while the assessment is a draft; on
    submission ``figure`` and ``passed`` are frozen. Manual items are judged
    by a person (``passed``) with a note and optional evidence files.
    """

    assessment = models.ForeignKey(Assessment, verbose_name=_("bản đánh giá"), on_delete=models.CASCADE,
                                   related_name="items")
    criterion = models.ForeignKey(Criterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="items")
    passed = models.BooleanField(_("đạt"), null=True, blank=True)
    figure = models.DecimalField(_("số liệu"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("nhận xét, căn cứ"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người cập nhật"),
                                   on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = AssessmentItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả tiêu chí")
        verbose_name_plural = _("kết quả tiêu chí")
        ordering = ["assessment", "criterion__order", "criterion__code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="assessment_item_unique_criterion",
                                    violation_error_message=ITEM_DUPLICATE),
        ]

    def __str__(self):
        return f"{self.assessment_id} / {self.criterion.code}"

    def audit_ward_id(self):
        return self.assessment.ward_id


class EvidenceQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(item__assessment__in=Assessment.objects.for_user(user))

    def without_data(self):
        """Lists never load the bytes."""
        return self.defer("data")


class Evidence(TimeStampedModel):
    """An evidence file of a manual item, kept in the database.

    Bytes in PostgreSQL, not on a local disk, so every app server behind the
    load balancer serves the same files, backups include them, and no web
    server can expose them: they are served only by a view that checks scope.
    """

    item = models.ForeignKey(AssessmentItem, verbose_name=_("tiêu chí"), on_delete=models.CASCADE,
                             related_name="evidence")
    filename = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=50)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    data = models.BinaryField(_("nội dung"))

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__lte=EVIDENCE_MAX_BYTES), name="evidence_size_limit",
                                   violation_error_message=EVIDENCE_TOO_LARGE),
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="evidence_allowed_type", violation_error_message=EVIDENCE_BAD_TYPE),
        ]

    def __str__(self):
        return self.filename

    def audit_ward_id(self):
        return self.item.assessment.ward_id


class RecognitionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Recognitions are public decisions: whoever may see the khóm may see its recognitions."""
        from apps.khom.models import Khom

        return self.filter(khom__in=Khom.objects.for_user(user))

    def in_force_on(self, day):
        return self.filter(decided_on__lte=day, valid_until__gte=day, revoked_on__isnull=True)


class Recognition(TimeStampedModel):
    """A decision recognising a khóm as drug-free for a year, until revoked or expired."""

    khom = models.ForeignKey("khom.Khom", verbose_name=_("khóm"), on_delete=models.PROTECT, related_name="recognitions")
    assessment = models.ForeignKey(Assessment, verbose_name=_("bản đánh giá"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="recognitions")
    year = models.PositiveSmallIntegerField(_("năm công nhận"), validators=[validate_programme_year])
    decision_number = models.CharField(_("số quyết định"), max_length=50)
    decided_on = models.DateField(_("ngày quyết định"), validators=[validate_fact_date])
    valid_until = models.DateField(_("có giá trị đến"), validators=[validate_event_date])
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True, validators=[validate_fact_date])
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("decided_on")), name="recognition_valid_after_decision",
                                   violation_error_message=RECOGNITION_VALID_UNTIL),
            models.CheckConstraint(
                condition=(Q(revoked_on__isnull=True) & Q(revocation_reason=""))
                | (Q(revoked_on__isnull=False) & ~Q(revocation_reason="")),
                name="recognition_revocation_has_reason", violation_error_message=RECOGNITION_REVOKE_REASON),
            models.CheckConstraint(condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("decided_on")),
                                   name="recognition_revoked_after_decision",
                                   violation_error_message=RECOGNITION_REVOKED_BEFORE),
            models.UniqueConstraint(fields=["khom", "year"], condition=Q(revoked_on__isnull=True),
                                    name="recognition_one_in_force_per_khom_year",
                                    violation_error_message=RECOGNITION_DUPLICATE),
        ]

    def __str__(self):
        return f"{self.decision_number} — {self.khom}"

    def clean(self):
        super().clean()
        # A recognition counts for the year it was assessed for (the roadmap, the dashboard and the
        # reports count it there), so a decision based on an assessment carries that assessment's year.
        if self.assessment_id and self.year and self.assessment.year != self.year:
            raise ValidationError({"year": RECOGNITION_YEAR_NOT_ASSESSED})

    def audit_ward_id(self):
        return self.khom.ward_id

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None


# ---------------------------------------------------------------- the ward's self-assessment, targets
SELF_ASSESSMENT_DUPLICATE = _("Đơn vị này đã có bản tự đánh giá cho năm này.")
SELF_ASSESSMENT_SENT_NEEDS_SNAPSHOT = _("Bản tự đánh giá đã gửi tỉnh phải có số liệu được chốt.")
SELF_ASSESSMENT_RECOGNITION_FIELDS = _("Khi công nhận phải ghi số quyết định, ngày quyết định và ngày hết hạn.")
SELF_ASSESSMENT_REVOCATION_FIELDS = _("Khi thu hồi công nhận phải ghi ngày thu hồi và lý do, và ngược lại.")
SELF_ASSESSMENT_REFUSAL_REASON = _("Khi không công nhận phải ghi lý do.")
WARD_TARGET_DUPLICATE = _("Đơn vị này đã có chỉ tiêu cho năm này.")
PROVINCE_TARGET_DUPLICATE = _("Đã có chỉ tiêu của tỉnh cho năm này.")
PROVINCE_TARGET_PERCENT = _("Tỉ lệ chỉ tiêu phải từ 0 đến 100%.")


class WardSelfAssessmentQuerySet(ScopedQuerySet):
    """Ward leadership and police see their wards'; the province roles every one sent to the province.

    What the province reads is what the ward sent: figures, judgements and the evidence list,
    frozen; never a personal record. Khóm officers see none (no khóm path).
    """

    def province_rows(self, user):
        return self.exclude(status=SelfAssessmentStatus.DRAFT)

    def with_related(self):
        return self.select_related("ward", "criteria_assessment__criteria_set", "submitted_by", "reviewed_by",
                                   "decided_by")


class WardSelfAssessment(TimeStampedModel, VersionedModel):
    """A ward's annual self-assessment sent to the province for approval (QĐ 28/2025/QĐ-TTg, Điều 7).

    draft → submitted (to the province) → returned with comments (back to the ward)
    or forwarded by the province officer → recognised (decision number, date, valid
    until) or refused by province leadership; a recognition may later be revoked
    with its reason. Submitting freezes the classification, the drug-free criteria,
    the khóm results and the evidence list into ``snapshot``; the province decides
    on that, never on live figures.
    """

    ward = models.ForeignKey("khom.Ward", verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                             related_name="self_assessments")
    year = models.PositiveSmallIntegerField(_("năm đánh giá"), validators=[validate_programme_year])
    status = models.CharField(_("trạng thái"), max_length=10, choices=SelfAssessmentStatus.choices,
                              default=SelfAssessmentStatus.DRAFT, db_index=True)
    criteria_assessment = models.ForeignKey(
        Assessment, verbose_name=_("bản đánh giá tiêu chí không ma túy"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="self_assessments", editable=False,
        help_text=_("Bản đánh giá theo bộ tiêu chí xã/phường không ma túy đã được lãnh đạo phê duyệt."))
    summary = models.TextField(_("báo cáo tự đánh giá"), blank=True,
                               help_text=_("Tóm tắt kết quả; không ghi họ tên, số định danh của người dân."))
    snapshot = models.JSONField(_("số liệu đã chốt"), default=dict, blank=True, editable=False)
    classification_type = models.CharField(_("phân loại đã chốt"), max_length=30, blank=True, editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.SET_NULL,
                                     null=True, blank=True, editable=False, related_name="+")
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True, editable=False)
    review_comments = models.TextField(_("ý kiến của Công an tỉnh"), blank=True, editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thẩm định"),
                                    on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+")
    reviewed_at = models.DateTimeField(_("thẩm định lúc"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người quyết định"),
                                   on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+")
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True, editable=False)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=50, blank=True, editable=False)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True, editable=False,
                                  validators=[validate_fact_date])
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True, editable=False,
                                   validators=[validate_event_date])
    refusal_reason = models.TextField(_("lý do không công nhận"), blank=True, editable=False)
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True, editable=False,
                                  validators=[validate_fact_date])
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True, editable=False)

    objects = WardSelfAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản tự đánh giá của xã/phường")
        verbose_name_plural = _("bản tự đánh giá của xã/phường")
        ordering = ["-year", "-id"]
        permissions = [
            ("submit_wardselfassessment", _("Gửi bản tự đánh giá của xã/phường lên tỉnh")),
            ("review_wardselfassessment", _("Thẩm định bản tự đánh giá: trả lại hoặc trình lãnh đạo tỉnh")),
            ("decide_wardselfassessment", _("Phê duyệt phân loại, công nhận, không công nhận hoặc thu hồi")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ward", "year"], name="self_assessment_one_per_ward_year",
                                    violation_error_message=SELF_ASSESSMENT_DUPLICATE),
            models.CheckConstraint(condition=Q(year__gte=2020, year__lte=2100), name="self_assessment_year_range",
                                   violation_error_message=ASSESSMENT_YEAR_RANGE),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, snapshot__has_key="classification"),
                name="self_assessment_sent_has_snapshot",
                violation_error_message=SELF_ASSESSMENT_SENT_NEEDS_SNAPSHOT),
            models.CheckConstraint(
                condition=~Q(status__in=["recognised", "revoked"])
                | (~Q(decision_number="") & Q(decided_on__isnull=False, valid_until__isnull=False)
                   & Q(valid_until__gte=F("decided_on"))),
                name="self_assessment_recognition_has_decision",
                violation_error_message=SELF_ASSESSMENT_RECOGNITION_FIELDS),
            models.CheckConstraint(
                condition=(Q(status="revoked") & Q(revoked_on__isnull=False) & ~Q(revocation_reason=""))
                | (~Q(status="revoked") & Q(revoked_on__isnull=True) & Q(revocation_reason="")),
                name="self_assessment_revocation_has_reason",
                violation_error_message=SELF_ASSESSMENT_REVOCATION_FIELDS),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refusal_reason=""),
                                   name="self_assessment_refusal_has_reason",
                                   violation_error_message=SELF_ASSESSMENT_REFUSAL_REASON),
        ]
        indexes = [models.Index(fields=["year", "status"], name="criteria_selfassess_year_st")]

    def __str__(self):
        return f"{self.ward} — {self.year}"

    def get_absolute_url(self):
        return reverse("criteria:self_assessment_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in SELF_ASSESSMENT_EDITABLE

    @property
    def is_recognised(self) -> bool:
        return self.status == "recognised"


class WardTargetQuerySet(ScopedQuerySet):
    """Targets are counts, not personal data: the province roles see every unit's, ward staff their wards'."""

    province_sees_all = True


class WardTarget(TimeStampedModel):
    """A ward's drug-free target for one year: assigned by the province, registered by the ward, or both."""

    ward = models.ForeignKey("khom.Ward", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(_("năm"), validators=[validate_programme_year])
    assigned = models.BooleanField(_("tỉnh giao chỉ tiêu"), default=False)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người giao"), on_delete=models.SET_NULL,
                                    null=True, blank=True, editable=False, related_name="+")
    assigned_at = models.DateTimeField(_("giao lúc"), null=True, blank=True, editable=False)
    registered = models.BooleanField(_("đơn vị đăng ký"), default=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người đăng ký"),
                                      on_delete=models.SET_NULL, null=True, blank=True, editable=False,
                                      related_name="+")
    registered_at = models.DateTimeField(_("đăng ký lúc"), null=True, blank=True, editable=False)

    objects = WardTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu của xã/phường")
        verbose_name_plural = _("chỉ tiêu của xã/phường")
        ordering = ["year", "ward_id"]
        permissions = [("assign_wardtarget", _("Giao chỉ tiêu không ma túy cho xã/phường")),
                       ("register_wardtarget", _("Đăng ký chỉ tiêu không ma túy của xã/phường"))]
        constraints = [
            models.UniqueConstraint(fields=["ward", "year"], name="ward_target_one_per_ward_year",
                                    violation_error_message=WARD_TARGET_DUPLICATE),
        ]

    def __str__(self):
        return f"{self.ward} — {self.year}"


class ProvinceTargetQuerySet(ReferenceQuerySet):
    """A published target: every signed-in user may read it."""


class ProvinceTarget(TimeStampedModel):
    """The province's target for a year: the share of its units to be drug-free (QĐ 1209/QĐ-UBND), as data."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True, validators=[validate_programme_year],
                                            error_messages={"unique": PROVINCE_TARGET_DUPLICATE})
    percent = models.DecimalField(_("tỉ lệ đơn vị không ma túy (%)"), max_digits=5, decimal_places=2)
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)

    objects = ProvinceTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu của tỉnh")
        verbose_name_plural = _("chỉ tiêu của tỉnh")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="province_target_percent_0_100",
                                   violation_error_message=PROVINCE_TARGET_PERCENT),
        ]

    def __str__(self):
        return f"{self.year}: {self.percent}%"


# ---------------------------------------------------------------- classification (QĐ 28/2025/QĐ-TTg, Điều 4–5)
CLASSIFICATION_SET_TAKEN = _("Bộ phân loại với mã và phiên bản này đã tồn tại.")
CLASSIFICATION_TYPE_TAKEN = _("Loại này đã có trong bộ phân loại.")
CLASSIFICATION_ROUTE_FIELDS = _("Quy tắc tuyến (đ) phải có cả số tiêu chí tối thiểu và loại có tiêu chí được đếm, "
                                "hoặc không có cả hai.")
CLASSIFICATION_ROUTE_SAME_SET = _("Loại có tiêu chí được đếm theo quy tắc tuyến phải thuộc cùng bộ phân loại.")
CLASSIFICATION_THRESHOLD_INDICATOR = _("Ngưỡng tính theo số đếm hoặc theo nhân khẩu phải chọn chỉ tiêu; "
                                       "các cách tính khác thì không.")
WARD_YEAR_DUPLICATE = _("Đơn vị này đã có số liệu nền cho năm này.")
PROVINCE_YEAR_DUPLICATE = _("Đã có số liệu nền của tỉnh cho năm này.")


class ClassificationSetQuerySet(ReferenceQuerySet):
    """Published rules: every signed-in user may read them."""

    def current(self, level: str, year: int, *, period=None):
        """The set of *level* in force during the kỳ đánh giá of *year* (*period* when known): the latest version."""
        from .cycle import assessment_period

        period = period or assessment_period(year)
        return (self.filter(level=level, valid_from__lte=period.end)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
                .order_by("-valid_from", "-version").first())


class ClassificationSet(TimeStampedModel):
    """A classification of hotspot areas as data: its types, each type's thresholds and route rule.

    Điều 4 of QĐ 28/2025/QĐ-TTg classifies a commune-level unit as type I, II or
    III; Điều 5 classifies the province. The law moves: a new version is a new
    row edited in the admin; what a ward sent the province keeps the version used.
    """

    code = models.SlugField(_("mã"), max_length=50)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên"), max_length=255)
    level = models.CharField(_("cấp phân loại"), max_length=10, choices=ClassificationLevel.choices)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    note = models.TextField(_("ghi chú cách áp dụng"), blank=True)
    valid_from = models.DateField(_("có hiệu lực từ"), validators=[validate_event_date])
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True, validators=[validate_event_date])
    checked = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False,
                                  help_text=_("Bỏ trống khi chưa đối chiếu với văn bản gốc."))

    objects = ClassificationSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ phân loại địa bàn trọng điểm")
        verbose_name_plural = _("bộ phân loại địa bàn trọng điểm")
        ordering = ["level", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="classification_set_unique_code_version",
                                    violation_error_message=CLASSIFICATION_SET_TAKEN),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="classification_set_valid_to_after_from",
                                   violation_error_message=SET_VALID_TO_BEFORE_FROM),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"


class ClassificationTypeQuerySet(ReferenceQuerySet):
    pass


class ClassificationType(TimeStampedModel):
    """One type of a set (loại I, II, III): reached when ``min_criteria`` of its lettered criteria hold.

    The route rule (đ) is one more criterion of the type, held when the unit is on a
    drug route and at least ``route_min_criteria`` criteria of ``route_counts_type``
    hold (type I: 2 of type II's; type II: 2 of type III's).
    """

    classification_set = models.ForeignKey(ClassificationSet, verbose_name=_("bộ phân loại"),
                                           on_delete=models.CASCADE, related_name="types")
    code = models.CharField(_("mã loại"), max_length=10)
    label = models.CharField(_("tên loại"), max_length=30, help_text=_("Ví dụ: “Loại I”."))
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), help_text=_("1 là loại nặng nhất; xét từ loại nặng nhất."))
    min_criteria = models.PositiveSmallIntegerField(_("số tiêu chí tối thiểu"))
    route_min_criteria = models.PositiveSmallIntegerField(_("quy tắc tuyến: số tiêu chí tối thiểu"), null=True,
                                                          blank=True)
    route_counts_type = models.ForeignKey("self", verbose_name=_("quy tắc tuyến: đếm tiêu chí của loại"),
                                          on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    route_letter = models.CharField(_("ký hiệu tiêu chí tuyến"), max_length=5, blank=True, default="đ")
    counts_for_province = models.BooleanField(
        _("tính vào tỉ lệ xã trọng điểm của tỉnh"), default=False,
        help_text=_("Điều 5: tỉ lệ xã loại I, II trên tổng số xã."))

    objects = ClassificationTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("loại địa bàn trọng điểm")
        verbose_name_plural = _("loại địa bàn trọng điểm")
        ordering = ["classification_set", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["classification_set", "code"], name="classification_type_unique_code",
                                    violation_error_message=CLASSIFICATION_TYPE_TAKEN),
            models.CheckConstraint(
                condition=Q(route_min_criteria__isnull=True, route_counts_type__isnull=True)
                | Q(route_min_criteria__isnull=False, route_counts_type__isnull=False),
                name="classification_type_route_rule_whole", violation_error_message=CLASSIFICATION_ROUTE_FIELDS),
        ]

    def __str__(self):
        return f"{self.classification_set.name} — {self.label}"

    def clean(self):
        super().clean()
        if self.route_counts_type_id and self.route_counts_type.classification_set_id != self.classification_set_id:
            raise ValidationError({"route_counts_type": CLASSIFICATION_ROUTE_SAME_SET})


class ClassificationThresholdQuerySet(ReferenceQuerySet):
    pass


class ClassificationThreshold(TimeStampedModel):
    """One lettered criterion of a type: figure ≥ (or >) ``minimum``; rows sharing a letter are alternatives."""

    type = models.ForeignKey(ClassificationType, verbose_name=_("loại"), on_delete=models.CASCADE,
                             related_name="thresholds")
    letter = models.CharField(_("ký hiệu tiêu chí"), max_length=5, help_text=_("a, b, c, d…; cùng ký hiệu là phương án thay thế."))
    text = models.CharField(_("nội dung"), max_length=255)
    basis = models.CharField(_("cách tính"), max_length=15, choices=ClassificationBasis.choices)
    indicator = models.CharField(_("chỉ tiêu"), max_length=50, blank=True)
    minimum = models.DecimalField(_("ngưỡng"), max_digits=12, decimal_places=4)
    strict = models.BooleanField(_("lớn hơn hẳn ngưỡng"), default=False,
                                 help_text=_("Đánh dấu khi tiêu chí đạt lúc số liệu lớn hơn ngưỡng; bỏ trống: từ ngưỡng trở lên."))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = ClassificationThresholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngưỡng phân loại")
        verbose_name_plural = _("ngưỡng phân loại")
        ordering = ["type", "order", "letter"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(basis__in=["count", "resident_pct"]) & ~Q(indicator=""))
                | (Q(basis__in=["units_pct", "on_route"]) & Q(indicator="")),
                name="classification_threshold_indicator_by_basis",
                violation_error_message=CLASSIFICATION_THRESHOLD_INDICATOR),
        ]

    def __str__(self):
        return f"{self.letter}. {self.text}"

    def clean(self):
        super().clean()
        if self.indicator:
            from apps.indicators import registry

            try:
                registry.get(self.indicator)
            except registry.UnknownIndicator:
                raise ValidationError({"indicator": CRITERION_UNKNOWN_INDICATOR % {"code": self.indicator}})

    def holds(self, figure) -> bool:
        """Whether *figure* (a Decimal, a bool for the route, None when unknown) reaches the threshold."""
        from decimal import Decimal

        if figure is None:
            return False
        value = Decimal(int(figure)) if isinstance(figure, bool) else Decimal(str(figure))
        return value > self.minimum if self.strict else value >= self.minimum


class WardYearDataQuerySet(ScopedQuerySet):
    """A unit's residents and route flag: aggregates, not personal data; the province roles read every unit's."""

    province_sees_all = True


class WardYearData(TimeStampedModel):
    """What the classification of a unit needs for one kỳ đánh giá beyond the registry's counts.

    The rates of Điều 4 are over the resident population (nhân khẩu hiện đang cư
    trú) of that period, so it is kept per year; so is whether the unit lies on a
    drug route (the route rule đ), which the provincial police determine.
    """

    ward = models.ForeignKey("khom.Ward", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="year_data")
    year = models.PositiveSmallIntegerField(_("năm đánh giá"), validators=[validate_programme_year])
    residents = models.PositiveIntegerField(_("nhân khẩu hiện đang cư trú"))
    on_drug_route = models.BooleanField(_("nằm trên tuyến, địa bàn trung chuyển ma túy"), default=False)
    note = models.CharField(_("nguồn số liệu, ghi chú"), max_length=255, blank=True)

    objects = WardYearDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu nền của đơn vị theo năm")
        verbose_name_plural = _("số liệu nền của đơn vị theo năm")
        ordering = ["-year", "ward_id"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "year"], name="ward_year_data_one_per_year",
                                    violation_error_message=WARD_YEAR_DUPLICATE),
        ]

    def __str__(self):
        return f"{self.ward} — {self.year}"


class ProvinceYearDataQuerySet(ReferenceQuerySet):
    pass


class ProvinceYearData(TimeStampedModel):
    """The province's own fact for a kỳ đánh giá: whether it lies on an inter-provincial drug route (Điều 5)."""

    year = models.PositiveSmallIntegerField(_("năm đánh giá"), unique=True, validators=[validate_programme_year],
                                            error_messages={"unique": PROVINCE_YEAR_DUPLICATE})
    on_interprovincial_route = models.BooleanField(_("nằm trên tuyến trung chuyển ma túy liên tỉnh"), default=False)
    note = models.CharField(_("nguồn, ghi chú"), max_length=255, blank=True)

    objects = ProvinceYearDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu nền của tỉnh theo năm")
        verbose_name_plural = _("số liệu nền của tỉnh theo năm")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)
