from django.urls import path

from . import views

app_name = "subjects"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("export.xlsx", views.PersonExportView.as_view(), name="export"),
    path("deadlines/", views.DeadlinesView.as_view(), name="deadlines"),
    path("autocomplete/", views.PersonAutocompleteView.as_view(), name="autocomplete"),
    path("new/", views.PersonCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PersonUpdateView.as_view(), name="edit"),
    path("<int:pk>/episodes/new/", views.EpisodeCreateView.as_view(), name="episode_create"),
    path("<int:pk>/tests/new/", views.DrugTestCreateView.as_view(), name="test_create"),
    path("<int:pk>/moves/new/", views.ResidenceMoveCreateView.as_view(), name="move_create"),
    path("<int:pk>/support/new/", views.SupportRecordCreateView.as_view(), name="support_create"),
    path("episodes/<int:pk>/close/", views.EpisodeCloseView.as_view(), name="episode_close"),
]
