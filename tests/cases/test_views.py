"""Case and hotspot pages: role matrix, scope, forms that keep input on errors, filters, query counts."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.cases.choices import CaseHandling, CaseKind, ParticipantRole
from apps.cases.models import FUTURE_DATE, PARTICIPANT_PERSON_OR_OUTSIDER, QUANTITY_NOT_POSITIVE, Case, Hotspot
from apps.cases.services import KHOM_OUT_OF_SCOPE, PERSON_OUT_OF_SCOPE
from apps.core.models import AuditEvent
from tests.factories.cases import CaseFactory, HotspotFactory, ParticipantFactory, SeizedItemFactory
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db

CASE_URLS = ["list", "detail", "create", "edit", "export"]
HOTSPOT_URLS = ["hotspot_list", "hotspot_detail", "hotspot_create", "hotspot_edit"]
ALL_URLS = CASE_URLS + HOTSPOT_URLS
WRITE_URLS = {"create", "edit", "hotspot_create", "hotspot_edit"}


@pytest.fixture
def case(khom):
    return CaseFactory(khom=khom)


@pytest.fixture
def hotspot(khom):
    return HotspotFactory(khom=khom)


def url_of(name, case, hotspot):
    if name in ("detail", "edit"):
        return reverse(f"cases:{name}", args=[case.pk])
    if name in ("hotspot_detail", "hotspot_edit"):
        return reverse(f"cases:{name}", args=[hotspot.pk])
    return reverse(f"cases:{name}")


@pytest.mark.parametrize("name", ALL_URLS)
def test_anonymous_visitor_is_sent_to_login(client, case, hotspot, name):
    response = client.get(url_of(name, case, hotspot))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["khom_officer", "province"])
@pytest.mark.parametrize("name", ALL_URLS)
def test_khom_officers_and_province_viewers_are_refused_every_case_page(request, client_for, case, hotspot,
                                                                          role, name):
    client = client_for(request.getfixturevalue(role))
    assert client.get(url_of(name, case, hotspot)).status_code == 403


@pytest.mark.parametrize("name", ALL_URLS)
def test_leadership_reads_but_does_not_write(client_for, leader, case, hotspot, name):
    expected = 403 if name in WRITE_URLS else 200
    assert client_for(leader).get(url_of(name, case, hotspot)).status_code == expected


@pytest.mark.parametrize("role", ["police", "admin_user"])
@pytest.mark.parametrize("name", ALL_URLS)
def test_police_and_administrators_reach_every_case_page(request, client_for, case, hotspot, role, name):
    client = client_for(request.getfixturevalue(role))
    assert client.get(url_of(name, case, hotspot)).status_code == 200


@pytest.mark.parametrize("name", ["detail", "edit", "hotspot_detail", "hotspot_edit"])
def test_records_of_another_ward_are_not_found(client_for, other_police, case, hotspot, name):
    assert client_for(other_police).get(url_of(name, case, hotspot)).status_code == 404


def test_a_refused_look_at_another_wards_case_is_logged(client_for, other_police, case):
    client_for(other_police).get(reverse("cases:detail", args=[case.pk]))
    assert AuditEvent.objects.filter(action="denied", object_type="cases.case", object_id=str(case.pk)).exists()


def test_list_shows_only_cases_of_the_users_ward(client_for, police, khom, other_khom):
    CaseFactory(khom=khom, place="Bến phà Mỹ Thới")
    CaseFactory(khom=other_khom, place="Chợ phường B")
    content = client_for(police).get(reverse("cases:list")).content.decode()
    assert "Bến phà Mỹ Thới" in content and "Chợ phường B" not in content


def test_list_filters_by_date_kind_handling_and_khom(client_for, police, khom, khom2):
    CaseFactory(khom=khom, place="Vụ tháng một", detected_on=dt.date(2025, 1, 10), kind=CaseKind.TRAFFICKING)
    CaseFactory(khom=khom2, place="Vụ tháng sáu", detected_on=dt.date(2025, 6, 10), handling=CaseHandling.CRIMINAL)
    client = client_for(police)

    def places(**query):
        content = client.get(reverse("cases:list"), query).content.decode()
        return {p for p in ("Vụ tháng một", "Vụ tháng sáu") if p in content}

    assert places(date_from="01/05/2025") == {"Vụ tháng sáu"}
    assert places(date_to="31/01/2025") == {"Vụ tháng một"}
    assert places(kind=CaseKind.TRAFFICKING) == {"Vụ tháng một"}
    assert places(handling=CaseHandling.CRIMINAL) == {"Vụ tháng sáu"}
    assert places(khom=khom2.pk) == {"Vụ tháng sáu"}


def test_search_ignores_accents_and_finds_participants_by_name(client_for, police, khom):
    from apps.cases.services import CaseData, ParticipantData, case_create

    case_create(user=police, data=CaseData(khom=khom, detected_on=dt.date(2025, 2, 2), kind=CaseKind.ILLEGAL_USE,
                                           place="Nhà trọ Bình Đức"),
                participants=[ParticipantData(role=ParticipantRole.USER, outsider_name="Phạm Văn Đông")])
    CaseFactory(khom=khom, place="Nơi khác")
    content = client_for(police).get(reverse("cases:list"), {"q": "pham van dong"}).content.decode()
    assert "Nhà trọ Bình Đức" in content and "Nơi khác" not in content


def test_list_query_count_does_not_grow_with_rows(client_for, police, khom, count_queries):
    client = client_for(police)
    for case in CaseFactory.create_batch(2, khom=khom):
        ParticipantFactory(case=case)
    client.get(reverse("cases:list"))
    small = count_queries(lambda: client.get(reverse("cases:list")))
    for case in CaseFactory.create_batch(30, khom=khom):
        ParticipantFactory(case=case)
        SeizedItemFactory(case=case)
    large = count_queries(lambda: client.get(reverse("cases:list")))
    assert small == large


def test_hotspot_list_query_count_does_not_grow_with_rows(client_for, police, khom, count_queries):
    client = client_for(police)
    HotspotFactory.create_batch(2, khom=khom)
    client.get(reverse("cases:hotspot_list"))
    small = count_queries(lambda: client.get(reverse("cases:hotspot_list")))
    HotspotFactory.create_batch(30, khom=khom)
    large = count_queries(lambda: client.get(reverse("cases:hotspot_list")))
    assert small == large


def test_detail_shows_items_and_participants_and_is_logged(client_for, police, case, khom):
    person = PersonFactory(khom=khom, full_name="Võ Thị Trong Danh Sách")
    ParticipantFactory(case=case, person=person, outsider_name="", outsider_birth_year=None, outsider_residence="")
    ParticipantFactory(case=case, outsider_name="Người Ngoài Danh Sách")
    SeizedItemFactory(case=case, substance="Ketamine")
    content = client_for(police).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Võ Thị Trong Danh Sách" in content and "Người Ngoài Danh Sách" in content and "Ketamine" in content
    assert AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(case.pk)).exists()


def form_data(in_khom, **overrides):
    data = {
        "number": "", "detected_on": "10/03/2025", "khom": in_khom.pk, "place": "Bờ kè Mỹ Thới",
        "kind": CaseKind.POSSESSION, "handling": CaseHandling.VERIFYING, "officer": "", "plants_destroyed": "",
        "area_destroyed_m2": "", "summary": "Tóm tắt thử", "version": "",
        "items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "50",
        "items-0-substance": "Methamphetamine", "items-0-quantity": "1,25", "items-0-unit": "g",
        "items-1-substance": "", "items-1-quantity": "", "items-1-unit": "g",
        "people-TOTAL_FORMS": "2", "people-INITIAL_FORMS": "0", "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "50",
        "people-0-person": "", "people-0-outsider_name": "Đinh Văn Lạ", "people-0-outsider_birth_year": "1988",
        "people-0-outsider_residence": "Cần Thơ", "people-0-role": ParticipantRole.SUSPECT, "people-0-outcome": "arrested",
        "people-1-person": "", "people-1-outsider_name": "", "people-1-outsider_birth_year": "",
        "people-1-outsider_residence": "", "people-1-role": "", "people-1-outcome": "pending",
    }
    data.update(overrides)
    return data


def test_police_create_a_case_with_items_and_participants(client_for, police, khom):
    response = client_for(police).post(reverse("cases:create"), form_data(khom, officer=police.pk))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.code == "1/2025" and case.officer == police
    assert [(i.substance, str(i.quantity)) for i in case.seized_items.all()] == [("Methamphetamine", "1.250")]
    assert [p.name for p in case.participants.all()] == ["Đinh Văn Lạ"]


@pytest.mark.parametrize("overrides, message", [
    ({"detected_on": (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")}, FUTURE_DATE),
    ({"items-0-quantity": "0"}, QUANTITY_NOT_POSITIVE),
    ({"items-0-quantity": "-3"}, QUANTITY_NOT_POSITIVE),
    ({"people-0-person": "OTHER"}, PERSON_OUT_OF_SCOPE),
    ({"khom": "OTHER_KHOM"}, KHOM_OUT_OF_SCOPE),
    ({"people-0-outsider_name": ""}, PARTICIPANT_PERSON_OR_OUTSIDER),
])
def test_bad_input_shows_a_vietnamese_error_writes_nothing_and_keeps_the_input(client_for, police, khom, other_khom,
                                                                               overrides, message):
    stranger = PersonFactory(khom=other_khom)
    replace = {"OTHER": stranger.pk, "OTHER_KHOM": other_khom.pk}
    overrides = {key: replace.get(value, value) for key, value in overrides.items()}
    if "people-0-person" in overrides:
        overrides["people-0-outsider_name"] = ""
        overrides["people-0-outsider_birth_year"] = ""
        overrides["people-0-outsider_residence"] = ""
    response = client_for(police).post(reverse("cases:create"), form_data(khom, **overrides))
    content = response.content.decode()
    assert response.status_code == 200
    assert str(message) in content
    assert 'value="Bờ kè Mỹ Thới"' in content and "Tóm tắt thử" in content
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_editing_a_case_keeps_unchanged_rows_and_drops_deleted_ones(client_for, police, khom):
    client = client_for(police)
    client.post(reverse("cases:create"), form_data(khom, **{
        "items-1-substance": "Heroin", "items-1-quantity": "2", "items-1-unit": "g"}))
    case = Case.objects.get()
    page = client.get(reverse("cases:edit", args=[case.pk])).content.decode()
    assert 'value="Methamphetamine"' in page and 'value="Heroin"' in page
    data = form_data(khom, place="Đã sửa", version="1", **{
        "items-TOTAL_FORMS": "4", "items-INITIAL_FORMS": "2",
        "items-1-substance": "Heroin", "items-1-quantity": "2", "items-1-unit": "g", "items-1-DELETE": "on",
        "items-2-substance": "", "items-2-quantity": "", "items-2-unit": "g",
        "items-3-substance": "", "items-3-quantity": "", "items-3-unit": "g",
        "people-TOTAL_FORMS": "3", "people-INITIAL_FORMS": "1",
        "people-2-person": "", "people-2-outsider_name": "", "people-2-outsider_birth_year": "",
        "people-2-outsider_residence": "", "people-2-role": "", "people-2-outcome": "pending"})
    response = client.post(reverse("cases:edit", args=[case.pk]), data)
    assert response.status_code == 302, response.context["form"].errors or response.context["items"].errors
    case.refresh_from_db()
    assert case.place == "Đã sửa" and case.version == 2 and case.number == 1
    assert [i.substance for i in case.seized_items.all()] == ["Methamphetamine"]
    assert [p.name for p in case.participants.all()] == ["Đinh Văn Lạ"]


def test_a_stale_edit_is_refused_and_the_input_kept(client_for, police, khom, case):
    response = client_for(police).post(reverse("cases:edit", args=[case.pk]),
                                       form_data(khom, place="Sửa muộn", version="0"))
    assert response.status_code == 200 and 'value="Sửa muộn"' in response.content.decode()
    case.refresh_from_db()
    assert case.place != "Sửa muộn"


def test_police_record_and_clear_a_hotspot(client_for, police, khom):
    client = client_for(police)
    response = client.post(reverse("cases:hotspot_create"), {
        "khom": khom.pk, "address": "Cuối hẻm 7", "kind": "organising_use", "found_on": "01/02/2025",
        "cleared_on": "", "notes": "", "version": ""})
    hotspot = Hotspot.objects.get()
    assert response.status_code == 302 and hotspot.ward_id == khom.ward_id
    response = client.post(reverse("cases:hotspot_edit", args=[hotspot.pk]), {
        "khom": khom.pk, "address": "Cuối hẻm 7", "kind": "organising_use", "found_on": "01/02/2025",
        "cleared_on": "01/01/2025", "notes": "", "version": "1"})
    assert response.status_code == 200 and "Ngày triệt xóa không được trước ngày phát hiện" in response.content.decode()
    response = client.post(reverse("cases:hotspot_edit", args=[hotspot.pk]), {
        "khom": khom.pk, "address": "Cuối hẻm 7", "kind": "organising_use", "found_on": "01/02/2025",
        "cleared_on": "01/03/2025", "notes": "", "version": "1"})
    hotspot.refresh_from_db()
    assert response.status_code == 302 and hotspot.cleared_on == dt.date(2025, 3, 1)


def test_hotspot_list_filters_active_and_cleared(client_for, police, khom):
    HotspotFactory(khom=khom, address="Điểm còn hoạt động")
    HotspotFactory(khom=khom, address="Điểm đã xóa", cleared_on=dt.date(2025, 5, 1))
    client = client_for(police)
    active = client.get(reverse("cases:hotspot_list"), {"status": "active"}).content.decode()
    cleared = client.get(reverse("cases:hotspot_list"), {"status": "cleared"}).content.decode()
    assert "Điểm còn hoạt động" in active and "Điểm đã xóa" not in active
    assert "Điểm đã xóa" in cleared and "Điểm còn hoạt động" not in cleared


def test_the_case_list_is_available_in_english(client_for, police, case):
    client = client_for(police)
    client.cookies["django_language"] = "en"
    content = client.get(reverse("cases:list")).content.decode()
    assert "Drug cases" in content and "Illegal drug use" in content


def test_the_case_form_offers_extra_rows_through_a_static_script(client_for, police, khom):
    content = client_for(police).get(reverse("cases:create")).content.decode()
    assert 'name="items-__prefix__-substance"' in content and 'name="people-__prefix__-outsider_name"' in content
    assert "cases/formset.js" in content and "<script>" not in content


def test_hotspot_search_ignores_accents(client_for, police, khom):
    HotspotFactory(khom=khom, address="Cuối hẻm Bờ Kè Đông")
    HotspotFactory(khom=khom, address="Chợ cá")
    content = client_for(police).get(reverse("cases:hotspot_list"), {"q": "bo ke dong"}).content.decode()
    assert "Cuối hẻm Bờ Kè Đông" in content and "Chợ cá" not in content


def test_an_untouched_extra_participant_row_as_a_browser_sends_it_is_ignored(client_for, police, khom):
    client = client_for(police)
    page = client.get(reverse("cases:create")).content.decode()
    # The browser sends the first option of each select: for "role" that must be the blank one.
    role_select = page[page.index('name="people-1-role"'):]
    assert role_select[role_select.index("<option"):].startswith('<option value="" selected>')
    response = client.post(reverse("cases:create"), form_data(khom, **{"people-1-role": "", "people-1-outcome": "pending"}))
    assert response.status_code == 302
    assert Case.objects.get().participants.count() == 1


@pytest.mark.parametrize("value", ["²", "9" * 5000])
def test_a_person_picked_as_digits_int_refuses_redisplays_the_form_not_a_500(client_for, police, khom, value):
    response = client_for(police).post(reverse("cases:create"), form_data(khom, **{
        "people-0-person": value, "people-0-outsider_name": "", "people-0-outsider_birth_year": "",
        "people-0-outsider_residence": ""}))
    assert response.status_code == 200 and not Case.objects.exists()
    assert "form" in response.context


def test_a_case_stays_editable_after_a_participants_record_moved_to_another_ward(client_for, police, khom,
                                                                                 other_khom):
    from apps.subjects.models import Person

    client = client_for(police)
    person = PersonFactory(khom=khom, full_name="Người Chuyển Đi")
    client.post(reverse("cases:create"), form_data(khom, **{
        "people-0-person": person.pk, "people-0-outsider_name": "", "people-0-outsider_birth_year": "",
        "people-0-outsider_residence": ""}))
    case = Case.objects.get()
    Person.objects.filter(pk=person.pk).update(khom=other_khom)        # the record went to the other ward
    page = client.get(reverse("cases:edit", args=[case.pk])).content.decode()
    assert "Người Chuyển Đi" in page                                    # still named on its row
    data = form_data(khom, place="Đã sửa", version="1", **{
        "people-TOTAL_FORMS": "2", "people-INITIAL_FORMS": "1", "people-0-person": person.pk,
        "people-0-outsider_name": "", "people-0-outsider_birth_year": "", "people-0-outsider_residence": ""})
    response = client.post(reverse("cases:edit", args=[case.pk]), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.place == "Đã sửa" and [p.person_id for p in case.participants.all()] == [person.pk]
    # A person of the other ward is still refused as a new participant.
    stranger = PersonFactory(khom=other_khom)
    data = form_data(khom, version="2", **{"people-TOTAL_FORMS": "2", "people-INITIAL_FORMS": "1",
                                           "people-0-person": person.pk, "people-0-outsider_name": "",
                                           "people-0-outsider_birth_year": "", "people-0-outsider_residence": "",
                                           "people-1-person": stranger.pk, "people-1-role": ParticipantRole.SUSPECT})
    assert client.post(reverse("cases:edit", args=[case.pk]), data).status_code == 200
    assert [p.person_id for p in Case.objects.get().participants.all()] == [person.pk]
