"""Every page of the register: login, role, scope, and the happy path."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.core.locking import STALE_VERSION
from apps.core.models import AuditEvent
from apps.core.validators import CCCD_CENTURY
from apps.subjects.choices import EndReason, Gender, MoveKind
from apps.subjects.choices import TestResult as Result
from apps.subjects.models import DrugTest, Episode, Person, ResidenceMove, SupportRecord
from apps.subjects.panels import _PANELS, register_person_panel
from tests.factories.subjects import EpisodeFactory, seeded_kind

pytestmark = pytest.mark.django_db


def person_data(khom, **overrides):
    data = {"full_name": "Phạm Thị Lan", "gender": Gender.FEMALE, "date_of_birth": "03/02/2001",
            "cccd": "089301123456", "khom": khom.pk, "address": "12 Tôn Đức Thắng", "phone": "0901234567",
            "occupation": "Buôn bán", "notes": ""}
    data.update(overrides)
    return data


# URL builders for every page that shows or changes one person.
PERSON_PAGES = {
    "detail": lambda p: reverse("subjects:detail", args=[p.pk]),
    "edit": lambda p: reverse("subjects:edit", args=[p.pk]),
    "episode_create": lambda p: reverse("subjects:episode_create", args=[p.pk]),
    "test_create": lambda p: reverse("subjects:test_create", args=[p.pk]),
    "move_create": lambda p: reverse("subjects:move_create", args=[p.pk]),
    "support_create": lambda p: reverse("subjects:support_create", args=[p.pk]),
}
LIST_PAGES = ["subjects:list", "subjects:export", "subjects:deadlines", "subjects:create"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_anonymous_users_are_sent_to_login_from_every_list_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PERSON_PAGES)
def test_anonymous_users_are_sent_to_login_from_every_person_page(client, person, page):
    response = client.get(PERSON_PAGES[page](person))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_province_viewer_is_refused_every_list_page(client_for, province, name):
    assert client_for(province).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("page", PERSON_PAGES)
def test_a_province_viewer_reaches_no_personal_record(client_for, province, person, page):
    assert client_for(province).get(PERSON_PAGES[page](person)).status_code == 403


@pytest.mark.parametrize("page", ["edit", "episode_create", "test_create", "move_create", "support_create"])
@pytest.mark.parametrize("role", ["leader", "khom_officer"])
def test_readers_may_not_open_the_forms(request, client_for, person, page, role):
    user = request.getfixturevalue(role)
    assert client_for(user).get(PERSON_PAGES[page](person)).status_code == 403


def test_readers_may_not_open_the_new_person_form(client_for, khom_officer, leader):
    assert client_for(khom_officer).get(reverse("subjects:create")).status_code == 403
    assert client_for(leader).get(reverse("subjects:create")).status_code == 403


@pytest.mark.parametrize("page", PERSON_PAGES)
def test_police_of_another_ward_get_404_for_every_person_page(client_for, other_police, person, page):
    assert client_for(other_police).get(PERSON_PAGES[page](person)).status_code == 404


def test_a_khom_officer_cannot_open_a_person_of_another_khom(client_for, khom_officer, neighbour):
    assert client_for(khom_officer).get(PERSON_PAGES["detail"](neighbour)).status_code == 404


def test_a_khom_officer_reads_a_person_of_his_own_khom_without_edit_buttons(client_for, khom_officer, person):
    response = client_for(khom_officer).get(PERSON_PAGES["detail"](person))
    assert response.status_code == 200
    assert "Nguyễn Văn Đức" in response.content.decode()
    assert reverse("subjects:edit", args=[person.pk]) not in response.content.decode()


def test_viewing_a_person_writes_an_audit_event_with_the_ward(client_for, leader, person):
    client_for(leader).get(PERSON_PAGES["detail"](person))
    event = AuditEvent.objects.get(action="view", object_type="subjects.person")
    assert (event.object_id, event.username, event.ward_id) == (str(person.pk), leader.username, person.khom.ward_id)


def test_opening_the_edit_form_is_audited_as_a_view(client_for, police, person):
    client_for(police).get(PERSON_PAGES["edit"](person))
    assert AuditEvent.objects.filter(action="view", object_id=str(person.pk), extra__view="subjects:edit").exists()


@pytest.mark.parametrize("page", ["edit", "episode_create", "test_create", "move_create", "support_create"])
def test_a_refused_form_of_a_person_out_of_scope_is_audited(client_for, other_police, person, page):
    client_for(other_police).get(PERSON_PAGES[page](person))
    assert AuditEvent.objects.filter(action="denied", object_id=str(person.pk), extra__reason="scope").exists()


def test_a_refused_view_of_a_person_out_of_scope_is_audited(client_for, other_police, person):
    client_for(other_police).get(PERSON_PAGES["detail"](person))
    assert AuditEvent.objects.filter(action="denied", object_id=str(person.pk)).exists()


def test_the_detail_page_shows_one_timeline_of_episodes_tests_moves_and_support(client_for, police, person, khom2):
    EpisodeFactory(person=person, started_on=dt.date(2026, 1, 5))
    DrugTest.objects.create(person=person, tested_on=dt.date(2026, 1, 2), result=Result.POSITIVE,
                            substances="Methamphetamine")
    ResidenceMove.objects.create(person=person, kind=MoveKind.WITHIN_WARD, moved_on=dt.date(2026, 2, 1),
                                 from_khom=person.khom, to_khom=khom2)
    SupportRecord.objects.create(person=person, kind="vocational", given_on=dt.date(2026, 3, 1), provider="Trường nghề")
    response = client_for(police).get(PERSON_PAGES["detail"](person))
    kinds = [item["type"] for item in response.context["timeline"]]
    assert kinds == ["support", "move", "episode", "test"]
    assert "Methamphetamine" in response.content.decode()


def test_panels_registered_by_other_apps_are_rendered_on_the_detail_page(client_for, police, person):
    def panel(request, shown):
        return {"title": "Bảng thử", "template": "subjects/_panel_items.html",
                "context": {"items": [{"text": f"Panel for {shown.full_name}", "url": ""}]}}

    def nothing(request, shown):
        return None

    register_person_panel(panel)
    register_person_panel(nothing)
    registered = len(_PANELS)
    try:
        response = client_for(police).get(PERSON_PAGES["detail"](person))
    finally:
        _PANELS.remove(panel)
        _PANELS.remove(nothing)
    titles = [p["title"] for p in response.context["panels"]]
    assert titles.count("Bảng thử") == 1
    assert len(titles) <= registered - 1  # the panel answering None is left out
    assert "Panel for Nguyễn Văn Đức" in response.content.decode()


def test_police_create_a_person_and_the_creation_is_audited(client_for, police, khom):
    response = client_for(police).post(reverse("subjects:create"), person_data(khom))
    person = Person.objects.get(full_name="Phạm Thị Lan")
    assert response.status_code == 302
    assert response["Location"] == reverse("subjects:detail", args=[person.pk])
    assert (person.date_of_birth, person.created_by) == (dt.date(2001, 2, 3), police)
    assert AuditEvent.objects.filter(action="create", object_id=str(person.pk)).exists()


def test_an_inconsistent_cccd_is_refused_in_vietnamese_and_the_typed_values_are_kept(client_for, police, khom):
    response = client_for(police).post(reverse("subjects:create"), person_data(khom, gender=Gender.MALE))
    assert response.status_code == 200
    assert not Person.objects.exists()
    assert str(CCCD_CENTURY) in response.context["form"].errors["cccd"]
    content = response.content.decode()
    assert 'value="Phạm Thị Lan"' in content and 'value="12 Tôn Đức Thắng"' in content


def test_police_cannot_create_a_person_in_a_khom_of_another_ward(client_for, police, other_khom):
    response = client_for(police).post(reverse("subjects:create"), person_data(other_khom))
    assert response.status_code == 200
    assert "khom" in response.context["form"].errors
    assert not Person.objects.exists()


def test_police_edit_a_person_and_the_change_is_audited_with_a_diff(client_for, police, person):
    data = person_data(person.khom, full_name="Nguyễn Văn Đức Anh", gender=Gender.MALE, date_of_birth="17/05/1990",
                       cccd=person.cccd, version=person.version)
    response = client_for(police).post(PERSON_PAGES["edit"](person), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.version, person.search_text) == (
        "Nguyễn Văn Đức Anh", 2, "nguyen van duc anh 089090123456")
    event = AuditEvent.objects.get(action="update", object_id=str(person.pk))
    assert event.changes["full_name"] == ["Nguyễn Văn Đức", "Nguyễn Văn Đức Anh"]


def test_the_second_of_two_concurrent_edits_is_refused_and_overwrites_nothing(client, police, khom, person):
    opened_version = person.version
    base = person_data(khom, gender=Gender.MALE, date_of_birth="17/05/1990", cccd=person.cccd, version=opened_version)
    client.force_login(police)
    first = client.post(PERSON_PAGES["edit"](person), {**base, "full_name": "Bản sửa thứ nhất"})
    second = client.post(PERSON_PAGES["edit"](person), {**base, "full_name": "Bản sửa thứ hai"})
    assert first.status_code == 302
    assert second.status_code == 200
    assert str(STALE_VERSION) in second.context["form"].non_field_errors()
    assert 'value="Bản sửa thứ hai"' in second.content.decode()
    person.refresh_from_db()
    assert (person.full_name, person.version) == ("Bản sửa thứ nhất", opened_version + 1)


def test_police_open_an_episode_and_the_person_status_and_next_test_follow(client_for, police, person):
    response = client_for(police).post(PERSON_PAGES["episode_create"](person), {
        "kind": seeded_kind("illegal_user").pk, "decision_number": "12/QĐ-UBND", "decision_date": "05/01/2026",
        "decision_signer": "Chủ tịch UBND", "started_on": "05/01/2026", "planned_end": "", "notes": ""})
    assert response.status_code == 302
    episode = Episode.objects.get(person=person)
    person.refresh_from_db()
    assert episode.planned_end == dt.date(2027, 1, 5)
    assert person.status == seeded_kind("illegal_user")
    assert person.next_test_due == dt.date(2026, 1, 5) + dt.timedelta(days=90)


def test_a_second_open_episode_of_the_same_kind_is_refused_with_a_message(client_for, police, person):
    EpisodeFactory(person=person)
    response = client_for(police).post(PERSON_PAGES["episode_create"](person), {
        "kind": seeded_kind("illegal_user").pk, "started_on": "01/03/2026"})
    assert response.status_code == 200
    assert "Người này đang có một đợt quản lý cùng loại chưa kết thúc." in response.context["form"].non_field_errors()
    assert Episode.objects.filter(person=person).count() == 1


def test_a_drug_test_moves_the_next_test_date(client_for, police, person):
    EpisodeFactory(person=person, started_on=dt.date(2026, 1, 5))
    response = client_for(police).post(PERSON_PAGES["test_create"](person), {
        "tested_on": "01/03/2026", "sample_type": "urine", "result": "negative", "substances": "", "tested_by": "CA"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.next_test_due == dt.date(2026, 3, 1) + dt.timedelta(days=90)


def test_a_move_to_another_khom_changes_the_current_khom(client_for, police, person, khom2):
    response = client_for(police).post(PERSON_PAGES["move_create"](person), {
        "kind": MoveKind.WITHIN_WARD, "moved_on": "01/02/2026", "to_khom": khom2.pk, "notified_on": "01/02/2026",
        "new_address": "12 đường Lê Lợi"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.khom == khom2
    assert ResidenceMove.objects.get(person=person).from_khom_id != khom2.pk


def test_support_is_recorded(client_for, police, person):
    response = client_for(police).post(PERSON_PAGES["support_create"](person), {
        "kind": "loan", "given_on": "01/04/2026", "provider": "Ngân hàng CSXH", "outcome": "=HYPERLINK(\"x\")"})
    assert response.status_code == 302
    assert SupportRecord.objects.get(person=person).provider == "Ngân hàng CSXH"


def test_police_close_an_episode_and_the_status_clears(client_for, police, person):
    episode = EpisodeFactory(person=person)
    from apps.subjects.services import person_sync_status

    person_sync_status(person=person)
    url = reverse("subjects:episode_close", args=[episode.pk])
    response = client_for(police).post(url, {"actual_end": "05/06/2026", "end_reason": EndReason.ADDICTION_FOUND})
    assert response.status_code == 302
    person.refresh_from_db()
    episode.refresh_from_db()
    assert (episode.actual_end, person.status) == (dt.date(2026, 6, 5), None)


def test_closing_an_episode_of_another_ward_answers_404(client_for, other_police, person):
    episode = EpisodeFactory(person=person)
    assert client_for(other_police).get(reverse("subjects:episode_close", args=[episode.pk])).status_code == 404


def test_a_khom_officer_may_not_close_an_episode(client_for, khom_officer, person):
    episode = EpisodeFactory(person=person)
    assert client_for(khom_officer).get(reverse("subjects:episode_close", args=[episode.pk])).status_code == 403


def _history(person, size):
    for index in range(size):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=30 * index)
        EpisodeFactory(person=person, started_on=day, actual_end=day, end_reason=EndReason.OTHER)
        DrugTest.objects.create(person=person, tested_on=day, result=Result.NEGATIVE)
        ResidenceMove.objects.create(person=person, kind=MoveKind.MOVE_IN, moved_on=day, to_khom=person.khom)
        SupportRecord.objects.create(person=person, kind="job", given_on=day)


def test_the_detail_page_issues_the_same_number_of_queries_for_a_short_and_a_long_history(
        client_for, police, person, count_queries):
    client = client_for(police)
    _history(person, 2)
    short = count_queries(lambda: client.get(PERSON_PAGES["detail"](person)))
    _history(person, 20)
    assert count_queries(lambda: client.get(PERSON_PAGES["detail"](person))) == short


def test_the_detail_page_reads_both_khom_of_every_move_in_the_same_queries(client_for, police, person, khom2,
                                                                            count_queries):
    def moves(count):
        for index in range(count):
            ResidenceMove.objects.create(person=person, kind=MoveKind.WITHIN_WARD,
                                         moved_on=dt.date(2025, 1, 1) + dt.timedelta(days=index),
                                         from_khom=(person.khom, khom2)[index % 2], to_khom=(khom2, person.khom)[index % 2])

    client = client_for(police)
    moves(2)
    few = count_queries(lambda: client.get(PERSON_PAGES["detail"](person)))
    moves(20)
    response = client.get(PERSON_PAGES["detail"](person))
    assert "Khóm A01 → Khóm A02" in response.content.decode()
    assert count_queries(lambda: client.get(PERSON_PAGES["detail"](person))) == few


def test_the_test_form_offers_only_the_episodes_of_that_person(client_for, police, person, neighbour):
    own = EpisodeFactory(person=person)
    EpisodeFactory(person=neighbour)
    response = client_for(police).get(PERSON_PAGES["test_create"](person))
    assert list(response.context["form"].fields["episode"].queryset) == [own]


def test_a_khom_officer_cannot_post_a_new_person(client_for, khom_officer, khom):
    response = client_for(khom_officer).post(reverse("subjects:create"), person_data(khom))
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_an_edit_opened_before_a_move_is_refused_instead_of_writing_the_old_khom_back(client, police, khom, person):
    from apps.subjects.choices import MoveKind
    from tests.factories.khom import KhomFactory

    other = KhomFactory(ward=khom.ward, code="K99")
    opened = person_data(khom, gender=Gender.MALE, date_of_birth="17/05/1990", cccd=person.cccd,
                         version=person.version, full_name=person.full_name)
    client.force_login(police)
    moved = client.post(reverse("subjects:move_create", args=[person.pk]), {
        "moved_on": "01/02/2026", "kind": MoveKind.WITHIN_WARD, "to_khom": other.pk, "new_address": "5 hẻm Mới"})
    assert moved.status_code == 302
    stale = client.post(PERSON_PAGES["edit"](person), opened)
    assert stale.status_code == 200 and str(STALE_VERSION) in stale.context["form"].non_field_errors()
    person.refresh_from_db()
    assert (person.khom, person.address) == (other, "5 hẻm Mới")
