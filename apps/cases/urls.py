from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("new/", views.CaseCreateView.as_view(), name="create"),
    path("export.xlsx", views.CaseExportView.as_view(), name="export"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CaseUpdateView.as_view(), name="edit"),
    path("hotspots/", views.HotspotListView.as_view(), name="hotspot_list"),
    path("hotspots/new/", views.HotspotCreateView.as_view(), name="hotspot_create"),
    path("hotspots/<int:pk>/", views.HotspotDetailView.as_view(), name="hotspot_detail"),
    path("hotspots/<int:pk>/edit/", views.HotspotUpdateView.as_view(), name="hotspot_edit"),
]
