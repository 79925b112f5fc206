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
    # The unit's self-assessment to the province (issue 17 §3).
    path("self-assessments/", views.SelfAssessmentListView.as_view(), name="self_assessment_list"),
    path("self-assessments/new/", views.SelfAssessmentCreateView.as_view(), name="self_assessment_create"),
    path("self-assessments/<int:pk>/", views.SelfAssessmentDetailView.as_view(), name="self_assessment_detail"),
    path("self-assessments/<int:pk>/edit/", views.SelfAssessmentUpdateView.as_view(), name="self_assessment_edit"),
    path("self-assessments/<int:pk>/submit/", views.SelfAssessmentSubmitView.as_view(),
         name="self_assessment_submit"),
    path("self-assessments/<int:pk>/review/", views.SelfAssessmentReviewView.as_view(),
         name="self_assessment_review"),
    path("self-assessments/<int:pk>/decide/", views.SelfAssessmentDecideView.as_view(),
         name="self_assessment_decide"),
    path("self-assessments/<int:pk>/revoke/", views.SelfAssessmentRevokeView.as_view(),
         name="self_assessment_revoke"),
    path("self-assessments/<int:pk>/evidence/<int:evidence_pk>/", views.SelfAssessmentEvidenceView.as_view(),
         name="self_assessment_evidence"),
    # Targets and the province roadmap (issue 17 §4).
    path("province/", views.ProvinceRoadmapView.as_view(), name="province"),
    path("province/export.xlsx", views.ProvinceRoadmapExportView.as_view(), name="province_export"),
    # The Điều 4 classification of one unit (issue 17 §2).
    path("classification/<int:pk>/", views.WardClassificationView.as_view(), name="classification"),
    path("province/wards/<int:pk>/assign/", views.WardTargetAssignView.as_view(), name="target_assign"),
    path("province/wards/<int:pk>/register/", views.WardTargetRegisterView.as_view(), name="target_register"),
]
