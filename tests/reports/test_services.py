"""The report workflow: draft → submitted (figures frozen) → locked, and what each step refuses."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from apps.core.locking import STALE_VERSION
from apps.core.models import AuditEvent
from apps.core.periods import Period
from apps.indicators import registry
from apps.reports import services
from apps.core.choices import PeriodKind
from apps.reports.choices import ReportStatus
from apps.reports.models import DUPLICATE_REPORT, PERIOD_NOT_CALENDAR, Report
from tests.factories.activities import ActivityFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, seeded_kind

Q1_2026 = Period.quarter(2026, 1)


def create(user, ward, **overrides):
    # Quý I/2026 as the drug reports' convention cuts it: 15/12/2025–14/03/2026.
    data = dict(ward=ward, period_kind=PeriodKind.QUARTER, period_start=dt.date(2025, 12, 15))
    data.update(overrides)
    return services.report_create(user=user, data=data)


def test_creating_a_report_cuts_its_period_by_the_convention_and_audits_it(leader, ward):
    report = create(leader, ward)
    assert report.period_start_day == 15 and report.period_end == dt.date(2026, 3, 14)
    assert report.period.label == "Quý I/2026 (15/12/2025–14/03/2026)"
    assert report.status == ReportStatus.DRAFT
    # Outside any round the dates follow the period; the ward does not type them.
    assert (report.due_on, report.editable_until) == (dt.date(2026, 3, 21), dt.date(2026, 3, 31))
    assert AuditEvent.objects.filter(object_type="reports.report", object_id=str(report.pk), action="create").exists()


def test_a_period_must_start_on_the_first_day_of_its_kind_under_the_convention(leader, ward):
    for start in (dt.date(2026, 1, 1), dt.date(2026, 1, 15)):  # a calendar quarter; a month's start, not a quarter's
        with pytest.raises(ValidationError) as error:
            create(leader, ward, period_start=start)
        assert PERIOD_NOT_CALENDAR in error.value.message_dict["period_start"]
    assert not Report.objects.exists()


def test_the_ward_cannot_set_or_change_due_dates(leader, ward):
    with pytest.raises(TypeError):
        create(leader, ward, due_on=dt.date(2026, 4, 7))
    report = create(leader, ward)
    with pytest.raises(TypeError):
        services.report_update(user=leader, report=report, expected_version=report.version,
                               data={"due_on": dt.date(2026, 12, 31)})
    assert Report.objects.get(pk=report.pk).due_on == dt.date(2026, 3, 21)


def test_a_ward_has_one_report_per_period(leader, ward):
    create(leader, ward)
    with pytest.raises(ValidationError) as error:
        create(leader, ward)
    assert DUPLICATE_REPORT in error.value.messages


def test_a_month_report_and_a_quarter_report_may_share_a_first_day(leader, ward):
    create(leader, ward)
    assert create(leader, ward, period_kind=PeriodKind.MONTH).period_end == dt.date(2026, 1, 14)


def test_staff_cannot_create_a_report_for_another_ward(police, other_ward):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        create(police, other_ward)


def test_submitting_freezes_the_figures_of_the_registry(leader, ward, known_data, report):
    services.report_submit(user=leader, report=report)
    report.refresh_from_db()
    expected = registry.evaluate(["persons_managed", "positive_tests", "cases_detected", "propaganda_sessions"],
                                 [ward], Q1_2026)[f"ward:{ward.pk}"]
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == leader and report.submitted_at is not None
    for code, value in expected.items():
        assert report.snapshot["values"][code] == value
    assert report.snapshot["values"]["persons_managed"] == 3
    assert report.snapshot["values"]["positive_tests"] == 1


def test_the_snapshot_stays_identical_when_data_change_after_submission(leader, ward, khom, known_data, report):
    services.report_submit(user=leader, report=report)
    report.refresh_from_db()
    frozen = report.snapshot
    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=dt.date(2026, 1, 2))
    DrugTestFactory(person=person, tested_on=dt.date(2026, 1, 3), result="positive")
    ActivityFactory(khom=khom, held_on=dt.date(2026, 2, 2))
    live = registry.evaluate(["persons_managed"], [ward], Q1_2026)[f"ward:{ward.pk}"]["persons_managed"]
    assert live == 4  # the data did change…
    report.refresh_from_db()
    assert report.snapshot == frozen  # …the report did not
    assert report.snapshot["values"]["persons_managed"] == 3


def test_a_submitted_report_refuses_edits(leader, report):
    services.report_submit(user=leader, report=report)
    report.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.report_update(user=leader, report=report, expected_version=report.version,
                               data={"summary": "Sửa sau khi nộp"})
    assert services.ONLY_DRAFT_EDITABLE in error.value.messages
    report.refresh_from_db()
    assert report.summary != "Sửa sau khi nộp"


def test_a_locked_report_refuses_edits_reopening_and_relocking(leader, report):
    services.report_submit(user=leader, report=report)
    services.report_lock(user=leader, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.LOCKED and report.locked_by == leader
    with pytest.raises(ValidationError):
        services.report_update(user=leader, report=report, expected_version=report.version, data={"summary": "x"})
    with pytest.raises(ValidationError) as error:
        services.report_reopen(user=leader, report=report)
    assert services.CANNOT_REOPEN in error.value.messages
    with pytest.raises(ValidationError) as error:
        services.report_lock(user=leader, report=report)
    assert services.ALREADY_LOCKED in error.value.messages


def test_the_database_refuses_any_change_to_a_locked_report(leader, report):
    services.report_submit(user=leader, report=report)
    services.report_lock(user=leader, report=report)
    with pytest.raises(DatabaseError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(summary="đổi trực tiếp")
    with pytest.raises(DatabaseError), transaction.atomic():
        Report.objects.filter(pk=report.pk).delete()


def test_the_database_refuses_new_figures_on_a_submitted_report(leader, report):
    services.report_submit(user=leader, report=report)
    with pytest.raises(DatabaseError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(snapshot={"values": {"persons_managed": 0}})


def test_reopening_within_the_editable_window_returns_the_report_to_draft(leader, report, monkeypatch):
    services.report_submit(user=leader, report=report)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 4, 10))
    services.report_reopen(user=leader, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.snapshot == {} and report.submitted_at is None


def test_after_its_editable_until_date_a_submitted_report_is_not_locked_but_the_ward_cannot_withdraw_it(
        leader, report, monkeypatch):
    services.report_submit(user=leader, report=report)
    report.refresh_from_db()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 4, 18))
    # Nothing locks by the calendar: the province still accepts or returns it.
    assert not report.is_locked and report.status == ReportStatus.SUBMITTED and report.can_review
    with pytest.raises(ValidationError):
        services.report_reopen(user=leader, report=report)


def test_submitting_on_or_before_the_due_date_is_on_time(leader, report):
    services.report_submit(user=leader, report=report)
    report.refresh_from_db()
    report.due_on = report.submitted_at.date() + dt.timedelta(days=1)
    assert report.submitted_on_time is True
    report.due_on = report.submitted_at.date() - dt.timedelta(days=2)
    assert report.submitted_on_time is False


def test_a_stale_edit_is_refused_and_changes_nothing(leader, report):
    services.report_update(user=leader, report=report, expected_version=1, data={"summary": "bản 2"})
    stale = Report.objects.get(pk=report.pk)
    stale.version = 1
    with pytest.raises(ValidationError) as error:
        services.report_update(user=leader, report=stale, expected_version=1, data={"summary": "bản cũ"})
    assert STALE_VERSION in error.value.messages
    assert Report.objects.get(pk=report.pk).summary == "bản 2"


def test_every_transition_is_audited(leader, report):
    services.report_submit(user=leader, report=report)
    services.report_lock(user=leader, report=report)
    transitions = list(AuditEvent.objects.filter(object_id=str(report.pk), object_type="reports.report")
                       .values_list("extra__transition", flat=True))
    assert set(transitions) >= {"submit", "lock"}
