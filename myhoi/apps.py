from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with myhoi's site (apps.core.sites.MyhoiAdminSite) as ``admin.site``."""

    default_site = "apps.core.sites.MyhoiAdminSite"
