"""No cache may keep a copy of anything the application answers: pages, exports, downloads, the admin, errors.

Static files are the exception: WhiteNoise serves them, with its own cache headers, before
the request reaches the application.
"""
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.middleware import NO_STORE
from apps.criteria import services as criteria_services
from apps.criteria.choices import CriteriaScope
from tests.criteria.conftest import PDF
from tests.factories.criteria import seeded_set
from tests.factories.reports import ReportFactory
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db


def assert_no_store(response, what):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, (what, response.status_code, response.get("Cache-Control"))
    assert "public" not in directives and not any(d.startswith(("max-age=", "s-maxage=")) and d != "max-age=0"
                                                  for d in directives), (what, response["Cache-Control"])


@pytest.fixture
def person(khom):
    return PersonFactory(khom=khom, full_name="Lê Thị Riêng Tư")


@pytest.fixture
def evidence(khom, police):
    assessment = criteria_services.assessment_create(user=police, criteria_set=seeded_set(CriteriaScope.KHOM),
                                                     khom=khom, year=2025)
    item = assessment.items.filter(criterion__kind="manual").first()
    return criteria_services.evidence_add(user=police, item=item, upload=SimpleUploadedFile("bien-ban.pdf", PDF))


def test_pages_and_exports_of_a_signed_in_user_are_never_stored(client_for, leader, police, person, ward):
    report = ReportFactory(ward=ward)
    client = client_for(leader)
    for path in ["/", "/subjects/", f"/subjects/{person.pk}/", f"/subjects/?q={person.full_name}",
                 "/subjects/export.xlsx", "/reports/", f"/reports/{report.pk}/", f"/reports/{report.pk}/export.xlsx",
                 "/audit/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_store(response, path)
    # Refusals and redirects carry records' traces too (a 404 for an id, a redirect with a query).
    assert_no_store(client.get("/subjects/999999/"), "404")
    assert_no_store(client_for(police).get("/audit/"), "403")


def test_the_evidence_download_is_not_stored(client_for, police, evidence):
    response = client_for(police).get(reverse("criteria:evidence", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response) == PDF
    assert_no_store(response, "evidence")


def test_the_admin_pages_and_its_export_are_not_stored(client_for, admin_user, person):
    client = client_for(admin_user)
    for path in ["/admin/", "/admin/subjects/person/", f"/admin/subjects/person/{person.pk}/change/",
                 "/admin/subjects/person/export/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_store(response, path)
    response = client.post(reverse("admin:subjects_person_export"), {"format": "0", "resource": "0"})
    if response.get("Content-Type", "").startswith("text/html"):  # the field-choice step, then the file
        data = {"format": "0", "resource": "0"}
        data.update({name: "on" for name in response.context["form"].fields
                     if name.startswith(("personresource_", "resource_"))})
        response = client.post(reverse("admin:subjects_person_export"), data)
    assert response.status_code == 200 and person.full_name in " ".join(
        str(cell.value) for row in load_workbook(BytesIO(response.content)).active.iter_rows() for cell in row)
    assert_no_store(response, "admin export")


def test_anonymous_answers_are_not_stored_either(client, db):
    # The login page carries a CSRF token; a shared cache must not hand it to the next visitor.
    for path in ["/accounts/login/", "/subjects/", "/healthz"]:
        response = client.get(path)
        assert response.status_code in (200, 302), path
        assert_no_store(response, path)


def test_a_views_own_cache_header_is_replaced_not_merged(rf):
    from django.http import HttpResponse

    from apps.core.middleware import NoStoreMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    response = NoStoreMiddleware(view)(rf.get("/"))
    assert response["Cache-Control"] == NO_STORE


def test_static_files_keep_their_own_cache_headers(client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # what DEBUG gives; pytest-django runs with DEBUG off and no collectstatic
    response = client.get("/static/css/myhoi.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
