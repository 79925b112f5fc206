"""The project's URLs plus /imports/ for these tests, until the line is wired in myhoi/urls.py."""
from django.urls import include, path

from myhoi.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(pattern, "namespace", None) == "imports" for pattern in urlpatterns):
    urlpatterns.insert(0, path("imports/", include("apps.imports.urls")))
