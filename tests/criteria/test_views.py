"""Criteria pages: login, role (403), scope (404), happy paths, query counts, evidence download."""
import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.criteria import services
from apps.criteria.choices import AssessmentStatus
from apps.criteria.models import EVIDENCE_BAD_TYPE, EVIDENCE_TOO_LARGE, Assessment, AssessmentItem, Evidence
from apps.khom.choices import DrugFreeStatus
from tests.criteria.conftest import PDF, approved, judge_manual, make_passing, submitted
from tests.factories.khom import KhomFactory
from tests.factories.subjects import EpisodeFactory, PersonFactory, seeded_kind


def _login_redirect(response):
    return response.status_code == 302 and reverse("login") in response["Location"]


def _manual_item(assessment):
    return assessment.items.get(criterion__kind="manual")


def _evidence(assessment, user):
    return services.evidence_add(user=user, item=_manual_item(assessment),
                                 upload=SimpleUploadedFile("bien-ban.pdf", PDF))


# ---------------------------------------------------------------- list
def test_list_redirects_anonymous_users_to_login(client, db):
    assert _login_redirect(client.get(reverse("criteria:list")))


def test_list_is_forbidden_to_province_viewers(client_for, province):
    assert client_for(province).get(reverse("criteria:list")).status_code == 403


def test_list_shows_only_assessments_in_scope(client_for, khom_officer, assessment, khom2_assessment,
                                              other_assessment):
    response = client_for(khom_officer).get(reverse("criteria:list"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [assessment]


def test_list_filters_by_year_status_and_khom(client_for, police, assessment, khom2_assessment, khom2):
    client = client_for(police)
    assert len(client.get(reverse("criteria:list"), {"year": 2025}).context["object_list"]) == 2
    assert len(client.get(reverse("criteria:list"), {"year": 2026}).context["object_list"]) == 0
    assert list(client.get(reverse("criteria:list"), {"khom": khom2.pk}).context["object_list"]) == [khom2_assessment]
    submitted(assessment, police)
    assert list(client.get(reverse("criteria:list"), {"status": "submitted"}).context["object_list"]) == [assessment]


def test_list_query_count_does_not_grow_with_rows(client_for, police, ward, khom_set, count_queries):
    client = client_for(police)
    for _ in range(2):
        services.assessment_create(user=police, data={"criteria_set": khom_set, "khom": KhomFactory(ward=ward),
                                                    "year": 2025})
    small = count_queries(lambda: client.get(reverse("criteria:list")))
    for _ in range(12):
        services.assessment_create(user=police, data={"criteria_set": khom_set, "khom": KhomFactory(ward=ward),
                                                    "year": 2025})
    large = count_queries(lambda: client.get(reverse("criteria:list")))
    assert small == large


# ---------------------------------------------------------------- create
def test_create_page_is_forbidden_to_province_viewers(client_for, province):
    # Khóm officers open their own khóm's assessment since issue 17 §5 (tests/criteria/test_four_eyes.py).
    assert client_for(province).get(reverse("criteria:create")).status_code == 403


def test_police_open_an_assessment_of_a_khom_in_their_ward(client_for, police, khom, khom_set):
    response = client_for(police).post(reverse("criteria:create"),
                                       {"criteria_set": khom_set.pk, "year": 2025, "khom": khom.pk})
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("criteria:detail", args=[assessment.pk])
    assert assessment.items.count() == 6 and assessment.ward_id == khom.ward_id


def test_police_cannot_choose_a_khom_of_another_ward(client_for, police, other_khom, khom_set):
    response = client_for(police).post(reverse("criteria:create"),
                                       {"criteria_set": khom_set.pk, "year": 2025, "khom": other_khom.pk})
    assert response.status_code == 200 and response.context["form"].errors["khom"]
    assert not Assessment.objects.exists()


# ---------------------------------------------------------------- detail
def test_detail_redirects_anonymous_users_to_login(client, assessment):
    assert _login_redirect(client.get(reverse("criteria:detail", args=[assessment.pk])))


def test_detail_is_forbidden_to_province_viewers(client_for, province, assessment):
    assert client_for(province).get(reverse("criteria:detail", args=[assessment.pk])).status_code == 403


def test_khom_officer_cannot_open_another_khoms_assessment(client_for, khom_officer, khom2_assessment):
    response = client_for(khom_officer).get(reverse("criteria:detail", args=[khom2_assessment.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_id=str(khom2_assessment.pk)).exists()


def test_police_cannot_open_another_wards_assessment(client_for, police, other_assessment):
    assert client_for(police).get(reverse("criteria:detail", args=[other_assessment.pk])).status_code == 404


def test_detail_shows_live_figures_and_is_audited(client_for, police, assessment, khom):
    EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("addict"), started_on=dt.date(2025, 3, 1))
    response = client_for(police).get(reverse("criteria:detail", args=[assessment.pk]))
    assert response.status_code == 200
    rows = {row.criterion.code: row for row in response.context["rows"]}
    assert rows["1"].figure == 1 and rows["1"].passed is False
    assert rows["4"].figure == 95.0 and rows["4"].passed is True
    assert "95,0 %" in response.content.decode()  # Vietnamese decimal comma
    assert AuditEvent.objects.filter(action="view", object_type="criteria.assessment",
                                     object_id=str(assessment.pk)).count() == 1


# ---------------------------------------------------------------- manual items and evidence upload
def _item_url(assessment, item):
    return reverse("criteria:item", args=[assessment.pk, item.pk])


def _item_post(item, **data):
    return {f"item{item.pk}-{key}": value for key, value in data.items()}


def test_khom_officer_fills_a_manual_item_of_his_khom_with_evidence(client_for, khom_officer, assessment):
    item = _manual_item(assessment)
    data = _item_post(item, passed="yes", note="Tổ tự quản họp hằng tháng",
                      evidence=SimpleUploadedFile("bien-ban.pdf", PDF))
    response = client_for(khom_officer).post(_item_url(assessment, item), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.passed is True and item.note == "Tổ tự quản họp hằng tháng" and item.updated_by == khom_officer
    assert bytes(item.evidence.get().data) == PDF


def test_khom_officer_cannot_fill_another_khoms_item(client_for, khom_officer, khom2_assessment):
    item = _manual_item(khom2_assessment)
    response = client_for(khom_officer).post(_item_url(khom2_assessment, item), _item_post(item, passed="yes"))
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.passed is None


def test_item_update_is_forbidden_to_province_and_redirects_anonymous(client, client_for, province, assessment):
    item = _manual_item(assessment)
    assert _login_redirect(client.post(_item_url(assessment, item), _item_post(item, passed="yes")))
    assert client_for(province).post(_item_url(assessment, item), _item_post(item, passed="yes")).status_code == 403


def test_an_oversize_upload_is_refused_writes_nothing_and_keeps_the_note(client_for, khom_officer, assessment):
    item = _manual_item(assessment)
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * (5 * 1024 * 1024 + 1))
    response = client_for(khom_officer).post(_item_url(assessment, item),
                                             _item_post(item, passed="yes", note="Ghi chú dài", evidence=big))
    assert response.status_code == 400
    assert str(EVIDENCE_TOO_LARGE) in response.content.decode()
    assert "Ghi chú dài" in response.content.decode()
    item.refresh_from_db()
    assert item.passed is None and item.note == "" and not Evidence.objects.exists()


def test_a_disallowed_file_type_is_refused(client_for, khom_officer, assessment):
    item = _manual_item(assessment)
    response = client_for(khom_officer).post(
        _item_url(assessment, item),
        _item_post(item, passed="yes", evidence=SimpleUploadedFile("trang.html", b"<html></html>")))
    assert response.status_code == 400 and str(EVIDENCE_BAD_TYPE) in response.content.decode()
    assert not Evidence.objects.exists()


# ---------------------------------------------------------------- evidence download
def test_evidence_download_returns_the_bytes_as_an_attachment_and_is_audited(client_for, khom_officer, police,
                                                                            assessment):
    evidence = _evidence(assessment, police)
    response = client_for(khom_officer).get(reverse("criteria:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response.content == PDF and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="export", object_type="criteria.evidence",
                                     object_id=str(evidence.pk), user=khom_officer).exists()


def test_evidence_cannot_be_downloaded_out_of_scope(client_for, other_police, police, khom2, assessment,
                                                    khom_officer, khom2_assessment):
    evidence = _evidence(khom2_assessment, police)
    assert client_for(other_police).get(reverse("criteria:evidence", args=[evidence.pk])).status_code == 404
    assert client_for(khom_officer).get(reverse("criteria:evidence", args=[evidence.pk])).status_code == 404


def test_evidence_download_is_forbidden_to_province_and_redirects_anonymous(client, client_for, province, police,
                                                                            assessment):
    evidence = _evidence(assessment, police)
    assert _login_redirect(client.get(reverse("criteria:evidence", args=[evidence.pk])))
    assert client_for(province).get(reverse("criteria:evidence", args=[evidence.pk])).status_code == 403


# ---------------------------------------------------------------- submit, approve, return
def test_submit_is_forbidden_to_province_viewers(client_for, province, assessment):
    # Khóm officers submit their own khóm's assessment since issue 17 §5 (tests/criteria/test_four_eyes.py).
    response = client_for(province).post(reverse("criteria:submit", args=[assessment.pk]),
                                             {"version": assessment.version})
    assert response.status_code == 403


def test_police_submit_and_the_figures_are_frozen(client_for, police, assessment):
    judge_manual(assessment, police)
    assessment.refresh_from_db()
    response = client_for(police).post(reverse("criteria:submit", args=[assessment.pk]),
                                       {"version": assessment.version})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED and len(assessment.snapshot["items"]) == 6


def test_submit_with_an_unjudged_manual_item_shows_the_reason(client_for, police, assessment):
    response = client_for(police).post(reverse("criteria:submit", args=[assessment.pk]),
                                       {"version": assessment.version})
    assert response.status_code == 400
    assert "Còn tiêu chí thủ công chưa được đánh giá" in response.content.decode()


def test_police_cannot_approve(client_for, police, assessment):
    submitted(assessment, police)
    response = client_for(police).post(reverse("criteria:decide", args=[assessment.pk]),
                                       {"version": assessment.version, "decision": "approve"})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_leadership_of_another_ward_gets_404(client_for, other_police, other_assessment, police):
    from tests.factories.accounts import UserFactory
    from apps.accounts.choices import Role

    leader_a = UserFactory(username="leader_a", role=Role.LEADERSHIP, wards=[police.wards.get()])
    response = client_for(leader_a).post(reverse("criteria:decide", args=[other_assessment.pk]),
                                         {"version": 1, "decision": "approve"})
    assert response.status_code == 404


def test_leadership_approves(client_for, leader, police, assessment):
    submitted(assessment, police)
    response = client_for(leader).post(reverse("criteria:decide", args=[assessment.pk]),
                                       {"version": assessment.version, "decision": "approve", "comments": "Đồng ý"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED and assessment.comments == "Đồng ý"


def test_leadership_returning_without_comments_is_refused(client_for, leader, police, assessment):
    submitted(assessment, police)
    response = client_for(leader).post(reverse("criteria:decide", args=[assessment.pk]),
                                       {"version": assessment.version, "decision": "return", "comments": ""})
    assert response.status_code == 400
    assert str(services.RETURN_NEEDS_COMMENTS) in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


# ---------------------------------------------------------------- recognition
def test_leadership_records_recognition_and_the_khom_becomes_recognised(client_for, leader, police, assessment,
                                                                        khom):
    approved(assessment, police, leader)
    today = dt.date.today()
    response = client_for(leader).post(reverse("criteria:recognise", args=[assessment.pk]), {
        "decision_number": "15/QĐ-UBND", "decided_on": (today - dt.timedelta(days=3)).isoformat(),
        "valid_until": (today + dt.timedelta(days=365)).isoformat()})
    assert response.status_code == 302
    khom.refresh_from_db()
    assert khom.status == DrugFreeStatus.RECOGNISED
    recognition = assessment.recognitions.get()
    response = client_for(leader).post(reverse("criteria:revoke", args=[recognition.pk]),
                                       {"revoked_on": today.isoformat(), "reason": "Phát sinh người nghiện mới"})
    assert response.status_code == 302
    khom.refresh_from_db()
    assert khom.status == DrugFreeStatus.REVOKED


def test_police_cannot_record_recognition(client_for, police, leader, assessment):
    approved(assessment, police, leader)
    response = client_for(police).post(reverse("criteria:recognise", args=[assessment.pk]), {
        "decision_number": "1", "decided_on": "2026-01-01", "valid_until": "2026-12-31"})
    assert response.status_code == 403


# ---------------------------------------------------------------- roadmap
def test_roadmap_redirects_anonymous_users(client, db):
    assert _login_redirect(client.get(reverse("criteria:roadmap")))


def test_roadmap_shows_each_khom_and_the_criteria_it_still_fails(client_for, leader, ward, khom, khom2):
    make_passing(khom, 2025)
    response = client_for(leader).get(reverse("criteria:roadmap"), {"year": 2025})
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.context["roadmap"]["khoms"]}
    assert [f["code"] for f in rows["A01"]["failing"]] == ["6"]  # only the manual item awaits an assessment
    assert [f["code"] for f in rows["A02"]["failing"]] == ["4", "5", "6"]
    assert "Khóm A02" in response.content.decode()


def test_roadmap_counts_targeted_and_recognised_per_year(client_for, leader, ward):
    from tests.factories.criteria import RecognitionFactory

    khoms = [KhomFactory(ward=ward, target_year=2025) for _ in range(4)] + [KhomFactory(ward=ward, target_year=2029)]
    RecognitionFactory(khom=khoms[0], year=2025)
    data = client_for(leader).get(reverse("criteria:roadmap")).context["roadmap"]
    year_2025 = data["years"][0]
    assert (year_2025["planned"], year_2025["recognised"]) == (4, 1)
    assert data["years"][4]["cumulative"] == 5


def test_roadmap_shares_of_all_khom_are_rounded_half_up(client_for, leader, ward):
    # Shares to one decimal: 1 of 16 khóm = 6.25 % → 6.3 % (to even: 6.2); 3 of 16 = 18.75 % → 18.8 %.
    for year in [2025] + [2026] * 2 + [2027] * 13:
        KhomFactory(ward=ward, target_year=year)
    years = client_for(leader).get(reverse("criteria:roadmap")).context["roadmap"]["years"]
    assert [row["cumulative_percent"] for row in years[:3]] == [6.3, 18.8, 100]


def test_province_viewer_sees_the_roadmap_per_ward_without_khom_rows(client_for, province, ward, other_ward, khom,
                                                                     other_khom):
    EpisodeFactory(person=PersonFactory(khom=khom, full_name="Trần Văn Bí Mật"), kind=seeded_kind("addict"),
                   started_on=dt.date(2025, 2, 1))
    response = client_for(province).get(reverse("criteria:roadmap"), {"year": 2025})
    assert response.status_code == 200
    data = response.context["roadmap"]
    assert data["khoms"] == [] and {w["name"] for w in data["wards"]} == {"Phường A", "Phường B"}
    assert "Bí Mật" not in response.content.decode()


def test_roadmap_query_count_does_not_grow_with_khom(client_for, leader, ward, count_queries):
    client = client_for(leader)
    KhomFactory.create_batch(2, ward=ward)
    small = count_queries(lambda: client.get(reverse("criteria:roadmap")))
    KhomFactory.create_batch(15, ward=ward)
    large = count_queries(lambda: client.get(reverse("criteria:roadmap")))
    assert small == large


def test_menu_links_the_criteria_list_for_roles_with_the_permission(client_for, police, province):
    assert reverse("criteria:list") in client_for(police).get(reverse("criteria:roadmap")).content.decode()


def test_assessment_items_are_not_editable_through_the_page_after_approval(client_for, leader, police, assessment):
    approved(assessment, police, leader)
    item = _manual_item(assessment)
    response = client_for(police).post(_item_url(assessment, item), _item_post(item, passed="no", note="x"))
    assert response.status_code == 400
    assert re.search("không thể sửa", response.content.decode())
    assert AssessmentItem.objects.get(pk=item.pk).passed is True


def test_detail_query_count_does_not_grow_with_evidence_files(client_for, police, assessment, count_queries):
    client = client_for(police)
    url = reverse("criteria:detail", args=[assessment.pk])
    _evidence(assessment, police)
    small = count_queries(lambda: client.get(url))
    for _ in range(5):
        _evidence(assessment, police)
    large = count_queries(lambda: client.get(url))
    assert small == large
