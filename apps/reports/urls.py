from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("new/", views.ReportCreateView.as_view(), name="create"),
    path("province.xlsx", views.ProvinceExportView.as_view(), name="province_export"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ReportUpdateView.as_view(), name="update"),
    path("<int:pk>/submit/", views.ReportSubmitView.as_view(), name="submit"),
    path("<int:pk>/reopen/", views.ReportReopenView.as_view(), name="reopen"),
    path("<int:pk>/lock/", views.ReportLockView.as_view(), name="lock"),
    path("<int:pk>/export.xlsx", views.ReportExportView.as_view(), name="export"),
    path("<int:pk>/accept/", views.ReportAcceptView.as_view(), name="accept"),
    path("<int:pk>/return/", views.ReportReturnView.as_view(), name="return"),
    path("<int:pk>/reopen-accepted/", views.ReportProvinceReopenView.as_view(), name="province_reopen"),
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", views.RoundCreateView.as_view(), name="round_create"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/export.xlsx", views.RoundExportView.as_view(), name="round_export"),
]
