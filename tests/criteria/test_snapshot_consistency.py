"""An assessment frozen while data is being entered sees one moment: its figures come from the same state.

Two computed criteria count different tables (open episodes, drug tests); every person entered
here brings one of each, so in any one state of the database the two figures are equal. The
submit runs in a thread of its own, outside any transaction as a request does; a writer on
another connection commits one more person after every statement the submit sends.
"""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from apps.accounts.choices import Role
from apps.criteria import services
from apps.criteria.choices import AssessmentStatus, CriteriaScope, CriterionKind
from apps.criteria.models import Assessment
from tests.concurrency import CommittedRows, WriterBetweenStatements, in_own_connection
from tests.factories.accounts import UserFactory
from tests.factories.criteria import CriteriaSetFactory, CriterionFactory
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, seeded_kind

pytestmark = pytest.mark.django_db

YEAR = 2026


def enter_person(khom):
    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=dt.date(2024, 12, 1))
    DrugTestFactory(person=person, tested_on=dt.date(YEAR, 3, 10))


@pytest.fixture
def assessments():
    """Twenty draft assessments (one per khóm) against a set of two computed criteria, and their officer."""
    with CommittedRows():
        @transaction.atomic
        def create():
            ward = WardFactory(code="WSNAPA", name="Phường chốt đánh giá")
            criteria_set = CriteriaSetFactory(code="bo-chot", scope=CriteriaScope.KHOM, valid_from=dt.date(2025, 1, 1))
            for order, code in enumerate(["persons_managed", "drug_tests"]):
                CriterionFactory(criteria_set=criteria_set, code=code, kind=CriterionKind.COMPUTED, indicator=code,
                                 operator=">=", threshold=Decimal("0"), order=order)
            police = UserFactory(username="t_snapshot_police", role=Role.POLICE, wards=[ward])
            drafts = []
            for n in range(20):
                khom = KhomFactory(ward=ward, code=f"C{n:02d}")
                enter_person(khom)
                enter_person(khom)
                drafts.append(services.assessment_create(user=police, criteria_set=criteria_set, khom=khom,
                                                         year=YEAR))
            return police, drafts

        yield in_own_connection(create)


def test_twenty_assessments_frozen_during_data_entry_each_see_one_moment(assessments):
    police, drafts = assessments
    being_frozen = {"khom": drafts[0].khom}

    def submit_all():
        with WriterBetweenStatements(lambda step: enter_person(being_frozen["khom"])) as writer:
            commits = []
            for draft in drafts:
                being_frozen["khom"] = draft.khom
                before = writer.commits
                with writer.between_statements():
                    services.assessment_submit(user=police, assessment=draft, expected_version=draft.version)
                commits.append(writer.commits - before)
        return commits

    commits = in_own_connection(submit_all, timeout=300)
    assert min(commits) >= 5, commits  # the writer really wrote into each khóm during its submit

    frozen = in_own_connection(lambda: list(Assessment.objects.filter(pk__in=[a.pk for a in drafts])
                                            .values_list("status", "snapshot")))
    assert len(frozen) == 20
    mismatches = []
    for status, snapshot in frozen:
        assert status == AssessmentStatus.SUBMITTED
        figures = {item["code"]: item["figure"] for item in snapshot["items"]}
        if figures["persons_managed"] != figures["drug_tests"]:
            mismatches.append(figures)
    assert not mismatches, f"{len(mismatches)} of 20 assessments mix moments: {mismatches[:3]}"
