from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apps.core import views as core_views
from apps.reports.views import DashboardView


urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/otp/", include("apps.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", DashboardView.as_view(), name="dashboard"),
    path("audit/", core_views.AuditEventListView.as_view(), name="audit"),
    path("khom/", include("apps.khom.urls")),
    path("cases/", include("apps.cases.urls")),
    path("subjects/", include("apps.subjects.urls")),
    path("reports/", include("apps.reports.urls")),
    path("activities/", include("apps.activities.urls")),
    path("criteria/", include("apps.criteria.urls")),
    path("imports/", include("apps.imports.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("admin/", admin.site.urls),
]
