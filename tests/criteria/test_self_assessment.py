"""The unit's self-assessment to the province (issue 17 §3): ward leadership submits it frozen, the province officer
returns it with comments or forwards it, province leadership approves the classification and recognises, refuses
or later revokes; every step audited; the province roadmap counts the recognition for its year."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.choices import Role
from apps.core.models import AuditEvent
from apps.criteria import services
from apps.criteria.choices import CriteriaScope, SelfAssessmentStatus
from apps.criteria.models import WardSelfAssessment
from apps.criteria.selectors import province_roadmap
from apps.notifications.models import Notification
from tests.criteria.conftest import PDF, judge_manual
from tests.factories.accounts import UserFactory
from tests.factories.criteria import WardSelfAssessmentFactory, seeded_set


@pytest.fixture
def ward_assessment(ward, police, leader):
    """The ward's 2025 assessment against the seeded ward drug-free set, with an evidence file, approved."""
    assessment = services.assessment_create(user=police, data={"criteria_set": seeded_set(CriteriaScope.WARD),
                                                               "ward": ward, "year": 2025})
    judge_manual(assessment, police)
    services.evidence_add(user=police, item=assessment.items.get(criterion__kind="manual"),
                          upload=SimpleUploadedFile("quy-che-bcd.pdf", PDF))
    assessment.refresh_from_db()
    services.assessment_submit(user=police, assessment=assessment, expected_version=assessment.version)
    assessment.refresh_from_db()
    services.assessment_approve(user=leader, assessment=assessment, expected_version=assessment.version, data={})
    return assessment


@pytest.fixture
def draft(ward, leader):
    return services.self_assessment_create(user=leader, data={"ward": ward, "year": 2025,
                                                              "summary": "Phường tự đánh giá đạt."})


def _fresh(sa):
    return WardSelfAssessment.objects.get(pk=sa.pk)


def _submit(client, sa):
    sa = _fresh(sa)
    return client.post(reverse("criteria:self_assessment_submit", args=[sa.pk]), {"version": sa.version})


def _review(client, sa, decision, comments=""):
    sa = _fresh(sa)
    return client.post(reverse("criteria:self_assessment_review", args=[sa.pk]),
                       {"version": sa.version, "decision": decision, "comments": comments})


def _decide(client, sa, **data):
    sa = _fresh(sa)
    return client.post(reverse("criteria:self_assessment_decide", args=[sa.pk]), {"version": sa.version, **data})


# ---------------------------------------------------------------- the must-hold: returned, resubmitted, recognised
def test_returned_with_comments_resubmitted_recognised_and_counted_by_the_province_roadmap(
        client_for, leader, province_officer, province_leadership, ward, ward_assessment, draft, khom):
    assert province_roadmap(province_leadership, 2025)["selected"]["recognised"] == 0
    assert _submit(client_for(leader), draft).status_code == 302
    sa = _fresh(draft)
    assert sa.status == SelfAssessmentStatus.SUBMITTED and sa.submitted_by == leader
    assert sa.snapshot["criteria"]["assessment"] == ward_assessment.pk and sa.snapshot["khoms_total"] == 1
    assert "classification" in sa.snapshot and sa.snapshot["evidence"][0]["filename"] == "quy-che-bcd.pdf"
    assert sa.snapshot["period"] == {"year": 2025, "start": "2024-12-15", "end": "2025-12-14"}

    response = _review(client_for(province_officer), sa, "return", "Bổ sung biên bản họp Ban Chỉ đạo.")
    assert response.status_code == 302
    sa = _fresh(sa)
    assert sa.status == SelfAssessmentStatus.RETURNED and sa.review_comments == "Bổ sung biên bản họp Ban Chỉ đạo."
    # The ward sees the comments on its page and answers them.
    client = client_for(leader)
    assert "Bổ sung biên bản họp Ban Chỉ đạo." in client.get(sa.get_absolute_url()).content.decode()
    response = client.post(reverse("criteria:self_assessment_edit", args=[sa.pk]),
                           {"summary": "Đã bổ sung biên bản.", "version": sa.version})
    assert response.status_code == 302
    assert _submit(client, sa).status_code == 302
    assert _fresh(sa).status == SelfAssessmentStatus.SUBMITTED

    assert _review(client_for(province_officer), sa, "forward").status_code == 302
    assert _fresh(sa).status == SelfAssessmentStatus.FORWARDED
    response = _decide(client_for(province_leadership), sa, decision="recognise", decision_number="15/QĐ-UBND",
                       decided_on="2026-01-12", valid_until="2026-12-31")
    assert response.status_code == 302
    sa = _fresh(sa)
    assert sa.status == SelfAssessmentStatus.RECOGNISED and sa.decided_by == province_leadership
    assert (sa.decision_number, sa.decided_on, sa.valid_until) == ("15/QĐ-UBND", dt.date(2026, 1, 12),
                                                                    dt.date(2026, 12, 31))
    # Counted for the year it was assessed for (2025), though decided in 2026.
    roadmap = province_roadmap(province_leadership, 2025)
    assert roadmap["selected"]["recognised"] == 1
    assert next(r for r in roadmap["years"] if r["year"] == 2026)["recognised"] == 0
    assert [w["recognised"] for w in roadmap["wards"] if w["id"] == ward.pk] == [True]
    transitions = list(AuditEvent.objects.filter(object_type="criteria.wardselfassessment", object_id=str(sa.pk),
                                                 action="update").order_by("id")
                       .values_list("extra__transition", flat=True))
    # the edit of the summary in between is audited too, without a transition
    assert transitions == ["submit", "returned", None, "submit", "forwarded", "recognised"]


def test_the_snapshot_stays_as_sent_when_the_data_changes_afterwards(leader, ward, ward_assessment, draft, khom):
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    sent = _fresh(draft).snapshot
    from tests.factories.khom import KhomFactory

    KhomFactory(ward=ward, code="A09")
    assert _fresh(draft).snapshot == sent and sent["khoms_total"] == 1


def test_submission_needs_the_wards_approved_criteria_assessment(leader, draft):
    with pytest.raises(ValidationError) as error:
        services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    assert "2025" in error.value.messages[0]
    assert _fresh(draft).status == SelfAssessmentStatus.DRAFT


def test_a_submitted_self_assessment_can_no_longer_be_edited(leader, ward_assessment, draft):
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    sa = _fresh(draft)
    with pytest.raises(ValidationError):
        services.self_assessment_update(user=leader, self_assessment=sa, data={"summary": "x"},
                                        expected_version=sa.version)


def test_the_return_needs_comments(client_for, leader, province_officer, ward_assessment, draft):
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    sa = _fresh(draft)
    with pytest.raises(ValidationError) as error:
        services.self_assessment_return(user=province_officer, self_assessment=sa, expected_version=sa.version,
                                        data={"comments": "  "})
    assert error.value.message_dict["comments"] == [str(services.SELF_RETURN_NEEDS_COMMENTS)]
    response = _review(client_for(province_officer), sa, "return")
    assert response.status_code == 302 and _fresh(sa).status == SelfAssessmentStatus.SUBMITTED


# ---------------------------------------------------------------- who may do which step
def test_each_step_belongs_to_its_role(leader, police, province_officer, province_leadership, ward_assessment, draft,
                                       other_ward):
    with pytest.raises(PermissionDenied):
        services.self_assessment_submit(user=police, self_assessment=draft, expected_version=draft.version)
    with pytest.raises(PermissionDenied):
        services.self_assessment_create(user=leader, data={"ward": other_ward, "year": 2025})
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    sa = _fresh(draft)
    for user in (leader, province_leadership):
        with pytest.raises(PermissionDenied):
            services.self_assessment_forward(user=user, self_assessment=sa, expected_version=sa.version, data={})
    with pytest.raises(ValidationError):  # not forwarded yet
        services.self_assessment_recognise(user=province_leadership, self_assessment=sa, expected_version=sa.version,
                                           data={"decision_number": "1/QĐ", "decided_on": dt.date(2026, 1, 12),
                                                 "valid_until": dt.date(2026, 12, 31)})
    services.self_assessment_forward(user=province_officer, self_assessment=sa, expected_version=sa.version, data={})
    sa = _fresh(sa)
    with pytest.raises(PermissionDenied):
        services.self_assessment_recognise(user=province_officer, self_assessment=sa, expected_version=sa.version,
                                           data={"decision_number": "1/QĐ", "decided_on": dt.date(2026, 1, 12),
                                                 "valid_until": dt.date(2026, 12, 31)})


def test_province_leadership_refuses_with_a_reason(province_leadership, province_officer, leader, ward_assessment,
                                                   draft, client_for, police):
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    sa = _fresh(draft)
    services.self_assessment_forward(user=province_officer, self_assessment=sa, expected_version=sa.version, data={})
    client = client_for(province_leadership)
    assert _decide(client, sa, decision="refuse").status_code == 302
    assert _fresh(sa).status == SelfAssessmentStatus.FORWARDED  # no reason: refused, nothing changed
    assert _decide(client, sa, decision="refuse", reason="Còn 2 người sử dụng trái phép").status_code == 302
    sa = _fresh(sa)
    assert sa.status == SelfAssessmentStatus.REFUSED and sa.refusal_reason == "Còn 2 người sử dụng trái phép"
    assert province_roadmap(province_leadership, 2025)["selected"]["recognised"] == 0
    # The ward's leadership and police are told (whoever decided is not).
    told = Notification.objects.filter(kind="recognition_refused", object_id=str(sa.pk))
    assert set(told.values_list("recipient__username", flat=True)) >= {leader.username, police.username}
    assert not told.filter(recipient=province_leadership).exists()


def test_a_recognition_is_revoked_later_with_its_reason_and_no_longer_counts(
        province_leadership, province_officer, leader, ward_assessment, draft, client_for):
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    sa = _fresh(draft)
    services.self_assessment_forward(user=province_officer, self_assessment=sa, expected_version=sa.version, data={})
    sa = _fresh(sa)
    services.self_assessment_recognise(user=province_leadership, self_assessment=sa, expected_version=sa.version,
                                       data={"decision_number": "15/QĐ-UBND", "decided_on": dt.date(2026, 1, 12),
                                             "valid_until": dt.date(2026, 12, 31)})
    sa = _fresh(sa)
    client = client_for(province_leadership)
    response = client.post(reverse("criteria:self_assessment_revoke", args=[sa.pk]),
                           {"version": sa.version, "revoked_on": "2026-01-11", "reason": "Phát hiện vi phạm"})
    assert response.status_code == 302 and _fresh(sa).status == SelfAssessmentStatus.RECOGNISED  # before the decision
    response = client.post(reverse("criteria:self_assessment_revoke", args=[sa.pk]),
                           {"version": sa.version, "revoked_on": "2026-03-01", "reason": "Phát hiện tụ điểm"})
    sa = _fresh(sa)
    assert sa.status == SelfAssessmentStatus.REVOKED and sa.revocation_reason == "Phát hiện tụ điểm"
    assert province_roadmap(province_leadership, 2025)["selected"]["recognised"] == 0
    told = Notification.objects.filter(kind="recognition_revoked", object_id=str(sa.pk))
    assert leader.username in set(told.values_list("recipient__username", flat=True))


def test_a_decision_dated_in_the_future_is_refused(province_leadership, province_officer, leader, ward_assessment,
                                                   draft, client_for):
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    sa = _fresh(draft)
    services.self_assessment_forward(user=province_officer, self_assessment=sa, expected_version=sa.version, data={})
    response = _decide(client_for(province_leadership), sa, decision="recognise", decision_number="1/QĐ",
                       decided_on="2099-01-01", valid_until="2099-12-31")
    assert response.status_code == 302 and _fresh(sa).status == SelfAssessmentStatus.FORWARDED


def test_a_stale_version_is_refused(leader, ward_assessment, draft):
    with pytest.raises(ValidationError):
        services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version + 5)


# ---------------------------------------------------------------- notifications
def test_the_steps_notify_the_next_in_line_and_the_ward(leader, police, province_officer, province_leadership,
                                                        ward_assessment, draft, other_police):
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    assert Notification.objects.filter(recipient=province_officer, kind="assessment_submitted").count() == 1
    sa = _fresh(draft)
    services.self_assessment_return(user=province_officer, self_assessment=sa, expected_version=sa.version,
                                    data={"comments": "Bổ sung"})
    assert set(Notification.objects.filter(kind="assessment_returned").values_list("recipient", flat=True)) == {
        leader.pk, police.pk}
    assert not Notification.objects.filter(recipient=other_police).exists()


# ---------------------------------------------------------------- pages: login, role, scope, happy path
def test_the_pages_redirect_anonymous_users(client, draft):
    for path in (reverse("criteria:self_assessment_list"), draft.get_absolute_url(),
                 reverse("criteria:self_assessment_create")):
        response = client.get(path)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_pages_are_forbidden_to_khom_officers(client_for, khom_officer, draft):
    client = client_for(khom_officer)
    assert client.get(reverse("criteria:self_assessment_list")).status_code == 403
    assert client.get(draft.get_absolute_url()).status_code == 403
    assert _submit(client, draft).status_code == 403


def test_another_wards_self_assessment_is_not_found(client_for, other_police, leader, draft):
    other_leader = UserFactory(username="t_leader_b", role=Role.LEADERSHIP, wards=list(other_police.wards.all()))
    assert client_for(other_leader).get(draft.get_absolute_url()).status_code == 404
    assert _submit(client_for(other_leader), draft).status_code == 404


def test_the_province_does_not_see_a_draft_but_sees_what_was_sent(client_for, province_officer, leader,
                                                                  ward_assessment, draft):
    client = client_for(province_officer)
    assert client.get(draft.get_absolute_url()).status_code == 404
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and response.context["can_review"]
    assert list(client.get(reverse("criteria:self_assessment_list")).context["object_list"]) == [_fresh(draft)]


def test_the_province_downloads_the_evidence_sent_and_nothing_else(client_for, province_officer, leader,
                                                                  ward_assessment, draft, assessment, police):
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    sent = _fresh(draft).snapshot["evidence"][0]["id"]
    client = client_for(province_officer)
    response = client.get(reverse("criteria:self_assessment_evidence", args=[draft.pk, sent]))
    assert response.status_code == 200 and response.content == PDF
    assert AuditEvent.objects.filter(action="export", object_type="criteria.evidence", user=province_officer).exists()
    # A khóm assessment's file is not part of what the ward sent.
    other = services.evidence_add(user=police, item=assessment.items.get(criterion__kind="manual"),
                                  upload=SimpleUploadedFile("khom.pdf", PDF))
    assert client.get(reverse("criteria:self_assessment_evidence", args=[draft.pk, other.pk])).status_code == 404
    assert client.get(reverse("criteria:evidence", args=[other.pk])).status_code == 403


def test_ward_leadership_opens_a_self_assessment_through_the_form(client_for, leader, ward):
    client = client_for(leader)
    assert client.get(reverse("criteria:self_assessment_create")).status_code == 200
    response = client.post(reverse("criteria:self_assessment_create"), {"ward": ward.pk, "year": 2025,
                                                                         "summary": "Tóm tắt"})
    sa = WardSelfAssessment.objects.get()
    assert response.status_code == 302 and response["Location"] == sa.get_absolute_url()
    response = client.post(reverse("criteria:self_assessment_create"), {"ward": ward.pk, "year": 2025})
    assert response.status_code == 200 and WardSelfAssessment.objects.count() == 1  # one per ward and year


def test_the_detail_page_shows_the_criteria_set_still_to_be_checked(client_for, leader, ward_assessment, draft):
    body = client_for(leader).get(draft.get_absolute_url()).content.decode()
    assert "cần đối chiếu văn bản gốc" in body and "quy-che-bcd.pdf" in body


def test_the_factory_draft_is_a_valid_row(ward):
    WardSelfAssessmentFactory(ward=ward).full_clean()


def test_the_province_sees_what_waits_for_it_in_the_navigation_and_the_list(client_for, leader, province_officer,
                                                                            province_leadership, ward_assessment,
                                                                            draft):
    assert "nav-waiting" not in client_for(province_officer).get(reverse("criteria:province")).content.decode()
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    client = client_for(province_officer)
    body = client.get(reverse("criteria:province")).content.decode()
    assert 'class="badge text-bg-warning nav-waiting">1<' in body and "?waiting=on" in body
    assert list(client.get(reverse("criteria:self_assessment_list"), {"waiting": "on"}).context["object_list"]) == [
        _fresh(draft)]
    # Province leadership: nothing yet (not forwarded).
    client = client_for(province_leadership)
    assert "nav-waiting" not in client.get(reverse("criteria:province")).content.decode()
    assert list(client.get(reverse("criteria:self_assessment_list"), {"waiting": "on"}).context["object_list"]) == []


def test_the_classification_is_frozen_on_submit_and_new_data_changes_only_the_live_one(
        client_for, leader, province_officer, ward, ward_assessment, draft, khom):
    import datetime as dt

    from apps.cases.models import Hotspot
    from apps.criteria.models import WardYearData
    from apps.criteria.selectors import ward_classifications

    WardYearData.objects.create(ward=ward, year=2025, residents=1000, on_drug_route=False)
    Hotspot.objects.create(ward=ward, khom=khom, address="Hẻm 1", kind="organising_use", found_on=dt.date(2025, 3, 1))
    assert _submit(client_for(leader), draft).status_code == 302
    sa = _fresh(draft)
    frozen = sa.snapshot["classification"]
    assert frozen["residents"] == 1000 and frozen["classification_set"]["code"] == "phan-loai-xa-qd28-dieu4"
    assert frozen["types"][1]["held"]["b"] is True and sa.classification_type == frozen["type"] == ""
    # Afterwards: a second place and a route make it type… the live figure moves, the frozen one stays.
    Hotspot.objects.create(ward=ward, khom=khom, address="Hẻm 2", kind="organising_use", found_on=dt.date(2025, 4, 1))
    live = ward_classifications([ward], 2025)[ward.pk]["json"]
    assert live["figures"]["count:organising_places"] == "2" and frozen["figures"]["count:organising_places"] == "1"
    response = client_for(province_officer).get(reverse("criteria:self_assessment_detail", args=[sa.pk]))
    assert response.context["contents"]["classification"] == frozen
    page = client_for(province_officer).get(reverse("criteria:classification", args=[ward.pk]), {"year": "2025"})
    assert page.context["frozen"] == frozen and page.context["result"].figures


def test_a_returned_self_assessment_shows_the_province_what_was_sent_and_the_ward_its_working_copy(
        client_for, leader, province_officer, ward, ward_assessment, draft, khom):
    from tests.factories.khom import KhomFactory

    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    sa = _fresh(draft)
    services.self_assessment_return(user=province_officer, self_assessment=sa, expected_version=sa.version,
                                    data={"comments": "Bổ sung biên bản."})
    KhomFactory(ward=ward, code="A09")            # the ward's data moves while it revises
    sent_evidence = _fresh(draft).snapshot["evidence"][0]["id"]

    province_page = client_for(province_officer).get(sa.get_absolute_url()).context
    assert province_page["frozen"] and province_page["contents"]["khoms_total"] == 1
    ward_page = client_for(leader).get(sa.get_absolute_url()).context
    assert not ward_page["frozen"] and ward_page["contents"]["khoms_total"] == 2
    download = reverse("criteria:self_assessment_evidence", args=[sa.pk, sent_evidence])
    assert client_for(province_officer).get(download).status_code == 200


def test_a_year_whose_assessment_period_has_not_begun_is_not_assessed(leader, police, ward, monkeypatch):
    from django.utils import timezone

    # 14/12/2026 is the last day of the 2026 period; 2027 begins on 15/12/2026.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 14, 12, tzinfo=dt.timezone.utc))
    with pytest.raises(ValidationError) as error:
        services.self_assessment_create(user=leader, data={"ward": ward, "year": 2027})
    assert error.value.message_dict["year"] == [
        "Kỳ đánh giá năm 2027 chưa bắt đầu (từ ngày 15/12/2026): chưa đánh giá được năm này."]
    with pytest.raises(ValidationError):
        services.assessment_create(user=police, data={"criteria_set": seeded_set(CriteriaScope.WARD),
                                                      "ward": ward, "year": 2027})
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 15, 12, tzinfo=dt.timezone.utc))
    assert services.self_assessment_create(user=leader, data={"ward": ward, "year": 2027}).year == 2027


def test_a_recognition_is_decided_after_its_assessment_period_ends(province_leadership, province_officer, leader,
                                                                   ward_assessment, draft):
    services.self_assessment_submit(user=leader, self_assessment=draft, expected_version=draft.version)
    sa = _fresh(draft)
    services.self_assessment_forward(user=province_officer, self_assessment=sa, expected_version=sa.version, data={})
    sa = _fresh(sa)
    data = {"decision_number": "15/QĐ-UBND", "decided_on": dt.date(2025, 12, 14), "valid_until": dt.date(2026, 12, 31)}
    with pytest.raises(ValidationError) as error:
        services.self_assessment_recognise(user=province_leadership, self_assessment=sa,
                                           expected_version=sa.version, data=data)
    assert "sau ngày 14/12/2025" in error.value.message_dict["decided_on"][0]
    data["decided_on"] = dt.date(2025, 12, 15)
    services.self_assessment_recognise(user=province_leadership, self_assessment=_fresh(sa),
                                       expected_version=sa.version, data=data)
    assert _fresh(sa).status == SelfAssessmentStatus.RECOGNISED
