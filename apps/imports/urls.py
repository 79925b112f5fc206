from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("template/<str:kind>.xlsx", views.TemplateDownloadView.as_view(), name="template"),
    path("<int:pk>/", views.BatchDetailView.as_view(), name="batch"),
    path("<int:pk>/preview/", views.BatchPreviewView.as_view(), name="preview"),
    path("<int:pk>/confirm/", views.BatchConfirmView.as_view(), name="confirm"),
    path("<int:pk>/progress/", views.BatchProgressView.as_view(), name="progress"),
]
