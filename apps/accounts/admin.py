from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ScopedAdmin

from .models import User


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "get_full_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", ("wards", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "first_name", "last_name", "email"]
    filter_horizontal = ["wards", "khoms"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Vai trò và phạm vi"), {"fields": ("role", "wards", "khoms", "is_active", "is_staff", "is_superuser")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "wards", "khoms")}),
    )
    readonly_fields = ["last_login", "date_joined"]
