"""Four-eyes on khóm assessments (issue 17 §5): the khóm officer opens and submits his khóm's assessment for the
current period, leadership approves or returns it, the submitter never approves it, and leadership sees what waits."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts.choices import Role
from apps.criteria import services
from apps.criteria.choices import AssessmentStatus
from apps.criteria.models import Assessment
from apps.criteria.selectors import current_assessment_year
from apps.criteria.services import FOUR_EYES, KHOM_OFFICER_CURRENT_YEAR, KHOM_OFFICER_OWN_KHOM
from tests.criteria.conftest import judge_manual, make_passing
from tests.factories.accounts import UserFactory
from tests.factories.criteria import seeded_set


@pytest.fixture
def this_year():
    return current_assessment_year()


@pytest.fixture
def second_leader(ward):
    return UserFactory(username="t_leader2", role=Role.LEADERSHIP, wards=[ward])


def _open(client, khom_set, khom, year):
    return client.post(reverse("criteria:create"), {"criteria_set": khom_set.pk, "year": year, "khom": khom.pk})


def _officer_submits(client_for, khom_officer, khom, khom_set, year):
    """Through the pages: open, judge the manual item, submit; the assessment."""
    client = client_for(khom_officer)
    make_passing(khom, year)
    response = _open(client, khom_set, khom, year)
    assessment = Assessment.objects.get(khom=khom, year=year)
    assert response.status_code == 302 and response["Location"] == assessment.get_absolute_url()
    item = assessment.items.get(criterion__kind="manual")
    response = client.post(reverse("criteria:item", args=[assessment.pk, item.pk]),
                           {f"item{item.pk}-passed": "yes", f"item{item.pk}-note": "Tổ tự quản họp hằng tháng"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    response = client.post(reverse("criteria:submit", args=[assessment.pk]), {"version": assessment.version})
    assert response.status_code == 302
    assessment.refresh_from_db()
    return assessment


# ---------------------------------------------------------------- the period
def test_the_current_period_is_cut_on_the_15th_of_december(db):
    assert current_assessment_year(dt.date(2025, 12, 14)) == 2025
    assert current_assessment_year(dt.date(2025, 12, 15)) == 2026


# ---------------------------------------------------------------- the khóm officer opens and submits
def test_the_khom_officer_gets_the_creation_form_with_the_current_period(client_for, khom_officer, this_year):
    response = client_for(khom_officer).get(reverse("criteria:create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["year"].initial == this_year and "ward" not in form.fields
    assert {s.scope for s in form.fields["criteria_set"].queryset} == {"khom"}
    assert list(form.fields["khom"].queryset) == list(khom_officer.khoms.all())


def test_the_khom_officer_opens_fills_and_submits_his_khoms_assessment(client_for, khom_officer, khom, khom_set,
                                                                       this_year):
    assessment = _officer_submits(client_for, khom_officer, khom, khom_set, this_year)
    assert assessment.status == AssessmentStatus.SUBMITTED and assessment.submitted_by == khom_officer
    assert assessment.created_by == khom_officer and assessment.snapshot["items"]


def test_the_khom_officer_cannot_open_another_khoms_assessment(client_for, khom_officer, khom2, khom_set, this_year):
    response = _open(client_for(khom_officer), khom_set, khom2, this_year)
    assert response.status_code == 200 and not Assessment.objects.exists()
    # khom2 is not even offered: the scoped choice refuses it
    assert response.context["form"].errors["khom"]


def test_the_service_refuses_a_khom_officer_another_khom_or_another_period(khom_officer, khom, khom2, khom_set,
                                                                          this_year):
    with pytest.raises(ValidationError) as error:
        services.assessment_create(user=khom_officer, data={"criteria_set": khom_set, "khom": khom2, "year": this_year})
    assert error.value.message_dict["khom"] == [str(KHOM_OFFICER_OWN_KHOM)]
    with pytest.raises(ValidationError) as error:
        services.assessment_create(user=khom_officer, data={"criteria_set": khom_set, "khom": khom,
                                                            "year": this_year - 1})
    assert error.value.message_dict["year"] == [str(KHOM_OFFICER_CURRENT_YEAR % {"year": this_year})]
    ward_set = seeded_set("ward")
    with pytest.raises(ValidationError):
        services.assessment_create(user=khom_officer, data={"criteria_set": ward_set, "ward": khom.ward,
                                                            "year": this_year})
    assert not Assessment.objects.exists()


def test_a_past_period_typed_in_the_form_is_refused_with_its_message(client_for, khom_officer, khom, khom_set,
                                                                     this_year):
    response = _open(client_for(khom_officer), khom_set, khom, this_year - 1)
    assert response.status_code == 200 and not Assessment.objects.exists()
    assert str(KHOM_OFFICER_CURRENT_YEAR % {"year": this_year}) in response.context["form"].errors["year"]


def test_the_creation_form_needs_a_login(client, db):
    response = client.get(reverse("criteria:create"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# ---------------------------------------------------------------- four-eyes
def test_a_khom_officer_submits_the_same_user_cannot_approve_leadership_can(khom_officer, leader, khom, khom_set,
                                                                            this_year):
    make_passing(khom, this_year)
    assessment = services.assessment_create(user=khom_officer,
                                            data={"criteria_set": khom_set, "khom": khom, "year": this_year})
    judge_manual(assessment, khom_officer)
    assessment.refresh_from_db()
    services.assessment_submit(user=khom_officer, assessment=assessment, expected_version=assessment.version)
    # The khóm officer may not approve at all (not leadership), let alone his own submission.
    with pytest.raises(PermissionDenied):
        services.assessment_approve(user=khom_officer, assessment=assessment, expected_version=assessment.version,
                                    data={})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    services.assessment_approve(user=leader, assessment=assessment, expected_version=assessment.version, data={})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED and assessment.decided_by == leader


def test_a_leader_who_submitted_cannot_approve_his_own_submission_another_leader_can(
        client_for, leader, second_leader, khom, khom_set):
    make_passing(khom)
    assessment = services.assessment_create(user=leader, data={"criteria_set": khom_set, "khom": khom, "year": 2025})
    judge_manual(assessment, leader)
    assessment.refresh_from_db()
    services.assessment_submit(user=leader, assessment=assessment, expected_version=assessment.version)
    assessment.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.assessment_approve(user=leader, assessment=assessment, expected_version=assessment.version, data={})
    assert error.value.messages == [str(FOUR_EYES)]

    response = client_for(leader).post(reverse("criteria:decide", args=[assessment.pk]),
                                       {"version": assessment.version, "decision": "approve"})
    assert response.status_code == 400 and str(FOUR_EYES) in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    response = client_for(second_leader).post(reverse("criteria:decide", args=[assessment.pk]),
                                              {"version": assessment.version, "decision": "approve"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED and assessment.decided_by == second_leader


def test_the_submitter_may_still_return_his_own_submission(leader, khom, khom_set):
    make_passing(khom)
    assessment = services.assessment_create(user=leader, data={"criteria_set": khom_set, "khom": khom, "year": 2025})
    judge_manual(assessment, leader)
    assessment.refresh_from_db()
    services.assessment_submit(user=leader, assessment=assessment, expected_version=assessment.version)
    assessment.refresh_from_db()
    services.assessment_return(user=leader, assessment=assessment, expected_version=assessment.version,
                               data={"comments": "Thiếu biên bản họp tổ tự quản"})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED


def test_leadership_returns_the_khom_officers_submission_and_he_resubmits(client_for, khom_officer, leader, khom,
                                                                          khom_set, this_year):
    assessment = _officer_submits(client_for, khom_officer, khom, khom_set, this_year)
    response = client_for(leader).post(reverse("criteria:decide", args=[assessment.pk]),
                                       {"version": assessment.version, "decision": "return",
                                        "comments": "Bổ sung biên bản"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    response = client_for(khom_officer).post(reverse("criteria:submit", args=[assessment.pk]),
                                             {"version": assessment.version})
    assessment.refresh_from_db()
    assert response.status_code == 302 and assessment.status == AssessmentStatus.SUBMITTED


def test_a_khom_officer_cannot_submit_another_khoms_assessment(client_for, khom_officer, khom2_assessment):
    response = client_for(khom_officer).post(reverse("criteria:submit", args=[khom2_assessment.pk]),
                                             {"version": khom2_assessment.version})
    assert response.status_code == 404


def test_the_decision_is_forbidden_to_the_khom_officer(client_for, khom_officer, assessment):
    response = client_for(khom_officer).post(reverse("criteria:decide", args=[assessment.pk]),
                                             {"version": assessment.version, "decision": "approve"})
    assert response.status_code == 403


# ---------------------------------------------------------------- what waits for leadership
def test_the_list_filter_shows_what_waits_for_the_leader(client_for, khom_officer, leader, police, khom, khom2,
                                                         khom_set, this_year):
    waiting = _officer_submits(client_for, khom_officer, khom, khom_set, this_year)
    own = services.assessment_create(user=leader, data={"criteria_set": khom_set, "khom": khom2, "year": this_year})
    judge_manual(own, leader)
    own.refresh_from_db()
    services.assessment_submit(user=leader, assessment=own, expected_version=own.version)
    client = client_for(leader)
    response = client.get(reverse("criteria:list"), {"waiting": "on"})
    assert list(response.context["object_list"]) == [waiting]
    assert len(client.get(reverse("criteria:list")).context["object_list"]) == 2
    # For a role that approves nothing the filter finds nothing.
    assert list(client_for(police).get(reverse("criteria:list"), {"waiting": "on"}).context["object_list"]) == []


def test_the_navigation_counts_what_waits_for_the_leader(client_for, khom_officer, leader, khom, khom_set,
                                                         this_year):
    client = client_for(leader)
    assert "nav-waiting" not in client.get(reverse("criteria:list")).content.decode()
    _officer_submits(client_for, khom_officer, khom, khom_set, this_year)
    body = client_for(leader).get(reverse("dashboard")).content.decode()
    assert 'class="badge text-bg-warning nav-waiting">1<' in body
    # The submitter's own view of the navigation has no count: nothing waits for him.
    assert "nav-waiting" not in client_for(khom_officer).get(reverse("criteria:list")).content.decode()
