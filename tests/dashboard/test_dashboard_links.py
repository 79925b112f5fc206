"""The dashboard you can click: cards open the list they count, a period and a khóm selector, a sortable table."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.reports.dashboard import offered_periods
from tests.factories.activities import ActivityFactory
from tests.factories.cases import CaseFactory, HotspotFactory
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, seeded_kind

pytestmark = pytest.mark.django_db
# Figures whose list is a rate's or a sum's rows, not as many rows as the figure says.
NOT_A_ROW_COUNT = {"commitment_percent", "propaganda_attendance"}


def _period():
    return offered_periods(timezone.localdate())[0]


def _recent(days=3):
    return max(_period().start, timezone.localdate() - dt.timedelta(days=days))


@pytest.fixture
def records(khom, khom2, other_khom):
    """A bit of everything the cards count, in two khóm of ward A and in ward B."""
    today = timezone.localdate()
    for where, n in ((khom, 3), (khom2, 2), (other_khom, 4)):
        for index in range(n):
            person = PersonFactory(khom=where)
            kind = "addict" if index == 0 else "illegal_user"
            EpisodeFactory(person=person, kind=seeded_kind(kind), started_on=_recent(20), decision_date=_recent(20))
            DrugTestFactory(person=person, tested_on=_recent(1))
        CaseFactory(khom=where, detected_on=_recent())
        ActivityFactory(khom=where, held_on=_recent())
        HotspotFactory(khom=where, found_on=_recent(30))
    # Cleared during the period: active in it (counted), not active today.
    HotspotFactory(khom=khom, found_on=_recent(30), cleared_on=today)
    # Older than the period: counted by no card of the period.
    CaseFactory(khom=khom, detected_on=_period().start - dt.timedelta(days=1))


def _cards(response):
    return {item["code"]: item for item in response.context["dashboard"]["key_figures"]}


def _assert_each_card_opens_as_many_rows(client, response):
    checked = []
    for code, item in _cards(response).items():
        if item["url"] is None or code in NOT_A_ROW_COUNT:
            continue
        listed = client.get(item["url"])
        assert listed.status_code == 200, item["url"]
        assert listed.context["paginator"].count == (item["value"] or 0), (code, item["url"])
        checked.append(code)
    return checked


@pytest.mark.parametrize("role", ["police", "leader", "khom_officer"])
def test_every_card_opens_the_list_it_counts_with_as_many_rows(client_for, request, role, records):
    client = client_for(request.getfixturevalue(role))
    response = client.get(reverse("dashboard"))
    checked = _assert_each_card_opens_as_many_rows(client, response)
    assert {"persons_managed", "users_addicts", "overdue_tests"} <= set(checked) or role == "khom_officer"
    assert {"persons_managed", "users_addicts", "in_treatment", "overdue_tests"} <= set(checked) | {"in_treatment"}
    if role != "khom_officer":
        assert {"cases_detected", "active_hotspots", "propaganda_sessions"} <= set(checked)
    html = response.content.decode()
    for code in checked:
        assert _cards(response)[code]["url"].replace("&", "&amp;") in html


def test_a_chosen_khom_narrows_the_cards_and_their_lists(client_for, leader, khom, records):
    client = client_for(leader)
    response = client.get(reverse("dashboard"), {"khom": khom.pk})
    cards = _cards(response)
    assert cards["persons_managed"]["value"] == 3 and cards["cases_detected"]["value"] == 1
    assert f"khom={khom.pk}" in cards["cases_detected"]["url"]
    _assert_each_card_opens_as_many_rows(client, response)


def test_a_khom_out_of_scope_or_a_hostile_one_is_ignored(client_for, leader, other_khom, records):
    client = client_for(leader)
    whole_ward = _cards(client.get(reverse("dashboard")))["persons_managed"]["value"]
    for value in (other_khom.pk, "abc", "1 OR 1=1", "9" * 30):
        response = client.get(reverse("dashboard"), {"khom": value})
        assert response.status_code == 200
        assert _cards(response)["persons_managed"]["value"] == whole_ward == 5
        assert response.context["dashboard"]["selection"].ignored


def test_only_leadership_gets_the_khom_selector(client_for, police, leader, khom, records):
    assert 'id="dashboard-khom"' in client_for(leader).get(reverse("dashboard")).content.decode()
    response = client_for(police).get(reverse("dashboard"), {"khom": khom.pk})
    assert 'id="dashboard-khom"' not in response.content.decode()
    assert _cards(response)["persons_managed"]["value"] == 5


def test_the_period_selector_offers_the_drug_report_periods_and_counts_the_chosen_one(client_for, police, khom):
    client = client_for(police)
    response = client.get(reverse("dashboard"))
    periods = response.context["dashboard"]["selection"].periods
    kinds = {key.split(":")[0] for key, _label in periods}
    assert {"year", "quarter", "month"} <= kinds
    # Cut on the 15th (the drug reports' convention): a quarter starts on the 15th of a month.
    quarter_key = next(key for key, _label in periods if key.startswith("quarter:"))
    assert quarter_key.endswith("-15")
    earlier = [key for key, _label in periods if key.startswith("quarter:")][1]
    start = dt.date.fromisoformat(earlier.split(":")[1])
    CaseFactory(khom=khom, detected_on=start + dt.timedelta(days=5))
    chosen = client.get(reverse("dashboard"), {"period": earlier})
    assert chosen.context["dashboard"]["period"].start == start
    assert _cards(chosen)["cases_detected"]["value"] == 1
    assert _assert_each_card_opens_as_many_rows(client, chosen)


@pytest.mark.parametrize("value", ["year:1900-01-01", "month:2026-13-01", "<script>", "year:" + "9" * 50, "quarter:"])
def test_a_period_not_offered_is_ignored(client_for, police, value):
    response = client_for(police).get(reverse("dashboard"), {"period": value})
    assert response.status_code == 200
    data = response.context["dashboard"]
    assert data["selection"].ignored and data["period"] == _period()


def _ward_names(response):
    return [row["name"] for row in response.context["dashboard"]["area_rows"]]


def test_the_province_table_of_wards_sorts_by_a_column_on_the_server(client_for, province, ward, other_ward, records):
    third = WardFactory(name="Phường Zê")
    client = client_for(province)
    assert _ward_names(client.get(reverse("dashboard"))) == sorted([ward.name, other_ward.name, third.name])
    by_people = client.get(reverse("dashboard"), {"sort": "-persons_managed"})
    values = [row["values"][0] for row in by_people.context["dashboard"]["area_rows"]]
    assert values == sorted(values, reverse=True) and values[0] == 5
    ascending = client.get(reverse("dashboard"), {"sort": "persons_managed"})
    assert [row["values"][0] for row in ascending.context["dashboard"]["area_rows"]] == sorted(values)
    html = by_people.content.decode()
    assert 'aria-sort="descending"' in html and "sort=persons_managed" in html
    assert _ward_names(client.get(reverse("dashboard"), {"sort": "-name"}))[0] == "Phường Zê"


@pytest.mark.parametrize("value", ["password", "-__class__", "persons_managed;drop", "--name", "<b>"])
def test_a_sort_key_not_whitelisted_is_ignored(client_for, province, ward, other_ward, value):
    response = client_for(province).get(reverse("dashboard"), {"sort": value})
    assert response.status_code == 200
    assert response.context["dashboard"]["selection"].sort == "name"
    assert _ward_names(response) == sorted(_ward_names(response))


def test_province_cards_link_to_no_personal_list(client_for, province, records):
    response = client_for(province).get(reverse("dashboard"))
    assert all(item["url"] is None for item in _cards(response).values())


def test_sorting_and_choosing_cost_no_extra_query_per_ward(client_for, province, count_queries, records):
    client = client_for(province)
    small = count_queries(lambda: client.get(reverse("dashboard"), {"sort": "-cases_detected"}))
    for _index in range(4):
        KhomFactory(ward=WardFactory())
    large = count_queries(lambda: client.get(reverse("dashboard"), {"sort": "-cases_detected"}))
    assert small == large
