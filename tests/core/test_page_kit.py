"""The page kit (apps.core.views): what every app's lists, details, forms and buttons get from it.

Pages built from the kit alone are wired in tests/core/kit_urls.py; the action view is tested through
real buttons (reports, criteria), which are nothing but declarations on it.
"""
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse

from apps.core.choices import AuditAction
from apps.core.locking import SAVE_CONFLICT, STALE_VERSION, StaleVersionError
from apps.core.models import AuditEvent
from apps.core.views import add_service_errors
from apps.khom.models import Khom
from apps.reports.choices import ReportStatus
from apps.reports.models import Report
from apps.reports.services import LOCK_NEEDS_SUBMIT
from tests.factories.khom import KhomFactory
from tests.factories.reports import ReportFactory

from .kit_urls import FIELD_AND_RECORD, HIDDEN_FIELD, WHOLE_RECORD, KhomRenameForm

pytestmark = pytest.mark.django_db


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def bound_form(khom, name="Khóm Mới", code="A01"):
    form = KhomRenameForm({"name": name, "code": code}, instance=khom)
    assert form.is_valid(), form.errors
    return form


# ---------------------------------------------------------------- a service's refusal onto the form
def test_field_errors_go_onto_their_fields_and_non_field_errors_to_the_top(khom):
    form = bound_form(khom)
    add_service_errors(form, ValidationError(FIELD_AND_RECORD))
    assert form.errors["name"] == [FIELD_AND_RECORD["name"]]
    assert form.non_field_errors() == [FIELD_AND_RECORD[NON_FIELD_ERRORS]]


def test_an_error_about_a_field_the_form_does_not_show_goes_to_the_top(khom):
    form = bound_form(khom)
    add_service_errors(form, ValidationError({"population": HIDDEN_FIELD}))
    assert form.non_field_errors() == [HIDDEN_FIELD] and "population" not in form.errors


def test_a_message_without_fields_and_a_stale_version_go_to_the_top(khom):
    form = bound_form(khom)
    add_service_errors(form, ValidationError([WHOLE_RECORD, "Thêm một lý do."]))
    add_service_errors(form, StaleVersionError())
    assert form.non_field_errors() == [WHOLE_RECORD, "Thêm một lý do.", str(STALE_VERSION)]


def test_for_a_page_above_the_form_the_rest_is_returned_and_field_errors_stay_on_the_form(khom):
    form = bound_form(khom)
    rest = add_service_errors(form, ValidationError(FIELD_AND_RECORD), rest_to_page=True)
    assert rest == [FIELD_AND_RECORD[NON_FIELD_ERRORS]]
    assert form.errors["name"] == [FIELD_AND_RECORD["name"]] and not form.non_field_errors()


# ---------------------------------------------------------------- the service form page
def rename(client, khom, code, name="Khóm Đổi Tên"):
    return client.post(reverse("kit-rename", args=[khom.pk]), {"name": name, "code": code})


@pytest.mark.urls("tests.core.kit_urls")
def test_the_form_opens_with_the_records_values_and_the_page_is_about_it(client_for, police, khom):
    response = client_for(police).get(reverse("kit-rename", args=[khom.pk]))
    assert response.status_code == 200
    assert response.context["form"]["name"].value() == "Khóm A01" and response.context["object"] == khom


@pytest.mark.urls("tests.core.kit_urls")
def test_valid_input_goes_to_the_one_service_then_a_message_and_a_redirect(client_for, police, khom):
    response = rename(client_for(police), khom, code="A01")
    assert response.status_code == 302 and response["Location"] == "/khom/"
    assert Khom.objects.get(pk=khom.pk).name == "Khóm Đổi Tên"
    assert texts(response) == ["Đã lưu."]


@pytest.mark.urls("tests.core.kit_urls")
@pytest.mark.parametrize("code, field_errors, top", [
    ("field", {"name": [FIELD_AND_RECORD["name"]]}, [FIELD_AND_RECORD[NON_FIELD_ERRORS]]),
    ("hidden", {}, [HIDDEN_FIELD]),
    ("whole", {}, [WHOLE_RECORD]),
    ("stale", {}, [str(STALE_VERSION)]),
    ("race", {}, [str(SAVE_CONFLICT)]),
])
def test_a_refusal_comes_back_on_the_form_with_what_was_typed_and_nothing_written(client_for, police, khom, code,
                                                                                  field_errors, top):
    response = rename(client_for(police), khom, code=code, name="Tên Đã Gõ")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == top
    assert {name: errors for name, errors in form.errors.items() if name != NON_FIELD_ERRORS} == field_errors
    assert form["name"].value() == "Tên Đã Gõ" and "Tên Đã Gõ" in response.content.decode()
    assert Khom.objects.get(pk=khom.pk).name == "Khóm A01" and not texts(response)


@pytest.mark.urls("tests.core.kit_urls")
def test_the_form_of_a_record_out_of_scope_answers_404_and_runs_nothing(client_for, police, other_khom):
    assert client_for(police).get(reverse("kit-rename", args=[other_khom.pk])).status_code == 404
    assert rename(client_for(police), other_khom, code="B01").status_code == 404
    assert Khom.objects.get(pk=other_khom.pk).name == "Khóm B01"


def test_a_stale_version_on_a_real_edit_page_is_refused_on_the_form(client_for, police, khom):
    from tests.factories.cases import HotspotFactory

    hotspot = HotspotFactory(khom=khom)
    client = client_for(police)
    url = reverse("cases:hotspot_edit", args=[hotspot.pk])
    version = client.get(url).context["form"]["version"].value()
    data = {"khom": khom.pk, "address": "Địa chỉ mới", "kind": hotspot.kind, "found_on": "01/03/2025",
            "cleared_on": "", "notes": "", "version": version}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "address": "Sửa muộn"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(STALE_VERSION)]
    hotspot.refresh_from_db()
    assert hotspot.address == "Địa chỉ mới"


# ---------------------------------------------------------------- lists and details
@pytest.mark.urls("tests.core.kit_urls")
def test_a_list_with_the_flag_writes_one_view_event_and_one_without_writes_none(client_for, police, khom, khom2):
    client = client_for(police)
    assert client.get(reverse("kit-plain-list")).status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW).exists()
    assert client.get(reverse("kit-audited-list"), {"page": "1"}).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert (event.object_type, event.extra["view"], event.extra["page"], event.extra["rows"]) == (
        "khom.khom", "kit-audited-list", 1, 1)


@pytest.mark.urls("tests.core.kit_urls")
def test_across_several_wards_the_count_stops_at_the_cap_and_the_page_says_so(client_for, admin_user, ward,
                                                                             other_ward):
    KhomFactory.create_batch(2, ward=ward)
    KhomFactory.create_batch(2, ward=other_ward)
    response = client_for(admin_user).get(reverse("kit-plain-list"))
    paginator = response.context["paginator"]
    assert paginator.capped and paginator.count == 2 and paginator.num_pages == 2
    assert "Chỉ hiển thị 2 dòng đầu tiên khớp điều kiện lọc" in response.content.decode()


@pytest.mark.urls("tests.core.kit_urls")
def test_within_one_ward_the_count_is_exact(client_for, police, ward):
    KhomFactory.create_batch(4, ward=ward)
    response = client_for(police).get(reverse("kit-plain-list"))
    paginator = response.context["paginator"]
    assert not getattr(paginator, "capped", False) and paginator.count == 4
    assert "Chỉ hiển thị" not in response.content.decode()


@pytest.mark.urls("tests.core.kit_urls")
def test_a_detail_in_scope_is_audited_and_one_out_of_scope_is_404_and_a_denial(client_for, police, khom,
                                                                              other_khom):
    client = client_for(police)
    assert client.get(reverse("kit-detail", args=[khom.pk])).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(khom.pk)).count() == 1
    assert client.get(reverse("kit-detail", args=[other_khom.pk])).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, object_id=str(other_khom.pk)).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(other_khom.pk)).exists()


# ---------------------------------------------------------------- POST-only actions
@pytest.fixture
def report(ward):
    return ReportFactory(ward=ward)


@pytest.mark.parametrize("name", ["reports:submit", "reports:reopen", "reports:lock", "criteria:submit"])
def test_an_action_answers_405_to_a_get(client_for, admin_user, report, name):
    assert client_for(admin_user).get(reverse(name, args=[report.pk])).status_code == 405


def test_an_action_on_a_record_out_of_scope_answers_404_and_changes_nothing(client_for, other_ward, leader):
    stranger = ReportFactory(ward=other_ward)
    assert client_for(leader).post(reverse("reports:submit", args=[stranger.pk])).status_code == 404
    assert Report.objects.get(pk=stranger.pk).status == ReportStatus.DRAFT


def test_a_refused_action_changes_nothing_and_says_why_on_the_records_page(client_for, leader, report):
    response = client_for(leader).post(reverse("reports:lock", args=[report.pk]))
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert texts(response) == [str(LOCK_NEEDS_SUBMIT)]
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_a_done_action_says_so_on_the_records_page(client_for, leader, report):
    from apps.reports.views import SUBMITTED

    response = client_for(leader).post(reverse("reports:submit", args=[report.pk]))
    assert response.status_code == 302 and texts(response) == [str(SUBMITTED)]
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_stale_version_sent_by_an_action_is_said_at_the_top_of_the_page(client_for, police, khom):
    from apps.criteria import services
    from tests.factories.criteria import seeded_set
    from apps.criteria.choices import CriteriaScope

    assessment = services.assessment_create(user=police, data={
        "criteria_set": seeded_set(CriteriaScope.KHOM), "khom": khom, "year": 2025})
    response = client_for(police).post(reverse("criteria:submit", args=[assessment.pk]),
                                       {"version": assessment.version + 1})
    assert response.status_code == 400
    assert texts(response) == [str(STALE_VERSION)]
    assessment.refresh_from_db()
    assert assessment.is_editable
