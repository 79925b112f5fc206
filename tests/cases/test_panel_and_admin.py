"""The cases panel on a person's page, and the scoped admin."""
import datetime as dt
import sys

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.urls import reverse

from apps.cases.models import Case
from apps.cases.panels import person_cases_panel
from apps.core.models import AuditEvent
from apps.subjects.panels import _PANELS
from tests.factories.cases import CaseFactory, ParticipantFactory
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db


def panel_for(user, person):
    request = RequestFactory().get("/")
    request.user = user
    return person_cases_panel(request, person)


@pytest.fixture
def person_in_a_case(khom):
    person = PersonFactory(khom=khom)
    case = CaseFactory(khom=khom, place="Vụ của người này")
    ParticipantFactory(case=case, person=person, outsider_name="", outsider_birth_year=None, outsider_residence="")
    return person, case


def test_the_cases_app_registers_its_panel_on_the_persons_page():
    assert person_cases_panel in _PANELS


@pytest.mark.django_db(databases=[])
def test_a_broken_panel_hook_stops_start_up_instead_of_dropping_the_panel(monkeypatch):
    monkeypatch.setitem(sys.modules, "apps.subjects.panels", None)  # as if the hook were renamed or broken
    with pytest.raises(ImportError):
        apps.get_app_config("cases").ready()


def test_police_and_leadership_get_the_persons_cases(police, leader, person_in_a_case):
    person, case = person_in_a_case
    for user in (police, leader):
        panel = panel_for(user, person)
        assert [p.case for p in panel["context"]["participations"]] == [case]


def test_khom_officers_and_province_get_no_panel(khom_officer, province, person_in_a_case):
    person, _case = person_in_a_case
    assert panel_for(khom_officer, person) is None
    assert panel_for(province, person) is None


def test_the_person_page_shows_the_panel_to_police_but_not_to_khom_officers(client_for, police, khom_officer,
                                                                            person_in_a_case):
    person, case = person_in_a_case
    url = reverse("subjects:detail", args=[person.pk])
    assert case.code in client_for(police).get(url).content.decode()
    assert case.code not in client_for(khom_officer).get(url).content.decode()


def test_admin_lists_only_cases_in_scope_for_staff_of_a_ward(client_for, police, khom, other_khom):
    police.is_staff = True
    police.save()
    inside = CaseFactory(khom=khom, place="Trong phường")
    outside = CaseFactory(khom=other_khom, place="Ngoài phường")
    client = client_for(police)
    content = client.get(reverse("admin:cases_case_changelist")).content.decode()
    assert reverse("admin:cases_case_change", args=[inside.pk]) in content
    assert reverse("admin:cases_case_change", args=[outside.pk]) not in content
    assert client.get(reverse("admin:cases_case_change", args=[outside.pk])).status_code == 404


def test_admin_adds_a_case_with_a_number_from_the_counter_and_audits_it(client_for, admin_user, khom):
    CaseFactory(khom=khom, number=3)
    response = client_for(admin_user).post(reverse("admin:cases_case_add"), {
        "khom": khom.pk, "detected_on": "01/07/2025", "place": "Qua admin", "kind": "possession",
        "handling": "verifying", "summary": "", "officer": "", "plants_destroyed": "", "area_destroyed_m2": "",
        "seized_items-TOTAL_FORMS": "0", "seized_items-INITIAL_FORMS": "0",
        "participants-TOTAL_FORMS": "0", "participants-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(place="Qua admin")
    assert case.number == 4 and case.ward_id == khom.ward_id
    assert AuditEvent.objects.filter(action="create", object_type="cases.case", object_id=str(case.pk)).exists()


def test_admin_changes_to_participants_refresh_search_and_are_logged(client_for, admin_user, khom):
    case = CaseFactory(khom=khom, number=9, detected_on=dt.date(2025, 7, 1))
    response = client_for(admin_user).post(reverse("admin:cases_case_change", args=[case.pk]), {
        "khom": khom.pk, "detected_on": "01/07/2025", "place": case.place, "kind": case.kind,
        "handling": case.handling, "summary": "", "officer": "", "plants_destroyed": "", "area_destroyed_m2": "",
        "lock_version": "1", "seized_items-TOTAL_FORMS": "0", "seized_items-INITIAL_FORMS": "0",
        "participants-TOTAL_FORMS": "1", "participants-INITIAL_FORMS": "0",
        "participants-0-person": "", "participants-0-outsider_name": "Tạ Văn Mới",
        "participants-0-outsider_birth_year": "", "participants-0-outsider_residence": "",
        "participants-0-role": "suspect", "participants-0-outcome": "pending",
    })
    assert response.status_code == 302, response.context["errors"]
    case.refresh_from_db()
    assert case.number == 9 and case.version == 2 and "ta van moi" in case.search_text
    event = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), changes__has_key="participants")
    assert event.get().changes["participants"] == [[], ["Tạ Văn Mới (Đối tượng vi phạm, Đang xác minh)"]]
