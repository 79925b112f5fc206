"""The admin applies the same scope as the pages: querysets, change views, foreign-key choices."""
import pytest
from django.urls import reverse

from apps.accounts.choices import Role
from tests.factories.accounts import UserFactory


@pytest.fixture
def staff_police(ward):
    """A police officer whom an administrator allowed into the admin site."""
    return UserFactory(username="t_staff_police", role=Role.POLICE, wards=[ward], is_staff=True)


@pytest.mark.django_db
def test_admin_changelist_lists_only_khom_in_scope(client_for, staff_police, khom, other_khom):
    content = client_for(staff_police).get(reverse("admin:khom_khom_changelist")).content.decode()
    assert "Khóm A01" in content and "Khóm B01" not in content


@pytest.mark.django_db
def test_admin_change_view_of_out_of_scope_khom_is_404(client_for, staff_police, khom, other_khom):
    client = client_for(staff_police)
    assert client.get(reverse("admin:khom_khom_change", args=[khom.pk])).status_code == 200
    assert client.get(reverse("admin:khom_khom_change", args=[other_khom.pk])).status_code == 404


@pytest.mark.django_db
def test_admin_foreign_key_choices_are_limited_to_scope(client_for, ward, other_ward):
    leader_staff = UserFactory(username="t_staff_admin_ward", role=Role.LEADERSHIP, wards=[ward], is_staff=True)
    from django.contrib.auth.models import Permission

    leader_staff.user_permissions.add(Permission.objects.get(codename="add_khom"))
    response = client_for(leader_staff).get(reverse("admin:khom_khom_add"))
    assert response.status_code == 200
    choices = list(response.context["adminform"].form.fields["ward"].queryset)
    assert choices == [ward]


@pytest.mark.django_db
def test_admin_site_is_closed_to_ordinary_staff(client_for, police):
    response = client_for(police).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
