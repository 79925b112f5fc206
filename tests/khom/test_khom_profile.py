"""A khóm's page: its figures from the registry, statuses, criteria, recognitions, head, police and its lists."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.khom.selectors import year_to_date
from tests.factories.activities import ActivityFactory
from tests.factories.cases import CaseFactory
from tests.factories.criteria import AssessmentFactory, RecognitionFactory
from tests.factories.subjects import EpisodeFactory, PersonFactory, seeded_kind

pytestmark = pytest.mark.django_db


def _recent():
    """A day inside the page's period (the drug reports' year to date) and not after today."""
    return max(year_to_date().start, timezone.localdate() - dt.timedelta(days=3))


def _page(client, khom):
    response = client.get(reverse("khom:detail", args=[khom.pk]))
    assert response.status_code == 200
    return response


def _figure(response, code):
    return next(item for item in response.context["profile"]["figures"] if item["code"] == code)


def _people(n, khom, kind="illegal_user"):
    for _index in range(n):
        EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind(kind), started_on=_recent(),
                       decision_date=_recent())


def test_anonymous_users_are_sent_to_the_login_page(client, khom):
    response = client.get(reverse("khom:detail", args=[khom.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_khom_officer_gets_404_for_another_khom(client_for, khom_officer, khom2):
    assert client_for(khom_officer).get(reverse("khom:detail", args=[khom2.pk])).status_code == 404


def test_ward_staff_get_404_for_a_khom_of_another_ward(client_for, police, other_khom):
    assert client_for(police).get(reverse("khom:detail", args=[other_khom.pk])).status_code == 404


def test_the_page_shows_the_khoms_figures_from_the_registry(client_for, leader, khom, khom2):
    _people(2, khom)
    _people(1, khom, "addict")
    _people(4, khom2)  # another khóm: not counted here
    CaseFactory(khom=khom, detected_on=_recent())
    CaseFactory(khom=khom, detected_on=year_to_date().start - dt.timedelta(days=1))  # before the period
    ActivityFactory(khom=khom, held_on=_recent())
    response = _page(client_for(leader), khom)
    assert _figure(response, "persons_managed")["value"] == 3
    assert _figure(response, "cases_detected")["value"] == 1
    assert _figure(response, "propaganda_sessions")["value"] == 1
    statuses = {row["code"]: row["count"] for row in response.context["profile"]["statuses"]}
    assert statuses == {"illegal_user": 2, "addict": 1}


def test_every_linked_figure_opens_a_list_with_as_many_rows(client_for, leader, khom, khom2):
    _people(2, khom)
    _people(3, khom2)
    CaseFactory(khom=khom, detected_on=_recent())
    CaseFactory(khom=khom2, detected_on=_recent())
    ActivityFactory(khom=khom, held_on=_recent())
    client = client_for(leader)
    response = _page(client, khom)
    checked = 0
    for item in response.context["profile"]["figures"]:
        if item["url"] is None or item["code"] in ("propaganda_attendance", "commitment_percent"):
            continue
        listed = client.get(item["url"])
        assert listed.status_code == 200, item["url"]
        assert listed.context["paginator"].count == (item["value"] or 0), item["code"]
        checked += 1
    assert checked >= 5


def test_the_page_names_the_head_the_police_officer_and_links_the_khoms_lists(client_for, leader, police, khom):
    khom.head_name, khom.police_officer = "Trần Văn Trưởng", police
    khom.save()
    html = _page(client_for(leader), khom).content.decode()
    assert "Trần Văn Trưởng" in html and police.get_full_name() in html
    for name in ("subjects:list", "cases:list", "activities:list"):
        assert f'{reverse(name)}?khom={khom.pk}"' in html
    assert reverse("subjects:deadlines") in html


def test_the_page_shows_the_criteria_and_the_recognition_history(client_for, leader, khom):
    assessment = AssessmentFactory(khom=khom, year=2025)
    RecognitionFactory(khom=khom, assessment=assessment, decision_number="77/QĐ-UBND")
    response = _page(client_for(leader), khom)
    html = response.content.decode()
    assert "77/QĐ-UBND" in html and "15/01/2026" in html
    assert response.context["profile"]["criteria"]["rows"], "the seeded khóm criteria are listed"
    assert assessment.get_absolute_url() in html


def test_a_province_viewer_sees_the_figures_but_no_link_to_personal_lists(client_for, province, khom):
    _people(1, khom)
    response = _page(client_for(province), khom)
    assert _figure(response, "persons_managed")["value"] == 1
    html = response.content.decode()
    assert reverse("subjects:list") not in html.split('id="main"', 1)[1]
    assert response.context["profile"]["criteria"]["assessments"] == []


def test_a_khom_officer_sees_the_page_of_his_khom(client_for, khom_officer, khom):
    _people(1, khom)
    response = _page(client_for(khom_officer), khom)
    assert _figure(response, "persons_managed")["value"] == 1


def test_the_page_costs_the_same_queries_for_a_small_and_a_large_khom(client_for, leader, khom, count_queries):
    client = client_for(leader)
    _people(1, khom)
    CaseFactory(khom=khom, detected_on=_recent())
    few = count_queries(lambda: _page(client, khom))
    _people(15, khom)
    _people(5, khom, "addict")
    for _index in range(5):
        CaseFactory(khom=khom, detected_on=_recent())
        ActivityFactory(khom=khom, held_on=_recent())
    AssessmentFactory(khom=khom, year=2025)
    many = count_queries(lambda: _page(client, khom))
    assert few == many
