"""Every reports page: anonymous → login, wrong role → 403, out of scope → 404, happy path, bounded queries."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.reports import services
from apps.reports.choices import ReportStatus
from apps.reports.models import Report
from apps.reports.views import LOCKED_NO_EDIT
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.reports import ReportFactory
from tests.factories.subjects import EpisodeFactory, PersonFactory

from .conftest import PERSON_NAMES

GET_PAGES = ["reports:detail", "reports:update", "reports:export"]
POST_PAGES = ["reports:submit", "reports:reopen", "reports:lock"]


def url(name, report=None):
    return reverse(name, args=[report.pk]) if report is not None else reverse(name)


@pytest.mark.parametrize("name", GET_PAGES + POST_PAGES)
def test_anonymous_users_are_sent_to_the_login_page(client, report, name):
    response = client.post(url(name, report)) if name in POST_PAGES else client.get(url(name, report))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["reports:list", "reports:create", "reports:province_export"])
def test_anonymous_users_are_sent_to_the_login_page_from_lists(client, db, name):
    response = client.get(url(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["reports:list", "reports:create", "reports:province_export"])
def test_khom_officers_may_not_use_the_reports_pages(client_for, khom_officer, name):
    assert client_for(khom_officer).get(url(name)).status_code == 403


@pytest.mark.parametrize("name", GET_PAGES)
def test_khom_officers_may_not_open_a_report(client_for, khom_officer, report, name):
    assert client_for(khom_officer).get(url(name, report)).status_code == 403


def test_police_may_prepare_but_not_submit_or_lock(client_for, police, report):
    client = client_for(police)
    assert client.post(url("reports:submit", report)).status_code == 403
    assert client.post(url("reports:lock", report)).status_code == 403
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_province_viewers_may_not_create_reports(client_for, province):
    assert client_for(province).get(url("reports:create")).status_code == 403


@pytest.mark.parametrize("name", GET_PAGES)
def test_a_report_of_another_ward_is_not_found(client_for, other_police, report, name):
    assert client_for(other_police).get(url(name, report)).status_code == 404


@pytest.mark.parametrize("name", POST_PAGES)
def test_workflow_buttons_on_another_wards_report_are_not_found(client_for, other_ward, report, name):
    from apps.accounts.choices import Role
    from tests.factories.accounts import UserFactory

    other_leader = UserFactory(username="leader_b", role=Role.LEADERSHIP, wards=[other_ward])
    assert client_for(other_leader).post(url(name, report)).status_code == 404


def test_province_viewers_do_not_see_drafts(client_for, province, report):
    client = client_for(province)
    assert client.get(url("reports:detail", report)).status_code == 404
    assert client.get(url("reports:export", report)).status_code == 404
    assert report.period.label not in client.get(url("reports:list")).content.decode()


def test_the_list_shows_the_wards_reports_only(client_for, police, report, other_ward):
    ReportFactory(ward=other_ward, summary="khác")
    response = client_for(police).get(url("reports:list"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["object_list"]] == [report.pk]


def test_the_list_filters_by_status(client_for, leader, ward):
    draft = ReportFactory(ward=ward)
    submitted = ReportFactory(ward=ward, period_start=dt.date(2025, 10, 1), due_on=dt.date(2026, 1, 7),
                              editable_until=dt.date(2026, 1, 17))
    services.report_submit(user=leader, report=submitted)
    response = client_for(leader).get(url("reports:list"), {"status": "submitted"})
    assert [r.pk for r in response.context["object_list"]] == [submitted.pk]
    assert draft.pk not in [r.pk for r in response.context["object_list"]]


def last_quarter():
    from apps.reports.forms import default_period, period_key

    period = default_period()
    return period, period_key(period)


def test_creating_a_report_through_the_form(client_for, leader, ward):
    period, key = last_quarter()
    response = client_for(leader).post(url("reports:create"), {
        "ward": ward.pk, "period": key, "summary": "Đánh giá", "next_steps": "", "signer_title": "CHỦ TỊCH",
        "signer_name": "Nguyễn Thành Đạt",
    })
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert (report.period_start, report.period_end, report.period_start_day) == (period.start, period.end, 15)
    assert report.created_by == leader


def test_the_form_offers_the_next_period_without_a_report_with_its_days(client_for, leader, ward):
    period, key = last_quarter()
    form = client_for(leader).get(url("reports:create")).context["form"]
    assert form.fields["period"].initial == key
    assert dict(form.fields["period"].choices)[key] == period.label and "(15/" in period.label
    ReportFactory(ward=ward, period_start=period.start, period_start_day=15, due_on=period.end,
                  editable_until=period.end)
    following = period.end + dt.timedelta(days=1)
    form = client_for(leader).get(url("reports:create")).context["form"]
    assert form.fields["period"].initial == f"quarter:{following.isoformat()}"


def test_a_bad_period_writes_nothing_and_keeps_what_was_typed(client_for, leader, ward):
    response = client_for(leader).post(url("reports:create"), {
        "ward": ward.pk, "period": "quarter:2026-02-01", "summary": "Nội dung đã gõ", "signer_title": "CHỦ TỊCH",
    })
    assert response.status_code == 200
    assert not Report.objects.exists()
    body = response.content.decode()
    assert "Nội dung đã gõ" in body
    assert "Chọn một kỳ báo cáo trong danh sách" in body


def test_a_ward_not_in_scope_cannot_be_chosen(client_for, police, other_ward):
    response = client_for(police).post(url("reports:create"), {"ward": other_ward.pk, "period": last_quarter()[1]})
    assert response.status_code == 200 and not Report.objects.exists()
    assert "ward" in response.context["form"].errors


def test_editing_a_draft(client_for, police, report):
    response = client_for(police).post(url("reports:update", report), {
        "version": report.version, "due_on": "07/04/2027", "editable_until": "20/04/2027",
        "summary": "Đã cập nhật", "next_steps": "Tiếp tục", "signer_title": "PHÓ CHỦ TỊCH", "signer_name": "",
    })
    assert response.status_code == 302
    report.refresh_from_db()
    # The texts change; the due dates sent along are not the ward's to change and are ignored.
    assert report.summary == "Đã cập nhật" and report.editable_until == dt.date(2026, 4, 17)
    assert report.due_on == dt.date(2026, 4, 7)


def test_the_edit_page_of_a_submitted_report_refuses_and_changes_nothing(client_for, leader, report):
    services.report_submit(user=leader, report=report)
    client = client_for(leader)
    response = client.post(url("reports:update", report), {
        "version": 2, "due_on": "07/04/2026", "editable_until": "17/04/2026", "summary": "Sửa lén",
    }, follow=True)
    assert str(LOCKED_NO_EDIT) in response.content.decode()
    assert Report.objects.get(pk=report.pk).summary != "Sửa lén"


def test_submitting_from_the_page_freezes_the_report(client_for, leader, report, known_data):
    response = client_for(leader).post(url("reports:submit", report))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.snapshot["values"]["persons_managed"] == 3


def test_returning_a_submitted_report_from_the_page_within_its_window(client_for, leader, report, monkeypatch):
    services.report_submit(user=leader, report=report)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 4, 12))
    client_for(leader).post(url("reports:reopen", report))
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_locking_from_the_page(client_for, leader, report):
    services.report_submit(user=leader, report=report)
    client_for(leader).post(url("reports:lock", report))
    assert Report.objects.get(pk=report.pk).status == ReportStatus.LOCKED


def test_the_report_page_shows_every_section_and_is_audited(client_for, leader, report, known_data):
    services.report_submit(user=leader, report=report)
    response = client_for(leader).get(url("reports:detail", report))
    body = response.content.decode()
    assert response.status_code == 200
    for title in ["Tổng hợp số liệu", "Số liệu theo khóm", "Người trong diện quản lý", "Vụ việc và kết quả xử lý",
                  "Hoạt động tuyên truyền", "Tiến độ lộ trình", "tiêu chí khóm không ma túy"]:
        assert title in body
    assert "signature-block" in body and "page-break" in body
    assert "<script>" not in body  # the CSP forbids inline scripts
    assert AuditEvent.objects.filter(action="view", object_id=str(report.pk)).exists()


def test_the_submitted_report_page_shows_frozen_figures(client_for, leader, report, known_data, khom):
    services.report_submit(user=leader, report=report)
    for _ in range(5):
        person = PersonFactory(khom=khom)
        EpisodeFactory(person=person, started_on=dt.date(2026, 1, 2))
    response = client_for(leader).get(url("reports:detail", report))
    assert response.context["snapshot"]["values"]["persons_managed"] == 3


def test_no_person_name_on_anything_the_province_viewer_opens(client_for, leader, province, report, known_data):
    services.report_submit(user=leader, report=report)
    client = client_for(province)
    pages = [client.get(url("reports:list")), client.get(url("reports:detail", report))]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        for name in PERSON_NAMES:
            assert name not in body


def _make_wards_with_reports(leader, count):
    for index in range(count):
        ward = WardFactory()
        khom = KhomFactory(ward=ward)
        PersonFactory(khom=khom)
        report = ReportFactory(ward=ward)
        services.report_submit(user=leader, report=report)


def test_the_list_issues_the_same_number_of_queries_at_two_sizes(client_for, admin_user, leader, count_queries):
    client = client_for(admin_user)
    _make_wards_with_reports(leader, 2)
    small = count_queries(lambda: client.get(url("reports:list")))
    _make_wards_with_reports(leader, 8)
    large = count_queries(lambda: client.get(url("reports:list")))
    assert small == large


def test_the_report_page_issues_the_same_number_of_queries_at_two_sizes(client_for, leader, ward, khom, report,
                                                                         count_queries):
    client = client_for(leader)
    PersonFactory(khom=khom)
    small = count_queries(lambda: client.get(url("reports:detail", report)))
    for index in range(6):
        other = KhomFactory(ward=ward)
        for _ in range(3):
            EpisodeFactory(person=PersonFactory(khom=other), started_on=dt.date(2026, 1, 3))
    large = count_queries(lambda: client.get(url("reports:detail", report)))
    assert small == large


def test_the_report_page_is_available_in_english(client_for, leader, report):
    client = client_for(leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(url("reports:detail", report)).content.decode()
    assert "Summary of figures" in body and "Submit report (freeze figures)" in body


def test_every_write_of_a_report_from_the_pages_is_logged_with_the_client_address(client_for, leader, ward,
                                                                                  monkeypatch):
    client = client_for(leader)
    client.defaults["REMOTE_ADDR"] = "192.0.2.50"
    period, key = last_quarter()
    client.post(url("reports:create"), {
        "ward": ward.pk, "period": key, "summary": "Đánh giá", "next_steps": "", "signer_title": "CHỦ TỊCH",
        "signer_name": "Nguyễn Thành Đạt"})
    report = Report.objects.get()
    client.post(url("reports:update", report), {
        "version": report.version, "summary": "Sửa", "next_steps": "", "signer_title": "CHỦ TỊCH", "signer_name": ""})
    client.post(url("reports:submit", report))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: report.due_on)
    client.post(url("reports:reopen", report))
    client.post(url("reports:submit", report))
    client.post(url("reports:lock", report))
    assert Report.objects.get().status == ReportStatus.LOCKED
    events = AuditEvent.objects.filter(object_type="reports.report", action__in=["create", "update"]).order_by("id")
    assert [e.extra.get("transition") for e in events] == [None, None, "submit", "reopen", "submit", "lock"]
    assert all(e.ip == "192.0.2.50" and e.user_id == leader.pk and e.request_id for e in events)


def test_the_printed_page_carries_the_document_form_of_decree_30_2020(client_for, leader, ward, report):
    ward.name, ward.document_recipients = "Mỹ Thới", "Công an tỉnh (PC04);\nLưu: VT."
    ward.save()
    body = client_for(leader).get(url("reports:detail", report)).content.decode()
    for text in ("ỦY BAN NHÂN DÂN", "PHƯỜNG MỸ THỚI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "/BC-UBND", "TM. ỦY BAN NHÂN DÂN", "Nơi nhận:",
                 "- Công an tỉnh (PC04);", "- Lưu: VT.", report.signer_name, "Mỹ Thới, ngày"):
        assert text in body, text
    assert "CỘNG HOÀ" not in body
    assert body.index("TM. ỦY BAN NHÂN DÂN") < body.index(report.signer_title) < body.index(report.signer_name)


def test_the_year_filter_lists_the_periods_named_for_that_year_cut_on_the_15th(client_for, leader, ward):
    from apps.core.choices import PeriodKind
    from tests.factories.reports import ReportFactory

    # Năm 2026 and Quý I/2026 begin on 15/12/2025; Quý IV/2025 ends on 14/12/2025.
    year_2026 = ReportFactory(ward=ward, period_kind=PeriodKind.YEAR, period_start=dt.date(2025, 12, 15),
                              period_start_day=15, due_on=dt.date(2026, 12, 21), editable_until=dt.date(2026, 12, 31))
    q1_2026 = ReportFactory(ward=ward, period_start=dt.date(2025, 12, 15), period_start_day=15,
                            due_on=dt.date(2026, 3, 21), editable_until=dt.date(2026, 3, 31))
    q4_2025 = ReportFactory(ward=ward, period_start=dt.date(2025, 9, 15), period_start_day=15,
                            due_on=dt.date(2025, 12, 21), editable_until=dt.date(2025, 12, 31))
    listed = {year: {report.pk for report in
                     client_for(leader).get(reverse("reports:list"), {"year": year}).context["object_list"]}
              for year in (2025, 2026)}
    assert listed == {2025: {q4_2025.pk}, 2026: {year_2026.pk, q1_2026.pk}}
