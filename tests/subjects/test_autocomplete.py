"""The person picker's search, /subjects/autocomplete/?q=: scoped, folded, bounded, audited, hostile input refused;
and the case participant field that uses it (only the chosen person rendered, the choice still scoped)."""
import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.subjects.views import AUTOCOMPLETE_PAGE
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db

URL = reverse("subjects:autocomplete")


def texts(response):
    assert response.status_code == 200, response.content
    return [row["text"].split(" (")[0] for row in response.json()["results"]]


def test_anonymous_is_sent_to_login_and_a_province_role_is_refused(client, client_for, province_officer, khom):
    PersonFactory(khom=khom, full_name="Nguyễn Văn Đức")
    response = client.get(URL, {"q": "duc"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert client_for(province_officer).get(URL, {"q": "duc"}).status_code == 403


def test_another_wards_person_never_appears(client_for, police, khom, other_khom):
    PersonFactory(khom=khom, full_name="Nguyễn Văn Đức")
    PersonFactory(khom=other_khom, full_name="Nguyễn Văn Đức Khác")
    assert texts(client_for(police).get(URL, {"q": "nguyen van duc"})) == ["Nguyễn Văn Đức"]


def test_a_khom_officer_finds_only_people_of_his_khom(client_for, khom_officer, khom, khom2):
    PersonFactory(khom=khom, full_name="Lê Văn An")
    PersonFactory(khom=khom2, full_name="Lê Văn Anh")
    assert texts(client_for(khom_officer).get(URL, {"q": "le van"})) == ["Lê Văn An"]


def test_the_search_is_folded_and_finds_a_cccd(client_for, police, khom):
    PersonFactory(khom=khom, full_name="Đặng Thị Ánh", cccd="089190123456", gender="female",
                  date_of_birth="1990-05-17")
    client = client_for(police)
    assert texts(client.get(URL, {"q": "DANG thi anh"})) == ["Đặng Thị Ánh"]
    assert texts(client.get(URL, {"q": "đặng ánh"})) == ["Đặng Thị Ánh"]
    assert texts(client.get(URL, {"q": "0123456"})) == ["Đặng Thị Ánh"]


def test_results_name_the_file_number_birth_year_and_khom_and_carry_the_id(client_for, police, khom):
    person = PersonFactory(khom=khom, full_name="Võ Văn Bình")
    row = client_for(police).get(URL, {"q": "binh"}).json()["results"][0]
    assert row == {"value": person.pk,
                   "text": f"Võ Văn Bình (số hồ sơ {person.file_number}, {person.date_of_birth:%Y}, {khom.name})"}


def test_a_page_of_results_is_bounded_and_says_there_are_more(client_for, police, khom):
    for index in range(AUTOCOMPLETE_PAGE + 5):
        PersonFactory(khom=khom, full_name=f"Trần Văn Thử {index:02d}")
    data = client_for(police).get(URL, {"q": "tran"}).json()
    assert len(data["results"]) == AUTOCOMPLETE_PAGE == 20
    assert data["more"] is True
    # In the register's order: by given name, whatever the order of registration.
    assert [row["text"].split(" (")[0] for row in data["results"]][:2] == ["Trần Văn Thử 00", "Trần Văn Thử 01"]


def test_the_query_count_is_the_same_at_3_and_at_60_people(client_for, police, khom, count_queries):
    client = client_for(police)
    for index in range(3):
        PersonFactory(khom=khom, full_name=f"Phạm Văn {index}")
    small = count_queries(lambda: client.get(URL, {"q": "pham"}))
    for index in range(57):
        PersonFactory(khom=khom, full_name=f"Phạm Thị {index}")
    large = count_queries(lambda: client.get(URL, {"q": "pham"}))
    assert small == large


@pytest.mark.parametrize("query", ["a\x00b", "x" * 10_000, "\x1b[31m"])
def test_hostile_searches_get_a_400_with_a_message_never_a_500(client_for, police, khom, query):
    PersonFactory(khom=khom, full_name="Nguyễn Văn Đức")
    response = client_for(police).get(URL, {"q": query})
    assert response.status_code == 400
    data = response.json()
    assert data["results"] == [] and "không hợp lệ" in data["error"]


def test_an_empty_search_returns_nothing_and_writes_nothing(client_for, police, khom):
    PersonFactory(khom=khom, full_name="Nguyễn Văn Đức")
    for query in ["", "   "]:
        assert client_for(police).get(URL, {"q": query}).json()["results"] == []
    assert not AuditEvent.objects.filter(extra__view="subjects:autocomplete").exists()


def test_each_search_is_audited_like_a_list_search(client_for, police, khom):
    PersonFactory(khom=khom, full_name="Nguyễn Văn Đức")
    client_for(police).get(URL, {"q": "duc"})
    event = AuditEvent.objects.get(extra__view="subjects:autocomplete")
    assert (event.action, event.object_type, event.username) == ("view", "subjects.person", police.username)
    assert event.extra["q"] == "duc" and event.extra["rows"] == 1 and event.extra["list"] is True


# The case participant field ------------------------------------------------------------------------
def test_the_case_form_renders_the_picker_not_every_person_in_scope(client_for, police, khom):
    for index in range(5):
        PersonFactory(khom=khom, full_name=f"Người Trong Phạm Vi {index}")
    body = client_for(police).get(reverse("cases:create")).content.decode()
    assert "js-person-autocomplete" in body and reverse("subjects:autocomplete") in body
    assert "Người Trong Phạm Vi" not in body
    assert "/static/vendor/tom-select/tom-select.complete.min.js" in body
    assert "cdn" not in body.lower() and "<script>" not in body and " style=" not in body


def test_the_participant_field_renders_only_the_chosen_person_and_refuses_one_out_of_scope(police, khom, other_khom):
    from apps.cases.forms import ParticipantForm

    chosen = PersonFactory(khom=khom, full_name="Người Được Chọn")
    PersonFactory(khom=khom, full_name="Người Không Chọn")
    form = ParticipantForm(initial={"person": chosen.pk}, user=police, prefix="p")
    html = str(form["person"])
    assert "Người Được Chọn" in html and "Người Không Chọn" not in html
    outsider = PersonFactory(khom=other_khom, full_name="Người Phường Khác")
    form = ParticipantForm({"p-person": outsider.pk, "p-role": "user", "p-outcome": "pending"}, user=police, prefix="p")
    assert not form.is_valid() and "person" in form.errors
