"""The bad inputs of issue 14 that answered 500, one by one: each is refused with its message, nothing written.

tests/security/test_fuzz_params.py walks every page with every kind of nonsense; these pin the
findings themselves and what the user is told.
"""
import pytest
from django.urls import reverse

from apps.core.choices import AuditAction
from apps.core.filtersets import FILTER_TEXT_MAX, FILTER_YEAR_RANGE
from apps.core.models import AuditEvent
from apps.imports.admin import EXPORT_FILTERS_INVALID
from tests.factories.reports import ReportFactory
from tests.factories.subjects import EpisodeFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["q=%00", "ab%00cd=1", "khom=1&khom=%00", "sort=%00", "age=%00"])
def test_a_nul_in_a_filter_of_a_list_is_that_fields_error_not_a_500(client_for, police, khom, query):
    person = PersonFactory(khom=khom)
    response = client_for(police).get(f"/subjects/?{query}")
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [person]


@pytest.mark.parametrize("year", ["0", "-5", "99999", "99999999999999999999"])
def test_a_report_list_filtered_by_an_impossible_year_says_so_and_lists_the_rest(client_for, leader, ward, year):
    report = ReportFactory(ward=ward)
    response = client_for(leader).get(reverse("reports:list"), {"year": year})
    assert response.status_code == 200
    assert response.context["filter"].errors["year"] == [str(FILTER_YEAR_RANGE)]
    assert list(response.context["object_list"]) == [report]


def test_a_search_longer_than_anyone_types_is_refused_by_the_filter(client_for, police, khom):
    PersonFactory(khom=khom)
    response = client_for(police).get(reverse("subjects:list"), {"q": "x" * (FILTER_TEXT_MAX + 1)})
    assert response.status_code == 200
    assert "q" in response.context["filter"].errors


def test_a_huge_number_in_a_number_filter_is_refused(client_for, leader):
    response = client_for(leader).get(reverse("criteria:list"), {"year": "1e309"})
    assert response.status_code == 200
    assert str(FILTER_YEAR_RANGE) in response.context["filter"].errors["year"]


@pytest.mark.parametrize("value", ["²", "9" * 10_000])
def test_digits_that_int_refuses_do_not_break_the_khom_choice_or_the_roadmap(client_for, admin_user, value):
    client = client_for(admin_user)
    assert client.get(reverse("subjects:list"), {"ward": value}).status_code == 200
    assert client.get(reverse("criteria:roadmap"), {"year": value}).status_code == 200


@pytest.mark.parametrize("path", ["/admin/subjects/person/?gender=%00", "/admin/core/auditevent/?q=%00",
                                  "/admin/subjects/drugtest/?result=a%00b"])
def test_an_admin_changelist_with_a_nul_in_a_filter_or_search_gets_the_admins_usual_redirect(client_for, admin_user,
                                                                                           path):
    response = client_for(admin_user).get(path)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.parametrize("value", ["0", "999"])
def test_the_admin_export_with_a_stray_format_goes_back_to_the_list_with_a_message(client_for, admin_user, value):
    response = client_for(admin_user).get(reverse("admin:subjects_person_export"), {"format": value}, follow=True)
    assert response.redirect_chain[-1] == (reverse("admin:subjects_person_changelist"), 302)
    assert str(EXPORT_FILTERS_INVALID) in [str(m) for m in response.context["messages"]]
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("query", [{"started_on__year": "9999"}, {"started_on__year": "99999999999999999999"},
                                   {"started_on__year": "9999", "started_on__month": "12", "started_on__day": "31"}])
def test_an_admin_date_drilldown_beyond_the_calendar_gets_the_admins_usual_redirect(client_for, admin_user, khom,
                                                                                    query):
    EpisodeFactory(person=PersonFactory(khom=khom))
    response = client_for(admin_user).get(reverse("admin:subjects_episode_changelist"), query)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
