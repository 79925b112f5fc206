"""The workflow events on main notify exactly the users whose role and scope they concern."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.accounts.choices import Role
from apps.criteria import services as criteria_services
from apps.criteria.choices import CriteriaScope
from apps.notifications.choices import NotificationKind
from apps.notifications.models import Notification
from apps.reports import services as report_services
from tests.criteria.conftest import judge_manual, make_passing, submitted
from tests.factories.accounts import UserFactory
from tests.factories.criteria import seeded_set
from tests.factories.reports import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(ward, other_ward, khom, khom2, other_khom, leader, police, khom_officer, province, province_officer,
          province_leadership):
    """Every role of ward A (two khóm), of ward B, and of the province."""
    return {
        "leader": leader, "police": police, "khom_officer": khom_officer,
        "second_police": UserFactory(username="t_police2", role=Role.POLICE, wards=[ward]),
        "khom2_officer": UserFactory(username="t_khom2", role=Role.KHOM_OFFICER, khoms=[khom2]),
        "other_leader": UserFactory(username="t_leader_b", role=Role.LEADERSHIP, wards=[other_ward]),
        "other_police": UserFactory(username="t_police_b", role=Role.POLICE, wards=[other_ward]),
        "other_khom_officer": UserFactory(username="t_khom_b", role=Role.KHOM_OFFICER, khoms=[other_khom]),
        "province": province, "province_officer": province_officer, "province_leadership": province_leadership,
    }


def told(crowd, kind):
    by_pk = {user.pk: name for name, user in crowd.items()}
    return {by_pk[pk] for pk in Notification.objects.filter(kind=kind).values_list("recipient", flat=True)}


@pytest.fixture
def assessment(khom, police):
    make_passing(khom)
    return criteria_services.assessment_create(user=police, data={"criteria_set": seeded_set(CriteriaScope.KHOM), "khom": khom, "year": 2025})


def test_a_submitted_khom_assessment_is_told_to_its_wards_leadership_only(crowd, assessment, police):
    submitted(assessment, police)
    assert told(crowd, NotificationKind.ASSESSMENT_SUBMITTED) == {"leader"}
    notice = Notification.objects.get()
    assert notice.text == f"Khóm A01 · 2025 · {assessment.criteria_set.name}"
    assert notice.url == f"/criteria/{assessment.pk}/"


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_a_decided_khom_assessment_is_told_to_the_wards_police_and_that_khoms_officers(crowd, assessment, police,
                                                                                        leader, decision):
    submitted(assessment, police)
    assessment.refresh_from_db()
    if decision == "approve":
        criteria_services.assessment_approve(user=leader, assessment=assessment, expected_version=assessment.version, data={})
        kind = NotificationKind.ASSESSMENT_APPROVED
    else:
        criteria_services.assessment_return(user=leader, assessment=assessment, expected_version=assessment.version,
                                            data={"comments": "Bổ sung biên bản"})
        kind = NotificationKind.ASSESSMENT_RETURNED
    assert told(crowd, kind) == {"police", "second_police", "khom_officer"}


def test_a_ward_assessment_reaches_no_khom_officer(crowd, ward, police, leader):
    assessment = criteria_services.assessment_create(user=police, data={"criteria_set": seeded_set(CriteriaScope.WARD), "ward": ward, "year": 2025})
    judge_manual(assessment, police)
    assessment.refresh_from_db()
    criteria_services.assessment_submit(user=police, assessment=assessment, expected_version=assessment.version)
    assessment.refresh_from_db()
    criteria_services.assessment_return(user=leader, assessment=assessment, expected_version=assessment.version,
                                            data={"comments": "Xem lại số liệu"})
    assert told(crowd, NotificationKind.ASSESSMENT_SUBMITTED) == {"leader"}
    assert told(crowd, NotificationKind.ASSESSMENT_RETURNED) == {"police", "second_police"}


def test_a_refused_transition_tells_no_one(crowd, assessment, police):
    with pytest.raises(ValidationError):  # manual items not judged yet
        criteria_services.assessment_submit(user=police, assessment=assessment, expected_version=assessment.version)
    assert not Notification.objects.exists()


def test_a_submitted_report_is_told_to_the_province_officers_and_a_reopened_one_to_the_ward(crowd, ward, leader):
    report = ReportFactory(ward=ward, editable_until=timezone.localdate() + dt.timedelta(days=10))
    report_services.report_submit(user=leader, report=report)
    assert told(crowd, NotificationKind.REPORT_SUBMITTED) == {"province_officer"}
    report_services.report_reopen(user=leader, report=report)
    assert told(crowd, NotificationKind.REPORT_REOPENED) == {"police", "second_police"}
    assert set(Notification.objects.values_list("text", flat=True)) == {"Phường A · Quý I/2026"}


def test_the_text_is_stored_in_the_installations_language_whatever_the_actors(crowd, ward, leader):
    from django.utils import translation

    with translation.override("en"):
        report_services.report_submit(user=leader, report=ReportFactory(ward=ward))
    assert Notification.objects.get().text == "Phường A · Quý I/2026"


def test_every_recipient_can_open_what_they_are_told_about(crowd, assessment, police, leader, ward, client):
    submitted(assessment, police)
    assessment.refresh_from_db()
    criteria_services.assessment_approve(user=leader, assessment=assessment, expected_version=assessment.version, data={})
    report_services.report_submit(user=leader, report=ReportFactory(ward=ward))
    assert Notification.objects.count() == 5
    for notice in Notification.objects.select_related("recipient"):
        client.force_login(notice.recipient)
        response = client.get(notice.get_absolute_url(), follow=True)
        assert response.status_code == 200, (notice.recipient.username, notice.kind)
        assert response.redirect_chain[-1][0] == notice.url
