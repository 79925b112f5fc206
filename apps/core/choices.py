from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")
    VIEW = "view", _("Xem")
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Cập nhật")
    DELETE = "delete", _("Xoá")
    EXPORT = "export", _("Xuất file")
    IMPORT = "import", _("Nhập file")
    DENIED = "denied", _("Bị từ chối")
    # A CCCD typed (form, import, admin) that someone outside the user's scope holds: the refusal
    # itself tells that the number is on the register somewhere, so each one is kept (issue 14).
    LOOKUP = "lookup", _("Tra cứu nhạy cảm")
    # Something administrators must look at, e.g. a user past the daily limit of sensitive lookups.
    ALERT = "alert", _("Cảnh báo")


class CalendarExceptionKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class PeriodKind(models.TextChoices):
    """The kinds of period a report or a figure covers (see apps.core.periods)."""

    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF_YEAR = "half_year", _("6 tháng")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEAR = "year", _("Năm")


class ConventionCode(models.TextChoices):
    """The period conventions the code asks for by name; their days are data (apps.core.models.PeriodConvention)."""

    DRUG_REPORT = "drug_report", _("Báo cáo định kỳ về ma túy")
    ASSESSMENT = "assessment", _("Kỳ đánh giá, phân loại xã/phường")
