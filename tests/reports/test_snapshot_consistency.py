"""A report frozen while data is being entered sees one moment: the ward's totals are the sums of its khóm rows.

The submit runs in a thread of its own (outside any transaction, as a request does), on rows
committed by other connections; a writer on yet another connection commits a new person,
with an open episode and a drug test, after every statement the submit sends. Without one
view of the database each query of the snapshot sees more people than the one before.
"""
import datetime as dt

import pytest
from django.db import transaction

from apps.accounts.choices import Role
from apps.core.choices import PeriodKind
from apps.reports.choices import ReportStatus
from apps.reports.models import Report
from apps.reports.services import report_submit
from tests.concurrency import CommittedRows, WriterBetweenStatements, in_own_connection
from tests.factories.accounts import UserFactory
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.reports import ReportFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, seeded_kind

pytestmark = pytest.mark.django_db

# Counts that add up: a ward's figure is the sum of its khóm's.
ADDITIVE = ["persons_managed", "users_addicts", "drug_tests"]
MONTHS = [dt.date(2025 + (m // 12), m % 12 + 1, 1) for m in range(20)]


def enter_person(khom, tested_on):
    """One person under management, with an open episode and a drug test on *tested_on*."""
    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=dt.date(2024, 12, 1))
    DrugTestFactory(person=person, tested_on=tested_on)


@pytest.fixture
def ward_with_reports():
    """A ward of four khóm with people in each, its leader, and a draft monthly report for each of 20 months."""
    with CommittedRows():
        @transaction.atomic
        def create():
            ward = WardFactory(code="WSNAP", name="Phường chụp số liệu")
            khoms = [KhomFactory(ward=ward, code=f"S{n:02d}") for n in range(4)]
            for month in MONTHS:
                for khom in khoms:
                    enter_person(khom, month + dt.timedelta(days=9))
            leader = UserFactory(username="t_snapshot_leader", role=Role.LEADERSHIP, wards=[ward])
            reports = [ReportFactory(ward=ward, period_kind=PeriodKind.MONTH, period_start=month,
                                     due_on=dt.date(2027, 1, 10), editable_until=dt.date(2027, 1, 20))
                       for month in MONTHS]
            return khoms, leader, reports

        yield in_own_connection(create)


def khom_sums(snapshot):
    table = snapshot["sections"]["khoms"]
    codes = [indicator["code"] for indicator in table["indicators"]]
    return {code: sum(row["values"][codes.index(code)] or 0 for row in table["rows"]) for code in ADDITIVE}


def test_twenty_reports_frozen_during_data_entry_each_add_up(ward_with_reports):
    khoms, leader, reports = ward_with_reports
    month_of_report = {"start": MONTHS[0]}

    def write(step):
        enter_person(khoms[step % len(khoms)], month_of_report["start"] + dt.timedelta(days=9))

    def submit_all():
        frozen = []
        with WriterBetweenStatements(write) as writer:
            for report in reports:
                month_of_report["start"] = report.period_start
                before = writer.commits
                with writer.between_statements():
                    report_submit(user=leader, report=report)
                frozen.append(writer.commits - before)
        return frozen

    commits_during_each = in_own_connection(submit_all, timeout=300)
    # The writer really wrote during every submit (dozens of commits each), so the check below can fail.
    assert min(commits_during_each) >= 10, commits_during_each

    stored = in_own_connection(lambda: list(Report.objects.filter(pk__in=[r.pk for r in reports])
                                            .order_by("period_start").values_list("status", "snapshot")))
    assert len(stored) == 20
    mismatches = []
    for status, snapshot in stored:
        assert status == ReportStatus.SUBMITTED
        ward_totals = {code: snapshot["values"][code] for code in ADDITIVE}
        if ward_totals != khom_sums(snapshot):
            mismatches.append((snapshot["period"]["start"], ward_totals, khom_sums(snapshot)))
    assert not mismatches, f"{len(mismatches)} of 20 reports do not add up: {mismatches[:3]}"
