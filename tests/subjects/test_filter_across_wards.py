"""Across several wards the khóm filter waits for a ward, so a province-wide page does not list 2,000 khóm."""
import pytest
from django.urls import reverse

from tests.factories.khom import KhomFactory
from tests.factories.subjects import PersonFactory


@pytest.mark.django_db
def test_administrator_is_offered_khom_only_after_choosing_a_ward(client_for, admin_user, ward, other_ward):
    KhomFactory.create_batch(3, ward=ward)
    KhomFactory.create_batch(2, ward=other_ward)
    client = client_for(admin_user)
    form = client.get(reverse("subjects:list")).context["filter"].form
    assert "ward" in form.fields and list(form.fields["khom"].queryset) == []
    form = client.get(reverse("subjects:list"), {"ward": other_ward.pk}).context["filter"].form
    assert {k.ward_id for k in form.fields["khom"].queryset} == {other_ward.pk}
    assert form.fields["khom"].queryset.count() == 2


@pytest.mark.django_db
def test_ward_filter_narrows_the_province_list(client_for, admin_user, khom, other_khom):
    PersonFactory(khom=khom, full_name="Người Phường A")
    PersonFactory(khom=other_khom, full_name="Người Phường B")
    content = client_for(admin_user).get(reverse("subjects:list"), {"ward": other_khom.ward_id}).content.decode()
    assert "Người Phường B" in content and "Người Phường A" not in content


@pytest.mark.django_db
def test_a_khom_link_without_a_ward_still_filters(client_for, admin_user, khom, other_khom):
    PersonFactory(khom=khom, full_name="Người Khóm A01")
    PersonFactory(khom=other_khom, full_name="Người Khóm B01")
    content = client_for(admin_user).get(reverse("subjects:list"), {"khom": khom.pk}).content.decode()
    assert "Người Khóm A01" in content and "Người Khóm B01" not in content


@pytest.mark.django_db
def test_police_of_one_ward_pick_a_khom_directly(client_for, police, khom, khom2):
    form = client_for(police).get(reverse("subjects:list")).context["filter"].form
    assert "ward" not in form.fields and set(form.fields["khom"].queryset) == {khom, khom2}
