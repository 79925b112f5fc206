import pytest
from django.contrib.auth.models import Group

from apps.accounts.choices import Role
from tests.factories.accounts import UserFactory


@pytest.mark.django_db
def test_every_role_has_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.django_db
def test_user_belongs_to_exactly_the_group_of_its_role(ward):
    user = UserFactory(role=Role.POLICE, wards=[ward])
    assert list(user.groups.values_list("name", flat=True)) == [Role.POLICE]
    user.role = Role.LEADERSHIP
    user.save()
    assert list(user.groups.values_list("name", flat=True)) == [Role.LEADERSHIP]


@pytest.mark.django_db
def test_leadership_may_read_the_audit_log_and_police_may_not(leader, police):
    assert leader.has_perm("core.view_auditevent")
    assert not police.has_perm("core.view_auditevent")


@pytest.mark.django_db
def test_scope_includes_the_ward_of_an_attached_khom(khom_officer, khom):
    assert khom_officer.scope_ward_ids == {khom.ward_id}
    assert khom_officer.scope_khom_ids == {khom.pk}


@pytest.mark.django_db
def test_administrators_are_staff_and_others_are_not_by_default(admin_user, police):
    assert admin_user.is_staff and not police.is_staff
