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
@pytest.mark.parametrize("params, shown, hidden", [
    pytest.param(lambda khom, other: {"ward": other.ward_id}, "Người Phường B", "Người Phường A",
                 id="the ward filter narrows the province list"),
    pytest.param(lambda khom, other: {"khom": khom.pk}, "Người Phường A", "Người Phường B",
                 id="a khom link without a ward still filters"),
])
def test_ward_and_khom_filters_narrow_the_province_list(client_for, admin_user, khom, other_khom, params, shown,
                                                        hidden):
    PersonFactory(khom=khom, full_name="Người Phường A")
    PersonFactory(khom=other_khom, full_name="Người Phường B")
    content = client_for(admin_user).get(reverse("subjects:list"), params(khom, other_khom)).content.decode()
    assert shown in content and hidden not in content


@pytest.mark.django_db
def test_police_of_one_ward_pick_a_khom_directly(client_for, police, khom, khom2):
    form = client_for(police).get(reverse("subjects:list")).context["filter"].form
    assert "ward" not in form.fields and set(form.fields["khom"].queryset) == {khom, khom2}
