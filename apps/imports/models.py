"""One uploaded Excel file and what happened to it: preview, refusal or import."""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

from .choices import BatchStatus, ImportKind

NEGATIVE_COUNT = _("Số dòng không được âm.")


class ImportBatchQuerySet(models.QuerySet):
    def for_user(self, user):
        """Administrators see every batch; leadership the batches of their wards; others their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_administrator:
            return self
        if user.is_leadership:
            return self.filter(Q(ward_id__in=user.scope_ward_ids) | Q(created_by=user))
        if user.is_police:
            return self.filter(created_by=user)
        return self.none()


class ImportBatch(TimeStampedModel):
    """An uploaded workbook kept in the database between preview and confirm.

    The bytes live here, not on local disk, so that the confirm request may
    land on another app server than the upload did.
    """

    kind = models.CharField(_("loại dữ liệu"), max_length=10, choices=ImportKind.choices)
    file_name = models.CharField(_("tên file"), max_length=255)
    file_bytes = models.BinaryField(_("nội dung file"), editable=False)
    ward = models.ForeignKey("khom.Ward", verbose_name=_("phường"), on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    status = models.CharField(_("trạng thái"), max_length=10, choices=BatchStatus.choices,
                              default=BatchStatus.UPLOADED)
    rows_total = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    rows_done = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    rows_created = models.PositiveIntegerField(_("số dòng tạo mới"), default=0)
    rows_updated = models.PositiveIntegerField(_("số dòng cập nhật"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("số dòng không đổi"), default=0)
    rows_error = models.PositiveIntegerField(_("số dòng lỗi"), default=0)
    report = models.JSONField(_("kết quả kiểm tra"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt nhập Excel")
        verbose_name_plural = _("lượt nhập Excel")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rows_done__lte=models.F("rows_total")) | Q(rows_total=0),
                                   name="importbatch_done_not_over_total",
                                   violation_error_message=_("Số dòng đã xử lý không được lớn hơn tổng số dòng.")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.file_name}"

    def audit_ward_id(self):
        return self.ward_id
