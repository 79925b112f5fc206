from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ScopedAdmin

from .models import Khom, Ward


@admin.register(Ward)
class WardAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "province", "population", "is_illustrative"]
    search_fields = ["code", "name"]
    list_filter = ["kind", "province", "is_illustrative"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "province", "province_code", "population", "is_illustrative"]}),
        (_("Thể thức văn bản báo cáo (Nghị định 30/2020/NĐ-CP)"),
         {"fields": ["document_issuer", "document_place", "document_recipients"]}),
    ]


@admin.register(Khom)
class KhomAdmin(ScopedAdmin):
    list_display = ["code", "name", "ward", "population", "households", "target_year", "status"]
    list_filter = [("ward", admin.RelatedOnlyFieldListFilter), "target_year", "status"]
    list_select_related = ["ward"]
    search_fields = ["code", "name", "head_name"]
