"""Vietnamese names for the third-party models the admin shows (django-axes, django-otp's TOTP devices).

django-otp's names are plain English strings, not translatable, and django-axes ships no Vietnamese: their
models, fields and apps are relabelled here, once, when the apps are ready (Django reads ``verbose_name``
from ``_meta`` and ``AppConfig`` each time a page is drawn). The labels are lazy translations, so the English
interface shows English (apps/core/locale/en). What axes translates itself (fieldsets, filters, actions)
is in the project's Vietnamese catalogue (locale/vi).
"""
from django.apps import apps
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "axes": _("Chống dò mật khẩu"),
    "otp_totp": _("Xác thực hai lớp (TOTP)"),
    "otp_static": _("Mã dự phòng đăng nhập"),
}

MODELS = {
    "axes.accessattempt": (_("lần đăng nhập sai"), _("lần đăng nhập sai")),
    "axes.accesslog": (_("lượt đăng nhập"), _("nhật ký đăng nhập")),
    "axes.accessfailurelog": (_("đăng nhập thất bại"), _("đăng nhập thất bại")),
    "axes.accessattemptexpiration": (_("hạn khoá đăng nhập"), _("hạn khoá đăng nhập")),
    "otp_totp.totpdevice": (_("thiết bị xác thực TOTP"), _("thiết bị xác thực TOTP")),
    "otp_static.staticdevice": (_("bộ mã dự phòng"), _("bộ mã dự phòng")),
    "otp_static.statictoken": (_("mã dự phòng"), _("mã dự phòng")),
}

FIELDS = {
    # django-axes
    "user_agent": _("trình duyệt (User-Agent)"),
    "ip_address": _("địa chỉ IP"),
    "username": _("tên đăng nhập"),
    "http_accept": _("HTTP Accept"),
    "path_info": _("đường dẫn"),
    "attempt_time": _("thời điểm"),
    "get_data": _("dữ liệu GET"),
    "post_data": _("dữ liệu POST"),
    "failures_since_start": _("số lần sai"),
    "locked_out": _("bị khoá"),
    "logout_time": _("thời điểm đăng xuất"),
    "session_hash": _("mã phiên"),
    "access_attempt": _("lần đăng nhập sai"),
    "expires_at": _("hết hạn lúc"),
    # django-otp
    "user": _("người dùng"),
    "name": _("tên thiết bị"),
    "confirmed": _("đã xác nhận"),
    "key": _("khoá bí mật"),
    "step": _("bước thời gian (giây)"),
    "t0": _("thời điểm gốc"),
    "digits": _("số chữ số"),
    "tolerance": _("độ lệch cho phép (bước)"),
    "drift": _("độ lệch đồng hồ"),
    "last_t": _("bước của mã đã dùng gần nhất"),
    "throttling_failure_timestamp": _("lần sai gần nhất"),
    "throttling_failure_count": _("số lần sai liên tiếp"),
    "created_at": _("tạo lúc"),
    "last_used_at": _("dùng gần nhất lúc"),
    "token": _("mã"),
    "device": _("thiết bị"),
}


def relabel_third_party_models() -> None:
    for label, name in APP_NAMES.items():
        if apps.is_installed(label) or label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for label, (singular, plural) in MODELS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._meta.verbose_name, model._meta.verbose_name_plural = singular, plural
        for field in model._meta.get_fields():
            if field.name in FIELDS and hasattr(field, "verbose_name") and field.concrete:
                field.verbose_name = FIELDS[field.name]
