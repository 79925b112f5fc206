from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.ActivityListView.as_view(), name="list"),
    path("new/", views.ActivityCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="edit"),
    path("commitments/", views.CommitmentSigningListView.as_view(), name="commitments"),
    path("commitments/new/", views.CommitmentSigningCreateView.as_view(), name="commitment_create"),
    path("commitments/<int:pk>/edit/", views.CommitmentSigningUpdateView.as_view(), name="commitment_edit"),
    path("reintegration/", views.ReintegrationModelListView.as_view(), name="reintegration"),
    path("reintegration/new/", views.ReintegrationModelCreateView.as_view(), name="reintegration_create"),
    path("reintegration/<int:pk>/edit/", views.ReintegrationModelUpdateView.as_view(), name="reintegration_edit"),
]
