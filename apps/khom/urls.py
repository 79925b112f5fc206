from django.urls import path

from . import views

app_name = "khom"
urlpatterns = [
    path("", views.KhomListView.as_view(), name="list"),
    path("<int:pk>/", views.KhomDetailView.as_view(), name="detail"),
]
