"""Issue 16: periods cut on the 15th, reporting rounds issued by the province, accept or return, versions,
the compliance board and its workbook."""
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.choices import Role
from apps.core.choices import ConventionCode, PeriodKind
from apps.core.models import AuditEvent, PeriodConvention
from apps.core.periods import Period
from apps.indicators import registry
from apps.notifications.models import Notification
from apps.reports import services
from apps.reports.choices import ComplianceStatus, ReportStatus, VersionOutcome
from apps.reports.models import Report, ReportingRound, ReportVersion
from apps.reports.selectors import report_versions, round_board
from tests.factories.accounts import UserFactory
from tests.factories.activities import ActivityFactory
from tests.factories.cases import CaseFactory
from tests.factories.khom import WardFactory
from tests.factories.reports import ReportingRoundFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, seeded_kind

Q3 = dict(period_kind=PeriodKind.QUARTER, period_start=dt.date(2026, 6, 15))  # Quý III/2026: 15/06–14/09/2026
DUE, EDITABLE = dt.date(2026, 9, 21), dt.date(2026, 10, 1)


def at(day: dt.date, hour=9):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def issue(officer, wards, **overrides):
    data = dict(Q3, due_on=DUE, editable_until=EDITABLE, all_wards=False, wards=list(wards), note="")
    data.update(overrides)
    return services.round_issue(user=officer, data=data)


def leader_of(ward, name=None):
    return UserFactory(username=name or f"lead_{ward.code}", role=Role.LEADERSHIP, wards=[ward])


def submit_on(report, user, day, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(day))
    report = services.report_submit(user=user, report=report)
    monkeypatch.undo()
    return report


# ------------------------------------------------------------------ §1 periods (must hold)
def test_quy_iv_2026_covers_15_09_to_14_12_and_its_figures_are_the_registrys_over_exactly_those_days(
        leader, ward, khom, monkeypatch):
    from django.utils import timezone

    # Read after the quarter and the day after it: no fact dated after the moment computed counts (issue 18 §4).
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 20, 3, 0, tzinfo=dt.timezone.utc))
    convention = PeriodConvention.get(ConventionCode.DRUG_REPORT)
    assert convention.start_day == 15
    quarter = convention.period(PeriodKind.QUARTER, 2026, 4)
    assert (quarter.start, quarter.end) == (dt.date(2026, 9, 15), dt.date(2026, 12, 14))
    assert quarter.label == "Quý IV/2026 (15/09–14/12/2026)"

    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=dt.date(2026, 1, 5))
    edges = [dt.date(2026, 9, 14), dt.date(2026, 9, 15), dt.date(2026, 12, 14), dt.date(2026, 12, 15)]
    for number, day in enumerate(edges):
        DrugTestFactory(person=person, tested_on=day, result="positive")
        CaseFactory(khom=khom, detected_on=day, number=700 + number)
        ActivityFactory(khom=khom, held_on=day)

    report = services.report_create(user=leader, data={"ward": ward, "period_kind": PeriodKind.QUARTER,
                                                       "period_start": dt.date(2026, 9, 15)})
    assert report.period == quarter and report.period.label == "Quý IV/2026 (15/09–14/12/2026)"
    report = services.report_submit(user=leader, report=report)

    exactly = Period(dt.date(2026, 9, 15), dt.date(2026, 12, 14))
    codes = list(report.snapshot["values"])
    assert report.snapshot["values"] == registry.evaluate(codes, [ward], exactly)[f"ward:{ward.pk}"]
    values = report.snapshot["values"]
    # 15/09 and 14/12 are in; 14/09 (Quý III) and 15/12 (Quý I/2027) are not.
    assert (values["drug_tests"], values["positive_tests"], values["cases_detected"],
            values["propaganda_sessions"]) == (2, 2, 2, 2)
    # The comparison column is the previous quarter as the same convention cuts it: 15/06–14/09.
    assert report.snapshot["previous_period"] == {"start": "2026-06-15", "end": "2026-09-14"}
    assert report.snapshot["previous_values"]["drug_tests"] == 1
    assert report.snapshot["period"]["label"] == "Quý IV/2026 (15/09–14/12/2026)"


def test_reports_made_before_the_convention_keep_their_calendar_periods(ward):
    from tests.factories.reports import ReportFactory

    legacy = ReportFactory(ward=ward)  # period_start_day 1: what the migration leaves on existing rows
    assert (legacy.period.start, legacy.period.end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert legacy.period.label == "Quý I/2026"


def test_an_administrator_changing_the_convention_changes_the_next_reports_not_the_made_ones(leader, ward):
    made = services.report_create(user=leader, data={"ward": ward, **Q3})
    PeriodConvention.objects.filter(code=ConventionCode.DRUG_REPORT).update(start_day=1)
    calendar = services.report_create(user=leader, data={"ward": ward, "period_kind": PeriodKind.QUARTER,
                                                         "period_start": dt.date(2026, 7, 1)})
    made.refresh_from_db()
    assert (made.period_end, calendar.period_end) == (dt.date(2026, 9, 14), dt.date(2026, 9, 30))


# ------------------------------------------------------------------ §2 rounds
@pytest.fixture
def three_wards(db):
    return [WardFactory(code=f"R{n}", name=f"Phường R{n}") for n in (1, 2, 3)]


def test_a_round_issued_to_three_wards_gives_each_a_draft_with_the_due_date(province_officer, three_wards):
    leaders = [leader_of(ward) for ward in three_wards]
    outsider = WardFactory(code="R9", name="Phường R9")
    outsider_leader = leader_of(outsider)
    round_ = issue(province_officer, three_wards)
    reports = list(Report.objects.filter(round=round_).order_by("ward__code"))
    assert [r.ward for r in reports] == three_wards
    for report in reports:
        assert report.status == ReportStatus.DRAFT and report.compliance == ComplianceStatus.NOT_STARTED
        assert (report.due_on, report.editable_until) == (DUE, EDITABLE)
        assert (report.period_start, report.period_end, report.period_start_day) == (
            dt.date(2026, 6, 15), dt.date(2026, 9, 14), 15)
    assert not Report.objects.filter(ward=outsider).exists()
    # Each ward's leadership is told, about its own report; nobody of another ward.
    for leader, report in zip(leaders, reports):
        notice = Notification.objects.get(recipient=leader, kind="report_round_issued")
        assert notice.url == report.get_absolute_url()
    assert not Notification.objects.filter(recipient=outsider_leader).exists()
    assert AuditEvent.objects.filter(object_type="reports.reportinground", action="create").count() == 1
    assert AuditEvent.objects.filter(object_type="reports.report", action="create").count() == 3


def test_the_ward_cannot_change_the_due_date_it_was_given(province_officer, three_wards, client_for):
    issue(province_officer, three_wards)
    leader = leader_of(three_wards[0])
    report = Report.objects.get(ward=three_wards[0])
    with pytest.raises(TypeError):
        services.report_update(user=leader, report=report, expected_version=report.version,
                               data={"due_on": dt.date(2026, 12, 31)})
    response = client_for(leader).post(reverse("reports:update", args=[report.pk]), {
        "version": report.version, "due_on": "31/12/2026", "editable_until": "31/12/2026", "summary": "Nội dung"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.summary == "Nội dung" and (report.due_on, report.editable_until) == (DUE, EDITABLE)
    assert "due_on" not in client_for(leader).get(reverse("reports:update", args=[report.pk])).context["form"].fields


def test_a_report_the_ward_already_opened_joins_the_round_with_its_dates(province_officer, leader, ward):
    own = services.report_create(user=leader, data={"ward": ward, **Q3})
    round_ = issue(province_officer, [ward])
    own.refresh_from_db()
    assert own.round == round_ and (own.due_on, own.editable_until) == (DUE, EDITABLE)
    joined = AuditEvent.objects.get(object_id=str(own.pk), extra__transition="join_round")
    assert joined.changes["round_id"] == [None, round_.pk]
    assert Report.objects.filter(ward=ward).count() == 1
    # And a ward opening a report for a period with a round gets the round's dates.
    other = WardFactory(code="WZ")
    round_.wards.add(other)
    later = services.report_create(user=leader_of(other), data={"ward": other, **Q3})
    assert later.round == round_ and later.due_on == DUE


def test_a_ward_the_round_was_not_issued_to_opens_its_report_outside_the_round(province_officer, ward):
    round_ = issue(province_officer, [ward])
    outside = WardFactory(code="WY")
    report = services.report_create(user=leader_of(outside), data={"ward": outside, **Q3})
    assert report.round is None                                   # its own dates, from the period
    assert (report.due_on, report.editable_until) == services.default_due_dates(report.period_end)
    assert outside not in round_.wards.all()
    services.report_submit(user=leader_of(outside, "lead_wy2"), report=report)
    services.report_lock(user=leader_of(outside, "lead_wy3"), report=report)   # not a round's report: the ward locks it


def test_a_report_sent_before_the_round_takes_its_dates_and_one_locked_before_it_stands_on_the_board(
        province_officer, ward, monkeypatch):
    sent_ward, locked_ward = WardFactory(code="WS"), WardFactory(code="WL")
    sent = services.report_create(user=leader_of(sent_ward), data={"ward": sent_ward, **Q3})
    sent = submit_on(sent, leader_of(sent_ward, "lead_ws2"), dt.date(2026, 9, 18), monkeypatch)
    locked = services.report_create(user=leader_of(locked_ward), data={"ward": locked_ward, **Q3})
    locked = submit_on(locked, leader_of(locked_ward, "lead_wl2"), dt.date(2026, 9, 16), monkeypatch)
    services.report_lock(user=leader_of(locked_ward, "lead_wl3"), report=locked)

    round_ = issue(province_officer, [ward, sent_ward, locked_ward])
    sent.refresh_from_db()
    locked.refresh_from_db()
    assert sent.round == round_ and (sent.due_on, sent.editable_until) == (DUE, EDITABLE)
    assert sent.compliance == ComplianceStatus.ON_TIME                 # 18/09, before the round's 21/09
    assert locked.round is None and locked.status == ReportStatus.LOCKED   # frozen: left as it was
    board = {row["ward"].code: row for row in round_board(province_officer, round_)["rows"]}
    assert {code: row["status"] for code, row in board.items()} == {
        ward.code: ComplianceStatus.NOT_STARTED, "WS": ComplianceStatus.ON_TIME, "WL": ComplianceStatus.ACCEPTED}
    assert board["WL"]["report"].pk == locked.pk
    # The locked ward is told nothing; the two others are.
    told = set(Notification.objects.filter(kind="report_round_issued").values_list("object_id", flat=True))
    assert str(locked.pk) not in told and str(sent.pk) in told


def test_issuing_a_round_refuses_bad_dates_no_wards_and_a_second_round_of_the_same_period(province_officer, ward):
    with pytest.raises(ValidationError) as error:
        issue(province_officer, [ward], editable_until=DUE - dt.timedelta(days=1))
    assert "editable_until" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        issue(province_officer, [ward], due_on=dt.date(2026, 9, 1), editable_until=dt.date(2026, 9, 2))
    assert "due_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        issue(province_officer, [])
    with pytest.raises(ValidationError) as error:
        issue(province_officer, [ward], period_start=dt.date(2026, 7, 1))  # a calendar quarter
    assert "period_start" in error.value.message_dict
    assert not ReportingRound.objects.exists() and not Report.objects.exists()
    issue(province_officer, [ward])
    with pytest.raises(ValidationError):
        issue(province_officer, [ward])
    assert ReportingRound.objects.count() == 1


def test_a_ward_user_cannot_issue_a_round_to_a_ward_outside_its_scope(leader, other_ward):
    with pytest.raises(PermissionDenied):
        issue(leader, [other_ward])
    assert not ReportingRound.objects.exists()


def test_a_round_to_all_wards_reaches_every_ward_of_the_province(province_officer, three_wards, ward):
    round_ = issue(province_officer, [], all_wards=True)
    assert set(round_.wards.all()) == {*three_wards, ward}
    assert Report.objects.filter(round=round_).count() == 4


def test_submitting_after_the_due_date_marks_it_late_and_does_not_lock_it(province_officer, ward, monkeypatch):
    issue(province_officer, [ward])
    leader = leader_of(ward)
    report = submit_on(Report.objects.get(ward=ward), leader, DUE + dt.timedelta(days=3), monkeypatch)
    assert report.status == ReportStatus.SUBMITTED and not report.is_locked
    assert report.days_late == 3 and report.submitted_on_time is False and report.compliance == ComplianceStatus.LATE
    event = AuditEvent.objects.filter(object_id=str(report.pk), extra__transition="submit").get()
    assert event.extra["on_time"] is False and event.extra["late_days"] == 3
    # Past editable-until nothing locks by the calendar: the province still reviews it.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: EDITABLE + dt.timedelta(days=30))
    assert not report.is_locked and report.can_review


def test_on_the_due_date_is_on_time(province_officer, ward, monkeypatch):
    issue(province_officer, [ward])
    report = submit_on(Report.objects.get(ward=ward), leader_of(ward), DUE, monkeypatch)
    assert report.days_late == 0 and report.compliance == ComplianceStatus.ON_TIME


def test_a_round_report_is_not_locked_by_the_ward(province_officer, ward):
    issue(province_officer, [ward])
    leader = leader_of(ward)
    report = services.report_submit(user=leader, report=Report.objects.get(ward=ward))
    with pytest.raises(ValidationError) as error:
        services.report_lock(user=leader, report=report)
    assert services.LOCK_IN_ROUND in error.value.messages


# ------------------------------------------------------------------ §3 review
@pytest.fixture
def sent(province_officer, ward, khom, monkeypatch):
    """The ward's report of the round, submitted on time by its leadership."""
    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=dt.date(2026, 1, 5))
    DrugTestFactory(person=person, tested_on=dt.date(2026, 7, 1))
    issue(province_officer, [ward])
    leader = leader_of(ward)
    report = Report.objects.get(ward=ward)
    report = services.report_update(user=leader, report=report, expected_version=report.version,
                                    data={"summary": "Lần đầu"})
    return submit_on(report, leader, DUE - dt.timedelta(days=1), monkeypatch), leader


def test_accepting_locks_the_report_and_tells_the_ward(province_officer, sent):
    report, leader = sent
    report = services.report_accept(user=province_officer, report=report)
    assert report.status == ReportStatus.ACCEPTED and report.is_locked and report.locked_by == province_officer
    assert report.compliance == ComplianceStatus.ACCEPTED
    assert ReportVersion.objects.get(report=report).outcome == VersionOutcome.ACCEPTED
    assert Notification.objects.filter(recipient=leader, kind="report_accepted").exists()
    with pytest.raises(ValidationError):
        services.report_update(user=leader, report=report, expected_version=report.version, data={"summary": "x"})
    with pytest.raises(ValidationError):
        services.report_reopen(user=leader, report=report)
    with pytest.raises(ValidationError):
        services.report_return(user=province_officer, report=report, data={"comment": "muộn"})
    with pytest.raises(DatabaseError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(summary="đổi trực tiếp")


def test_the_submitter_cannot_accept_the_report(admin_user, ward):
    round_ = issue(admin_user, [ward])
    report = services.report_submit(user=admin_user, report=Report.objects.get(round=round_))
    with pytest.raises(ValidationError) as error:
        services.report_accept(user=admin_user, report=report)
    assert services.SUBMITTER_CANNOT_ACCEPT in error.value.messages
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_returning_sends_a_draft_back_with_the_comments_and_keeps_the_version(province_officer, sent, khom,
                                                                             monkeypatch, client_for):
    report, leader = sent
    with pytest.raises(ValidationError):
        services.report_return(user=province_officer, report=report, data={"comment": "   "})
    report = services.report_return(user=province_officer, report=report,
                                    data={"comment": "Bổ sung số liệu xét nghiệm."})
    assert report.status == ReportStatus.DRAFT and report.is_returned and report.snapshot == {}
    assert report.compliance == ComplianceStatus.RETURNED and report.return_comment == "Bổ sung số liệu xét nghiệm."
    assert Notification.objects.filter(recipient=leader, kind="report_returned").exists()
    body = client_for(leader).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Bổ sung số liệu xét nghiệm." in body

    # The ward corrects and sends again: a second version, the difference visible.
    DrugTestFactory(person=PersonFactory(khom=khom), tested_on=dt.date(2026, 8, 1))
    report = services.report_update(user=leader, report=report, expected_version=report.version,
                                    data={"summary": "Đã bổ sung"})
    report = submit_on(report, leader, DUE + dt.timedelta(days=2), monkeypatch)
    # On time or late is judged by the first sending.
    assert report.compliance == ComplianceStatus.ON_TIME and report.return_comment == ""
    first, second = report_versions(report)
    assert (first.number, first.outcome, first.comment) == (1, VersionOutcome.RETURNED, "Bổ sung số liệu xét nghiệm.")
    assert (second.number, second.outcome) == (2, VersionOutcome.PENDING)
    changes = {label: (old, new) for label, old, new in second.changes}
    assert changes["Lượt xét nghiệm ma túy"] == (1, 2)
    assert changes["Đánh giá chung"] == ("Lần đầu", "Đã bổ sung")
    body = client_for(province_officer).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Các lần nộp" in body and "Đã bổ sung" in body
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportVersion.objects.filter(pk=first.pk).update(snapshot={})


def test_only_the_province_reopens_an_accepted_report_with_a_reason_audited(province_officer, sent):
    report, leader = sent
    report = services.report_accept(user=province_officer, report=report)
    with pytest.raises(ValidationError):
        services.report_province_reopen(user=province_officer, report=report, data={"comment": ""})
    report = services.report_province_reopen(user=province_officer, report=report,
                                             data={"comment": "Sai số liệu khóm A01."})
    assert report.status == ReportStatus.DRAFT and report.return_comment == "Sai số liệu khóm A01."
    event = AuditEvent.objects.get(object_id=str(report.pk), extra__transition="province_reopen")
    assert event.user == province_officer and event.extra["reason"] == "Sai số liệu khóm A01."
    assert ReportVersion.objects.get(report=report).outcome == VersionOutcome.REOPENED


# ------------------------------------------------------------------ §4 the board
def every_state(officer, monkeypatch):
    """Six wards of one round, one in each state the board shows."""
    wards = [WardFactory(code=f"S{n}", name=f"Phường S{n}") for n in range(6)]
    round_ = issue(officer, wards)
    reports = {ward.code: Report.objects.get(round=round_, ward=ward) for ward in wards}
    leaders = {ward.code: leader_of(ward) for ward in wards}

    def send(code, day):
        report = reports[code]
        report = services.report_update(user=leaders[code], report=report, expected_version=report.version,
                                        data={"summary": code})
        return submit_on(report, leaders[code], day, monkeypatch)

    services.report_accept(user=officer, report=send("S0", DUE))
    send("S1", DUE - dt.timedelta(days=1))
    send("S2", DUE + dt.timedelta(days=4))
    services.report_return(user=officer, report=send("S3", DUE), data={"comment": "Sửa lại"})
    services.report_update(user=leaders["S4"], report=reports["S4"], expected_version=1, data={"summary": "nháp"})
    return round_


def test_the_board_shows_every_state_when_sent_and_days_late(province_officer, monkeypatch, client_for):
    round_ = every_state(province_officer, monkeypatch)
    board = round_board(province_officer, round_)
    statuses = {row["ward"].code: row["status"] for row in board["rows"]}
    assert statuses == {"S0": "accepted", "S1": "on_time", "S2": "late", "S3": "returned", "S4": "draft",
                        "S5": "not_started"}
    late = next(row for row in board["rows"] if row["ward"].code == "S2")
    assert late["days_late"] == 4 and timezone.localdate(late["sent_at"]) == DUE + dt.timedelta(days=4)
    assert {status: count for _label, status, count in board["counts"]} == {s: 1 for s in ComplianceStatus.values}
    body = client_for(province_officer).get(reverse("reports:round_detail", args=[round_.pk])).content.decode()
    for label in ComplianceStatus.labels:
        assert str(label) in body
    # The province sees that a draft exists, never opens it: no link to a draft.
    drafts = Report.objects.filter(round=round_, status=ReportStatus.DRAFT)
    for draft in drafts:
        assert reverse("reports:detail", args=[draft.pk]) + '"' not in body


def test_the_round_workbook_has_a_row_per_ward_a_totals_row_values_only_and_no_personal_data(
        province_officer, monkeypatch, client_for, khom):
    PersonFactory(khom=khom, full_name="Nguyễn Văn Bí Mật", cccd="089096012345", phone="0912345678")
    round_ = every_state(province_officer, monkeypatch)
    response = client_for(province_officer).get(reverse("reports:round_export", args=[round_.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    # In Vietnamese, without English words: Quý III/2026 is "quy-3-2026".
    assert 'filename="tinh-hinh-nop-bao-cao-quy-3-2026.xlsx"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    header_index = next(i for i, row in enumerate(rows) if row[0] == "STT")
    body = rows[header_index + 1:]
    assert [row[2] for row in body[:-1]] == [f"Phường S{n}" for n in range(6)]
    assert body[-1][2].startswith("Tổng cộng (6 đơn vị)")
    assert {row[3] for row in body[:-1]} == {str(label) for label in ComplianceStatus.labels}
    late = next(row for row in body if row[2] == "Phường S2")
    assert late[5] == 4 and isinstance(late[4], dt.datetime)
    persons = rows[header_index].index("Người có hồ sơ quản lý")
    assert body[-1][persons] == sum(row[persons] or 0 for row in body[:-1])
    assert sheet.print_title_rows and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (int(sheet.page_setup.fitToWidth or 1), int(sheet.page_setup.fitToHeight)) == (1, 0)
    text = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in sheet.iter_rows() for c in row)
    for private in ("Nguyễn Văn Bí Mật", "089096012345", "0912345678"):
        assert private not in text
    assert AuditEvent.objects.filter(action="export", object_type="reports.reportinground").exists()


def test_the_province_dashboard_shows_the_open_rounds_compliance(province_officer, monkeypatch, client_for):
    round_ = every_state(province_officer, monkeypatch)
    response = client_for(province_officer).get(reverse("dashboard"))
    assert response.status_code == 200
    [item] = response.context["open_rounds"]
    assert item["round"] == round_ and item["wards"] == 6
    assert round_.get_absolute_url() in response.content.decode()


def test_a_round_whose_every_report_is_accepted_is_no_longer_open(province_officer, ward, monkeypatch, client_for):
    issue(province_officer, [ward])
    report = submit_on(Report.objects.get(ward=ward), leader_of(ward), DUE, monkeypatch)
    services.report_accept(user=province_officer, report=report)
    assert client_for(province_officer).get(reverse("dashboard")).context["open_rounds"] == []


# ------------------------------------------------------------------ the pages: anonymous, role, scope, happy path
ROUND_GET = ["reports:round_detail", "reports:round_export"]
REVIEW_POST = ["reports:accept", "reports:return", "reports:province_reopen"]


@pytest.fixture
def round_of_a(ward):
    return ReportingRoundFactory(wards=[ward])


@pytest.mark.parametrize("name", ROUND_GET)
def test_anonymous_users_go_to_the_login_page_from_a_round(client, round_of_a, name):
    response = client.get(reverse(name, args=[round_of_a.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["reports:round_list", "reports:round_create"])
def test_anonymous_users_go_to_the_login_page_from_the_rounds(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", REVIEW_POST)
def test_anonymous_users_cannot_review(client, ward, name):
    from tests.factories.reports import ReportFactory

    report = ReportFactory(ward=ward)
    response = client.post(reverse(name, args=[report.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["reports:round_list", "reports:round_create"])
def test_police_and_khom_officers_may_not_use_the_rounds(client_for, police, khom_officer, name):
    for user in (police, khom_officer):
        assert client_for(user).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("fixture", ["leader", "province", "province_leadership"])
def test_only_the_province_officer_issues_rounds(client_for, request, fixture, ward):
    client = client_for(request.getfixturevalue(fixture))
    assert client.get(reverse("reports:round_create")).status_code == 403
    assert client.post(reverse("reports:round_create"), {"period": "quarter:2026-06-15", "all_wards": "on",
                                                         "due_on": "21/09/2026",
                                                         "editable_until": "01/10/2026"}).status_code == 403
    assert not ReportingRound.objects.exists()


@pytest.mark.parametrize("name", REVIEW_POST)
@pytest.mark.parametrize("fixture", ["leader", "province", "province_leadership"])
def test_only_the_province_officer_reviews(client_for, request, sent, name, fixture):
    report, _leader = sent
    response = client_for(request.getfixturevalue(fixture)).post(reverse(name, args=[report.pk]), {"comment": "x"})
    assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("name", ROUND_GET)
def test_a_round_not_issued_to_the_wards_ward_is_not_found(client_for, other_ward, round_of_a, name):
    assert client_for(leader_of(other_ward)).get(reverse(name, args=[round_of_a.pk])).status_code == 404


@pytest.mark.parametrize("name", REVIEW_POST)
def test_a_draft_is_out_of_the_province_officers_scope(client_for, province_officer, ward, name):
    from tests.factories.reports import ReportFactory

    draft = ReportFactory(ward=ward)
    assert client_for(province_officer).post(reverse(name, args=[draft.pk]), {"comment": "x"}).status_code == 404


def test_review_buttons_are_post_only(client_for, province_officer, sent):
    report, _leader = sent
    for name in REVIEW_POST:
        assert client_for(province_officer).get(reverse(name, args=[report.pk])).status_code == 405


def test_the_province_officer_issues_a_round_through_the_form(client_for, province_officer, three_wards):
    client = client_for(province_officer)
    form = client.get(reverse("reports:round_create")).context["form"]
    key = "quarter:2026-06-15"
    assert key in dict(form.fields["period"].choices)
    response = client.post(reverse("reports:round_create"), {
        "period": key, "due_on": "21/09/2026", "editable_until": "01/10/2026",
        "wards": [three_wards[0].pk, three_wards[2].pk], "note": "Quý III"})
    round_ = ReportingRound.objects.get()
    assert response.status_code == 302 and response.url == round_.get_absolute_url()
    assert set(Report.objects.filter(round=round_).values_list("ward__code", flat=True)) == {"R1", "R3"}
    listing = client.get(reverse("reports:round_list"))
    assert round_.period.label in listing.content.decode()


def test_a_round_form_without_wards_or_with_bad_dates_writes_nothing_and_says_why(client_for, province_officer,
                                                                                 three_wards):
    client = client_for(province_officer)
    response = client.post(reverse("reports:round_create"), {
        "period": "quarter:2026-06-15", "due_on": "21/09/2026", "editable_until": "01/10/2026", "wards": []})
    assert response.status_code == 200 and "wards" in response.context["form"].errors
    response = client.post(reverse("reports:round_create"), {
        "period": "quarter:2026-06-15", "due_on": "21/09/2026", "editable_until": "01/09/2026", "all_wards": "on"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(reverse("reports:round_create"), {
        "period": "quarter:2026-07-01", "due_on": "99/99/2026", "editable_until": "<script>", "all_wards": "on"})
    assert response.status_code == 200 and "period" in response.context["form"].errors
    assert not ReportingRound.objects.exists() and not Report.objects.exists()


def test_accept_and_return_through_the_buttons(client_for, province_officer, sent):
    report, leader = sent
    client = client_for(province_officer)
    page = client.get(reverse("reports:detail", args=[report.pk]))
    assert page.context["can_accept"] and page.context["can_review"]
    assert reverse("reports:accept", args=[report.pk]) in page.content.decode()
    response = client.post(reverse("reports:return", args=[report.pk]), {"comment": ""})
    assert response.status_code == 302 and Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    response = client.post(reverse("reports:return", args=[report.pk]), {"comment": "Thiếu phần đánh giá"})
    assert response.status_code == 302 and Report.objects.get(pk=report.pk).is_returned
    report = services.report_submit(user=leader, report=Report.objects.get(pk=report.pk))
    client.post(reverse("reports:accept", args=[report.pk]))
    assert Report.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    page = client.get(reverse("reports:detail", args=[report.pk]))
    assert page.context["can_province_reopen"] and not page.context["can_lock"]
    client.post(reverse("reports:province_reopen", args=[report.pk]), {"comment": "Sai số"})
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_no_lock_button_beside_a_submitted_report_past_its_editable_until(client_for, leader, ward, monkeypatch):
    from tests.factories.reports import ReportFactory

    report = services.report_submit(user=leader, report=ReportFactory(ward=ward))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 5, 1))
    body = client_for(leader).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Đã khoá" not in body


def test_a_ward_leader_sees_only_its_own_row_on_the_board(client_for, province_officer, ward, other_ward, leader):
    round_ = issue(province_officer, [ward, other_ward])
    board = client_for(leader).get(reverse("reports:round_detail", args=[round_.pk])).context["board"]
    assert [row["ward"] for row in board["rows"]] == [ward]


def test_a_report_is_sent_only_once_its_period_is_over(leader, ward, monkeypatch):
    report = services.report_create(user=leader, data={"ward": ward, **Q3})     # 15/06–14/09/2026
    last_evening = dt.datetime(2026, 9, 14, 23, 59, tzinfo=timezone.get_current_timezone())
    monkeypatch.setattr("django.utils.timezone.now", lambda: last_evening)
    with pytest.raises(ValidationError) as error:
        services.report_submit(user=leader, report=report)
    assert error.value.messages == ["Kỳ báo cáo chưa kết thúc (đến hết ngày 14/09/2026): số liệu chốt lúc này chưa "
                                    "đủ cả kỳ. Báo cáo gửi được từ ngày 15/09/2026."]
    report.refresh_from_db()
    assert report.is_draft and not report.versions.exists()
    monkeypatch.setattr("django.utils.timezone.now", lambda: last_evening + dt.timedelta(minutes=2))
    assert services.report_submit(user=leader, report=report).status == ReportStatus.SUBMITTED


def test_the_page_of_a_report_whose_period_is_under_way_offers_no_sending_and_says_from_when(
        client_for, leader, ward):
    current = Period.containing(PeriodKind.QUARTER, timezone.localdate(), start_day=15)
    report = services.report_create(user=leader, data={"ward": ward, "period_kind": PeriodKind.QUARTER,
                                                       "period_start": current.start})
    page = client_for(leader).get(report.get_absolute_url())
    assert not page.context["can_submit"]
    first = current.end + dt.timedelta(days=1)
    assert f"báo cáo gửi được từ ngày {first:%d/%m/%Y}" in page.content.decode()
