"""recipients(): the users whose role and scope an event concerns, and nobody of another ward."""
import re

import pytest

from apps.accounts.choices import Role
from apps.notifications import selectors
from apps.notifications.selectors import recipients
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(ward, other_ward, khom, khom2, other_khom, leader, police, khom_officer, province, province_officer,
           province_leadership, admin_user):
    """Every role in ward A, the same in ward B, and the province."""
    return {
        "leader": leader, "police": police, "khom_officer": khom_officer,
        "khom2_officer": UserFactory(username="t_khom2", role=Role.KHOM_OFFICER, khoms=[khom2]),
        "other_leader": UserFactory(username="t_leader_b", role=Role.LEADERSHIP, wards=[other_ward]),
        "other_police": UserFactory(username="t_police_b", role=Role.POLICE, wards=[other_ward]),
        "other_khom_officer": UserFactory(username="t_khom_b", role=Role.KHOM_OFFICER, khoms=[other_khom]),
        "province": province, "province_officer": province_officer, "province_leadership": province_leadership,
        "admin": admin_user,
    }


def names(queryset, people):
    by_pk = {user.pk: name for name, user in people.items()}
    return {by_pk[user.pk] for user in queryset}


def test_a_ward_event_reaches_that_wards_leadership_and_no_other_wards(people, ward):
    assert names(recipients(roles=[Role.LEADERSHIP], ward=ward), people) == {"leader"}


def test_a_ward_given_by_its_id_is_the_same_ward(people, ward):
    assert names(recipients(roles=[Role.LEADERSHIP, Role.POLICE], ward=ward.pk), people) == {"leader", "police"}


def test_a_khom_event_reaches_that_khoms_officers_and_not_another_khoms(people, khom):
    assert names(recipients(roles=[Role.KHOM_OFFICER, Role.POLICE], khom=khom), people) == {"khom_officer", "police"}


def test_a_khom_given_by_its_id_finds_its_ward(people, khom):
    assert names(recipients(roles=[Role.POLICE, Role.KHOM_OFFICER], khom=khom.pk), people) == {"khom_officer", "police"}


def test_a_ward_level_event_reaches_no_khom_officer(people, ward):
    assert names(recipients(roles=[Role.KHOM_OFFICER, Role.LEADERSHIP], ward=ward), people) == {"leader"}


def test_leadership_attached_through_a_khom_of_the_ward_is_in_the_wards_scope(people, ward, khom2):
    people["deputy"] = UserFactory(username="t_deputy", role=Role.LEADERSHIP, khoms=[khom2])
    assert names(recipients(roles=[Role.LEADERSHIP], ward=ward), people) == {"leader", "deputy"}


def test_province_events_reach_the_province_roles_asked_for_and_no_ward_user(people):
    assert names(recipients(roles=[Role.PROVINCE_OFFICER], province=True), people) == {"province_officer"}
    every = recipients(roles=[Role.PROVINCE, Role.PROVINCE_OFFICER, Role.PROVINCE_LEADERSHIP], province=True)
    assert names(every, people) == {"province", "province_officer", "province_leadership"}


def test_a_ward_event_reaches_no_province_role(people, ward):
    reached = names(recipients(roles=[Role.LEADERSHIP, Role.POLICE, Role.KHOM_OFFICER], ward=ward), people)
    assert not reached & {"province", "province_officer", "province_leadership", "admin"}


def test_an_inactive_account_is_not_reached(people, ward, leader):
    leader.is_active = False
    leader.save()
    assert names(recipients(roles=[Role.LEADERSHIP], ward=ward), people) == set()


def test_mistakes_of_the_caller_are_refused_not_guessed(ward):
    with pytest.raises(ValueError, match=re.escape(selectors.NO_ADMINISTRATORS)):
        recipients(roles=[Role.ADMINISTRATOR], ward=ward)
    with pytest.raises(ValueError, match=re.escape(selectors.PROVINCE_NEEDS_FLAG)):
        recipients(roles=[Role.PROVINCE_OFFICER], ward=ward)
    with pytest.raises(ValueError, match=re.escape(selectors.WARD_ROLES_NEED_WARD)):
        recipients(roles=[Role.LEADERSHIP])


def test_the_audience_is_one_query(people, khom, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(recipients(roles=[Role.LEADERSHIP, Role.POLICE, Role.KHOM_OFFICER], khom=khom))
