from django.contrib import admin

from apps.core.admin import ScopedAdmin

from .models import Khom, Ward


@admin.register(Ward)
class WardAdmin(ScopedAdmin):
    list_display = ["code", "name", "province", "population"]
    search_fields = ["code", "name"]
    list_filter = ["province"]


@admin.register(Khom)
class KhomAdmin(ScopedAdmin):
    list_display = ["code", "name", "ward", "population", "households", "target_year", "status"]
    list_filter = [("ward", admin.RelatedOnlyFieldListFilter), "target_year", "status"]
    list_select_related = ["ward"]
    search_fields = ["code", "name", "head_name"]
