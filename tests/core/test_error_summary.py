"""A long form sent back with errors lists them at the top, each linked to its field; a short one does not."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _summary(html):
    return html.split('id="error-summary"', 1)[1].split("</div>", 1)[0] if 'id="error-summary"' in html else None


def test_the_person_form_with_errors_opens_on_a_summary_linking_each_field(client_for, police, khom):
    response = client_for(police).post(reverse("subjects:create"), {"full_name": "", "gender": "", "khom": khom.pk,
                                                                      "date_of_birth": "31/02/1990"})
    assert response.status_code == 200
    summary = _summary(response.content.decode())
    assert summary is not None
    assert 'href="#id_full_name"' in summary and 'href="#id_date_of_birth"' in summary
    assert summary.index("id_full_name") < summary.index("id_date_of_birth")


def test_the_case_form_with_errors_has_the_summary(client_for, police, khom):
    response = client_for(police).post(reverse("cases:create"), {"detected_on": "", "khom": khom.pk})
    assert response.status_code == 200
    assert _summary(response.content.decode()) is not None


def test_a_form_shown_for_the_first_time_has_no_summary(client_for, police):
    assert _summary(client_for(police).get(reverse("subjects:create")).content.decode()) is None
