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
from apps.reports.models import DUPLICATE_REPORT, EDITABLE_BEFORE_DUE, PERIOD_NOT_CALENDAR, Report
from tests.factories.activities import ActivityFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, seeded_kind

Q1_2026 = Period.quarter(2026, 1)


def create(user, ward, **overrides):
    data = dict(user=user, ward=ward, period_kind=PeriodKind.QUARTER, period_start=dt.date(2026, 1, 1),
                due_on=dt.date(2026, 4, 7), editable_until=dt.date(2026, 4, 17))
    data.update(overrides)
    return services.report_create(**data)


def test_creating_a_report_computes_the_period_end_and_audits_it(leader, ward):
    report = create(leader, ward)
    assert report.period_end == dt.date(2026, 3, 31)
    assert report.status == ReportStatus.DRAFT
    assert AuditEvent.objects.filter(object_type="reports.report", object_id=str(report.pk), action="create").exists()


def test_a_period_must_start_on_the_first_day_of_its_kind(leader, ward):
    with pytest.raises(ValidationError) as error:
        create(leader, ward, period_start=dt.date(2026, 2, 1))
    assert PERIOD_NOT_CALENDAR in error.value.message_dict["period_start"]
    assert not Report.objects.exists()


def test_editable_until_cannot_come_before_the_due_date(leader, ward):
    with pytest.raises(ValidationError) as error:
        create(leader, ward, editable_until=dt.date(2026, 4, 1))
    assert EDITABLE_BEFORE_DUE in error.value.message_dict["editable_until"]


def test_a_ward_has_one_report_per_period(leader, ward):
    create(leader, ward)
    with pytest.raises(ValidationError) as error:
        create(leader, ward)
    assert DUPLICATE_REPORT in error.value.messages


def test_a_month_report_and_a_quarter_report_may_share_a_first_day(leader, ward):
    create(leader, ward)
    assert create(leader, ward, period_kind=PeriodKind.MONTH, due_on=dt.date(2026, 2, 5),
                  editable_until=dt.date(2026, 2, 10)).period_end == dt.date(2026, 1, 31)


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
        services.report_update(user=leader, report=report, expected_version=report.version, summary="Sửa sau khi nộp")
    assert services.ONLY_DRAFT_EDITABLE in error.value.messages
    report.refresh_from_db()
    assert report.summary != "Sửa sau khi nộp"


def test_a_locked_report_refuses_edits_reopening_and_relocking(leader, report):
    services.report_submit(user=leader, report=report)
    services.report_lock(user=leader, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.LOCKED and report.locked_by == leader
    with pytest.raises(ValidationError):
        services.report_update(user=leader, report=report, expected_version=report.version, summary="x")
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


def test_after_its_editable_until_date_a_submitted_report_counts_as_locked(leader, report, monkeypatch):
    services.report_submit(user=leader, report=report)
    report.refresh_from_db()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: dt.date(2026, 4, 18))
    assert report.is_locked
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
    services.report_update(user=leader, report=report, expected_version=1, summary="bản 2")
    stale = Report.objects.get(pk=report.pk)
    stale.version = 1
    with pytest.raises(ValidationError) as error:
        services.report_update(user=leader, report=stale, expected_version=1, summary="bản cũ")
    assert STALE_VERSION in error.value.messages
    assert Report.objects.get(pk=report.pk).summary == "bản 2"


def test_every_transition_is_audited(leader, report):
    services.report_submit(user=leader, report=report)
    services.report_lock(user=leader, report=report)
    transitions = list(AuditEvent.objects.filter(object_id=str(report.pk), object_type="reports.report")
                       .values_list("extra__transition", flat=True))
    assert set(transitions) >= {"submit", "lock"}
