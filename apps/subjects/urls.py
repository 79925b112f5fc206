from django.urls import path

from . import transfer_views, views

app_name = "subjects"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("export.xlsx", views.PersonExportView.as_view(), name="export"),
    path("deadlines/", views.DeadlinesView.as_view(), name="deadlines"),
    path("deadlines/export.xlsx", views.DeadlinesExportView.as_view(), name="deadlines_export"),
    path("autocomplete/", views.PersonAutocompleteView.as_view(), name="autocomplete"),
    path("new/", views.PersonCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PersonUpdateView.as_view(), name="edit"),
    path("<int:pk>/episodes/new/", views.EpisodeCreateView.as_view(), name="episode_create"),
    path("<int:pk>/tests/new/", views.DrugTestCreateView.as_view(), name="test_create"),
    path("<int:pk>/moves/new/", views.ResidenceMoveCreateView.as_view(), name="move_create"),
    path("<int:pk>/support/new/", views.SupportRecordCreateView.as_view(), name="support_create"),
    path("episodes/<int:pk>/close/", views.EpisodeCloseView.as_view(), name="episode_close"),
    path("episodes/<int:pk>/restart/", views.EpisodeRestartView.as_view(), name="episode_restart"),
    path("moves/<int:pk>/notify/", views.ResidenceMoveNotifyView.as_view(), name="move_notify"),
    # Record transfers between wards (issue 18 §3).
    path("transfers/", transfer_views.TransferListView.as_view(), name="transfer_list"),
    path("transfers/new/", transfer_views.TransferRequestView.as_view(), name="transfer_create"),
    path("transfers/<int:pk>/", transfer_views.TransferDetailView.as_view(), name="transfer_detail"),
    path("transfers/<int:pk>/send/", transfer_views.TransferSendView.as_view(), name="transfer_send"),
    path("transfers/<int:pk>/accept/", transfer_views.TransferAcceptView.as_view(), name="transfer_accept"),
    path("transfers/<int:pk>/refuse/", transfer_views.TransferRefuseView.as_view(), name="transfer_refuse"),
    path("<int:pk>/transfer/new/", transfer_views.TransferStartView.as_view(), name="transfer_start_create"),
]
