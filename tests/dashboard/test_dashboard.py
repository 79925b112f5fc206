"""The dashboard: per-role figures from the registry, server-drawn charts, deadline counts, bounded queries."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.periods import Period
from apps.indicators import registry
from apps.reports.dashboard import dashboard_data, month_periods
from tests.factories.accounts import UserFactory
from tests.factories.cases import CaseFactory
from tests.factories.criteria import RecognitionFactory
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory

NAMES = ["Nguyễn Văn Bí Mật", "Trần Thị Riêng Tư"]


def figure(data, code):
    return next(item["value"] for item in data["key_figures"] if item["code"] == code)


@pytest.fixture
def people(khom, khom2, other_khom):
    today = timezone.localdate()
    a = PersonFactory(full_name=NAMES[0], khom=khom)
    b = PersonFactory(full_name=NAMES[1], khom=khom2)
    c = PersonFactory(khom=other_khom)
    for person in (a, b, c):
        EpisodeFactory(person=person, started_on=today - dt.timedelta(days=40))
    DrugTestFactory(person=a, tested_on=today, result="positive")
    DrugTestFactory(person=b, tested_on=today)
    DrugTestFactory(person=c, tested_on=today)
    return [a, b, c]


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_user_whose_role_grants_nothing_is_refused(client_for, khom):
    # A role nobody granted permissions to (e.g. one retired by an administrator).
    user = UserFactory(username="no_role", role="retired", khoms=[khom])
    assert client_for(user).get(reverse("dashboard")).status_code == 403


def test_ward_staff_see_their_wards_figures_from_the_registry(client_for, police, ward, people):
    response = client_for(police).get(reverse("dashboard"))
    assert response.status_code == 200
    data = response.context["dashboard"]
    today = timezone.localdate()
    expected = registry.evaluate(["persons_managed", "drug_tests", "positive_tests"], [ward],
                                 Period(dt.date(today.year, 1, 1), today))[f"ward:{ward.pk}"]
    assert figure(data, "persons_managed") == expected["persons_managed"] == 2  # not the other ward's person
    assert figure(data, "drug_tests") == expected["drug_tests"] == 2
    assert figure(data, "positive_tests") == 1
    assert data["people_chart"]["series"][0]["values"][-1] == 2
    assert data["tests_chart"]["series"][0]["values"][-1] == 2


def test_a_khom_officer_sees_only_his_khom(client_for, khom_officer, people):
    data = client_for(khom_officer).get(reverse("dashboard")).context["dashboard"]
    assert data["level"] == "khom"
    assert figure(data, "persons_managed") == 1
    assert (data["khoms"]["recognised"], data["khoms"]["total"]) == (0, 1)


def test_the_province_viewer_sees_every_ward_aggregated_and_no_names(client_for, province, ward, other_ward, people):
    response = client_for(province).get(reverse("dashboard"))
    data = response.context["dashboard"]
    assert figure(data, "persons_managed") == 3
    assert {row["name"] for row in data["area_rows"]} == {ward.name, other_ward.name}
    assert data["deadlines"] is None
    body = response.content.decode()
    for person in people:
        assert person.full_name not in body
    assert "/subjects/" not in body


def test_deadline_counts_link_to_the_deadlines_page(client_for, police, khom):
    person = PersonFactory(khom=khom)
    DrugTestFactory(person=person, tested_on=timezone.localdate() - dt.timedelta(days=2), result="positive")
    response = client_for(police).get(reverse("dashboard"))
    deadlines = response.context["dashboard"]["deadlines"]
    assert deadlines["total"] >= 1
    [decision] = [item for item in deadlines["categories"] if "sau khi dương tính" in str(item["label"])]
    assert decision["count"] == 1 and decision["url"] == reverse("subjects:deadlines") + "?category=decision_due"
    assert decision["url"] in response.content.decode()


def test_charts_are_inline_svg_without_script_or_inline_style(client_for, leader, people):
    body = client_for(leader).get(reverse("dashboard")).content.decode()
    assert body.count("<svg viewBox") == 3
    assert "<script>" not in body and not re.search(r"<script(?![^>]*src=)", body)
    assert " style=" not in body  # the CSP allows only stylesheets served by the app
    assert not re.search(r'(src|href)="(https?:)?//', body)  # nothing loaded from another site


def test_the_roadmap_chart_counts_planned_and_recognised_khom(leader, ward, khom, khom2):
    khom.target_year = 2025
    khom.save()
    RecognitionFactory(khom=khom, year=2025, decided_on=dt.date(2026, 1, 20))
    data = dashboard_data(leader, today=dt.date(2026, 3, 1))
    planned, recognised = (s["values"] for s in data["roadmap_chart"]["series"])
    assert planned[:2] == [1, 2]  # khom2 targets 2026 (factory default)
    # Recognised for the year assessed (2025), though decided in 2026; nothing for 2026 yet; 2027 has not started.
    assert recognised[:3] == [1, 0, None]
    assert data["khoms"] == {"recognised": 1, "total": 2, "year": 2025}


def test_the_roadmap_share_of_all_khom_is_rounded_half_up(leader, ward):
    # Shares to one decimal: 1 of 16 khóm = 6.25 % → 6.3 %, as the registry rounds (to even would give 6.2);
    # 3 of 16 = 18.75 % → 18.8 %.
    for year in [2025] + [2026] * 2 + [2027] * 13:
        KhomFactory(ward=ward, target_year=year)
    years = dashboard_data(leader, today=dt.date(2026, 3, 1))["roadmap"]["years"]
    assert [row["cumulative_percent"] for row in years[:3]] == [6.3, 18.8, 100]


@pytest.mark.django_db
def test_month_periods_end_today_and_go_back_a_year():
    # Cut as the drug reports' convention says (15/(m−1)–14/m): on 15/03 the month of April has begun.
    months = month_periods(dt.date(2026, 3, 15))
    assert len(months) == 12
    assert months[0].start == dt.date(2025, 4, 15) and months[-1].start == dt.date(2026, 3, 15)
    assert months[-1].end == dt.date(2026, 3, 15) and months[-2].end == dt.date(2026, 3, 14)
    assert [f"{p.first_month:%m/%y}" for p in months][-2:] == ["03/26", "04/26"]


def _grow(ward, count):
    for _ in range(count):
        khom = KhomFactory(ward=ward)
        person = PersonFactory(khom=khom)
        EpisodeFactory(person=person, started_on=timezone.localdate() - dt.timedelta(days=10))
        DrugTestFactory(person=person, tested_on=timezone.localdate())
        CaseFactory(khom=khom, detected_on=timezone.localdate())


@pytest.mark.parametrize("who", ["police", "province", "khom_officer"])
def test_the_dashboard_issues_the_same_number_of_queries_at_two_sizes(request, client_for, who, ward, khom,
                                                                      count_queries):
    user = request.getfixturevalue(who)
    client = client_for(user)
    _grow(ward, 1)
    PersonFactory(khom=khom)
    _tell(user, 1)
    small = count_queries(lambda: client.get(reverse("dashboard")))
    _grow(ward, 5)
    _grow(WardFactory(), 3)
    for _ in range(3):
        EpisodeFactory(person=PersonFactory(khom=khom), started_on=timezone.localdate())
    _tell(user, 30)  # the navigation's unread count is one COUNT whatever the number
    large = count_queries(lambda: client.get(reverse("dashboard")))
    assert small == large


def _tell(user, count):
    from apps.notifications.choices import NotificationKind
    from apps.notifications.services import notify

    for _ in range(count):
        notify(kind=NotificationKind.REPORT_REOPENED, url="/reports/", text="Phường A", audience=[user], actor=None)
