"""Pages of apps.activities: login, role, scope, happy paths, constant query counts."""
import pytest
from django.urls import reverse

from apps.activities.models import Activity, CommitmentSigning, ReintegrationModel
from apps.activities.services import WHOLE_WARD_NOT_ALLOWED
from apps.core.models import AuditEvent
from tests.factories.activities import ActivityFactory, CommitmentSigningFactory, ReintegrationModelFactory

LIST_URLS = ["activities:list", "activities:commitments", "activities:reintegration"]
CREATE_URLS = ["activities:create", "activities:commitment_create", "activities:reintegration_create"]
EDIT = [
    ("activities:edit", ActivityFactory),
    ("activities:commitment_edit", CommitmentSigningFactory),
    ("activities:reintegration_edit", ReintegrationModelFactory),
]


@pytest.mark.parametrize("name", LIST_URLS + CREATE_URLS)
def test_anonymous_users_are_sent_to_the_login_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", LIST_URLS + CREATE_URLS)
def test_province_viewers_are_refused_every_activities_page(client_for, province, name):
    assert client_for(province).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name,factory", EDIT)
def test_province_viewers_are_refused_the_edit_pages(client_for, province, khom, name, factory):
    obj = factory(khom=khom)
    assert client_for(province).get(reverse(name, args=[obj.pk])).status_code == 403


@pytest.mark.parametrize("name,factory", EDIT)
def test_anonymous_users_are_sent_to_login_from_edit_pages(client, khom, name, factory):
    obj = factory(khom=khom)
    response = client.get(reverse(name, args=[obj.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name,factory", EDIT)
def test_a_record_of_another_ward_answers_404(client_for, police, other_khom, name, factory):
    obj = factory(khom=other_khom)
    assert client_for(police).get(reverse(name, args=[obj.pk])).status_code == 404


@pytest.mark.parametrize("name,factory", EDIT)
def test_a_khom_officer_gets_404_for_another_khom_of_his_ward(client_for, khom_officer, khom2, name, factory):
    obj = factory(khom=khom2)
    assert client_for(khom_officer).get(reverse(name, args=[obj.pk])).status_code == 404


def test_the_activity_list_shows_only_the_users_ward(client_for, police, khom, other_khom):
    mine = ActivityFactory(khom=khom, topic="Buổi của phường A")
    ActivityFactory(khom=other_khom, topic="Buổi của phường B")
    response = client_for(police).get(reverse("activities:list"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [mine]


def test_a_khom_officer_sees_only_his_khom_not_whole_ward_sessions(client_for, khom_officer, khom, khom2, ward):
    mine = ActivityFactory(khom=khom)
    ActivityFactory(khom=khom2)
    ActivityFactory(khom=None, ward=ward)
    response = client_for(khom_officer).get(reverse("activities:list"))
    assert list(response.context["object_list"]) == [mine]


def test_the_activity_list_filters_by_kind_khom_and_dates(client_for, leader, khom, khom2):
    import datetime as dt

    match = ActivityFactory(khom=khom, kind="education", held_on=dt.date(2025, 6, 1))
    ActivityFactory(khom=khom, kind="propaganda", held_on=dt.date(2025, 6, 1))
    ActivityFactory(khom=khom2, kind="education", held_on=dt.date(2025, 6, 1))
    ActivityFactory(khom=khom, kind="education", held_on=dt.date(2024, 6, 1))
    response = client_for(leader).get(reverse("activities:list"), {
        "kind": "education", "khom": khom.pk, "date_from": "01/01/2025", "date_to": "31/12/2025"})
    assert list(response.context["object_list"]) == [match]


@pytest.mark.parametrize("name,factory", [
    ("activities:list", ActivityFactory),
    ("activities:commitments", CommitmentSigningFactory),
    ("activities:reintegration", ReintegrationModelFactory),
])
def test_list_pages_issue_the_same_number_of_queries_at_two_sizes(client_for, police, khom, count_queries,
                                                                   name, factory):
    client = client_for(police)
    url = reverse(name)
    factory(khom=khom)
    client.get(url)  # warm the session and permission caches
    small = count_queries(lambda: client.get(url))
    factory.create_batch(30, khom=khom)
    large = count_queries(lambda: client.get(url))
    assert small == large
    assert len(client.get(url).context["object_list"]) == 31


def _activity_post(**overrides):
    data = {"kind": "propaganda", "held_on": "15/05/2025", "topic": "Tác hại của ma túy", "audience": "residents",
            "participants": "45", "organiser": "Công an phường", "location": "Nhà văn hóa", "notes": ""}
    data.update(overrides)
    return data


def test_police_record_a_whole_ward_session_and_it_is_audited(client_for, police, ward):
    response = client_for(police).post(reverse("activities:create"), _activity_post(ward=ward.pk, khom=""))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.khom is None and activity.ward == ward and activity.created_by == police
    event = AuditEvent.objects.get(object_type="activities.activity", action="create")
    assert event.ward_id == ward.pk and event.changes["topic"] == [None, "Tác hại của ma túy"]


def test_a_khom_officer_records_a_session_for_his_khom_without_choosing_the_ward(client_for, khom_officer, khom):
    client = client_for(khom_officer)
    form = client.get(reverse("activities:create")).context["form"]
    assert "ward" not in form.fields
    assert list(form.fields["khom"].queryset) == [khom]
    response = client.post(reverse("activities:create"), _activity_post(khom=khom.pk))
    assert response.status_code == 302
    assert Activity.objects.get().ward == khom.ward


def test_a_khom_officer_cannot_record_for_another_khom_and_nothing_is_written(client_for, khom_officer, khom2):
    response = client_for(khom_officer).post(reverse("activities:create"), _activity_post(khom=khom2.pk))
    assert response.status_code == 200
    assert "khom" in response.context["form"].errors
    assert response.context["form"]["topic"].value() == "Tác hại của ma túy"
    assert not Activity.objects.exists()


def test_a_khom_officer_cannot_record_a_whole_ward_session(client_for, khom_officer):
    response = client_for(khom_officer).post(reverse("activities:create"), _activity_post(khom=""))
    assert response.status_code == 200
    assert response.context["form"].errors["khom"]
    assert not Activity.objects.exists()


def test_a_session_whose_khom_is_not_in_the_chosen_ward_is_refused(client_for, admin_user, ward, other_khom):
    response = client_for(admin_user).post(reverse("activities:create"), _activity_post(ward=ward.pk, khom=other_khom.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["khom"]
    assert not Activity.objects.exists()


def test_editing_a_session_records_the_change_and_bumps_the_version(client_for, police, khom):
    activity = ActivityFactory(khom=khom, participants=40)
    response = client_for(police).post(reverse("activities:edit", args=[activity.pk]), _activity_post(
        ward=khom.ward_id, khom=khom.pk, participants="80", version=activity.version))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.participants == 80 and activity.version == 2
    event = AuditEvent.objects.get(object_type="activities.activity", action="update")
    assert event.changes["participants"] == [40, 80]


def test_a_stale_edit_is_refused_and_keeps_what_the_user_typed(client_for, police, khom):
    activity = ActivityFactory(khom=khom, participants=40)
    Activity.objects.filter(pk=activity.pk).update(version=5)
    response = client_for(police).post(reverse("activities:edit", args=[activity.pk]), _activity_post(
        ward=khom.ward_id, khom=khom.pk, participants="80", version=1))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["participants"].value() == "80"
    activity.refresh_from_db()
    assert activity.participants == 40


def test_a_commitment_with_more_signed_than_total_households_is_refused(client_for, police, khom):
    response = client_for(police).post(reverse("activities:commitment_create"), {
        "khom": khom.pk, "signed_on": "15/04/2025", "households_signed": "600", "households_total": "500"})
    assert response.status_code == 200
    assert "Số hộ đã ký cam kết không được lớn hơn tổng số hộ." in str(response.context["form"].errors)
    assert not CommitmentSigning.objects.exists()


def test_a_khom_officer_records_the_commitments_of_his_khom(client_for, khom_officer, khom):
    response = client_for(khom_officer).post(reverse("activities:commitment_create"), {
        "khom": khom.pk, "signed_on": "15/04/2025", "households_signed": "470", "households_total": "500"})
    assert response.status_code == 302
    signing = CommitmentSigning.objects.get()
    assert signing.percent == 94.0
    assert AuditEvent.objects.filter(object_type="activities.commitmentsigning", action="create").exists()


def test_editing_a_commitment_is_audited(client_for, leader, khom):
    signing = CommitmentSigningFactory(khom=khom, households_signed=400)
    response = client_for(leader).post(reverse("activities:commitment_edit", args=[signing.pk]), {
        "khom": khom.pk, "signed_on": signing.signed_on.strftime("%d/%m/%Y"), "households_signed": "480",
        "households_total": "500", "version": "1"})
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="update").changes["households_signed"] == [400, 480]


def test_a_reintegration_model_is_recorded_and_edited(client_for, police, ward, khom):
    client = client_for(police)
    response = client.post(reverse("activities:reintegration_create"), {
        "name": "Tổ may gia công", "ward": ward.pk, "khom": khom.pk, "started_on": "01/06/2025",
        "people_supported": "6"})
    assert response.status_code == 302
    model = ReintegrationModel.objects.get()
    response = client.post(reverse("activities:reintegration_edit", args=[model.pk]), {
        "name": "Tổ may gia công", "ward": ward.pk, "khom": khom.pk, "started_on": "01/06/2025",
        "ended_on": "01/06/2026", "people_supported": "9", "version": "1"})
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.people_supported == 9
    assert AuditEvent.objects.filter(object_type="activities.reintegrationmodel").count() == 2


def test_a_reintegration_model_cannot_end_before_it_starts(client_for, police, ward):
    response = client_for(police).post(reverse("activities:reintegration_create"), {
        "name": "Tổ may", "ward": ward.pk, "khom": "", "started_on": "01/06/2025", "ended_on": "01/01/2025",
        "people_supported": "6"})
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in str(response.context["form"].errors)
    assert not ReintegrationModel.objects.exists()


@pytest.mark.parametrize("name", CREATE_URLS)
def test_create_pages_render_for_ward_staff(client_for, leader, name):
    response = client_for(leader).get(reverse(name))
    assert response.status_code == 200
    assert "<label" in response.content.decode()


def test_the_whole_ward_rule_message_is_vietnamese():
    assert str(WHOLE_WARD_NOT_ALLOWED).startswith("Cán bộ khóm")


@pytest.mark.parametrize("name,tab_url", [("activities:list", "activities:list"),
                                          ("activities:commitments", "activities:commitments"),
                                          ("activities:reintegration", "activities:reintegration")])
def test_each_list_marks_its_own_tab_active(client_for, leader, name, tab_url):
    content = client_for(leader).get(reverse(name)).content.decode()
    assert f'nav-link active" href="{reverse(tab_url)}"' in content
