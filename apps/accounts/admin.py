from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import CharField, Count, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ScopedAdmin
from apps.core.models import RECENT_ALERT_DAYS, AuditEvent

from .models import User


class RecentAlertFilter(admin.SimpleListFilter):
    """Users flagged to administrators lately (e.g. too many CCCD lookups in a day)."""

    title = _("cảnh báo gần đây")
    parameter_name = "alerted"

    def lookups(self, request, model_admin):
        return [("yes", _("Có cảnh báo trong %(days)s ngày qua") % {"days": RECENT_ALERT_DAYS})]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(recent_alerts__gt=0)
        return queryset


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "get_full_name", "role", "is_active", "last_login", "alert_mark"]
    list_filter = ["role", "is_active", ("wards", admin.RelatedOnlyFieldListFilter), RecentAlertFilter]
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

    def get_queryset(self, request):
        # One subquery, not one query per row; the audit log has no foreign key to users (it outlives them).
        alerts = (AuditEvent.objects.recent_alerts().filter(object_type="accounts.user",
                                                            object_id=Cast(OuterRef("pk"), CharField()))
                  .order_by().values("object_id").annotate(n=Count("id")).values("n"))
        return super().get_queryset(request).annotate(recent_alerts=Coalesce(Subquery(alerts), Value(0)))

    @admin.display(description=_("cảnh báo"), ordering="recent_alerts")
    def alert_mark(self, obj):
        if not obj.recent_alerts:
            return ""
        url = reverse("audit") + "?" + urlencode({"action": "alert", "object_type": "accounts.user",
                                                   "object_id": obj.pk})
        return format_html('<a class="badge bg-danger text-white" href="{}" title="{}">⚠ {}</a>', url,
                           _("Xem các cảnh báo trong nhật ký"), obj.recent_alerts)
