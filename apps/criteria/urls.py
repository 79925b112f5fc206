from django.urls import path

from . import views

app_name = "criteria"
urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="list"),
    path("new/", views.AssessmentCreateView.as_view(), name="create"),
    path("roadmap/", views.RoadmapView.as_view(), name="roadmap"),
    path("<int:pk>/", views.AssessmentDetailView.as_view(), name="detail"),
    path("<int:pk>/items/<int:item_pk>/", views.AssessmentItemUpdateView.as_view(), name="item"),
    path("<int:pk>/evidence/<int:evidence_pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence-delete"),
    path("<int:pk>/submit/", views.AssessmentSubmitView.as_view(), name="submit"),
    path("<int:pk>/decide/", views.AssessmentDecideView.as_view(), name="decide"),
    path("<int:pk>/recognise/", views.RecognitionCreateView.as_view(), name="recognise"),
    path("recognitions/<int:pk>/revoke/", views.RecognitionRevokeView.as_view(), name="revoke"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
]
