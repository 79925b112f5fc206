"""The activity and commitment forms open on what the user would choose: a khóm officer's khóm, its households."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _select(html, name):
    """The <select name=…> element's opening tag and options, as text."""
    return re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S).group(0)


def _options(select):
    """[(value, attributes text, label)] of the options."""
    return re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', select)


def _selected(select):
    return [value for value, attrs, _label in _options(select) if "selected" in attrs]


def test_a_khom_officers_activity_form_preselects_his_khom_and_offers_no_whole_ward(client_for, khom_officer, khom):
    html = client_for(khom_officer).get(reverse("activities:create")).content.decode()
    select = _select(html, "khom")
    assert _selected(select) == [str(khom.pk)]
    assert "Toàn phường" not in select and all(value for value, _attrs, _label in _options(select))


def test_the_preselected_khom_is_accepted_as_it_stands(client_for, khom_officer, khom):
    response = client_for(khom_officer).post(reverse("activities:create"), {
        "kind": "propaganda", "khom": khom.pk, "held_on": "01/02/2026", "topic": "Phòng chống ma túy",
        "audience": "residents", "participants": 30, "organiser": "Ban điều hành khóm"})
    assert response.status_code == 302, response.context["form"].errors


def test_ward_staff_still_get_the_whole_ward_choice(client_for, police):
    select = _select(client_for(police).get(reverse("activities:create")).content.decode(), "khom")
    assert "Toàn phường" in select


def test_the_commitment_form_fills_the_households_total_from_the_khom_record(client_for, khom_officer, khom):
    khom.households = 612
    khom.save()
    html = client_for(khom_officer).get(reverse("activities:commitment_create")).content.decode()
    assert re.search(r'<input[^>]*name="households_total"[^>]*value="612"', html)
    attrs = next(a for value, a, _label in _options(_select(html, "khom")) if value == str(khom.pk))
    assert "selected" in attrs and 'data-households="612"' in attrs
    assert "activities/households.js" in html.split("</head>", 1)[0]


def test_ward_staff_get_each_khoms_households_on_its_option(client_for, police, khom, khom2):
    khom2.households = 321
    khom2.save()
    select = _select(client_for(police).get(reverse("activities:commitment_create")).content.decode(), "khom")
    attrs = next(a for value, a, _label in _options(select) if value == str(khom2.pk))
    assert 'data-households="321"' in attrs and 'data-households-target="id_households_total"' in select
