"""Fixtures of the criteria tests: a khóm that meets every computed criterion of the seeded khóm set."""
import datetime as dt

import pytest

from apps.activities.models import Activity, CommitmentSigning
from apps.criteria import services
from apps.criteria.choices import CriteriaScope
from tests.factories.criteria import seeded_set

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_passing(khom, year=2025):
    """95 % of households signed and 4 propaganda sessions in *year*: the computed criteria hold."""
    CommitmentSigning.objects.create(khom=khom, signed_on=dt.date(year, 3, 1), households_signed=95,
                                     households_total=100)
    for month in (2, 5, 8, 11):
        Activity.objects.create(ward=khom.ward, khom=khom, held_on=dt.date(year, month, 10), topic="Tuyên truyền",
                                participants=50, organiser="Ban điều hành khóm")


@pytest.fixture
def khom_set(db):
    return seeded_set(CriteriaScope.KHOM)


@pytest.fixture
def assessment(khom, police, khom_set):
    """A draft 2025 assessment of `khom` (ward A) against the seeded khóm set, its khóm meeting the computed criteria."""
    make_passing(khom)
    return services.assessment_create(user=police, data={"criteria_set": khom_set, "khom": khom, "year": 2025})


@pytest.fixture
def other_assessment(other_khom, other_police, khom_set):
    """A draft assessment in ward B."""
    return services.assessment_create(user=other_police,
                                      data={"criteria_set": khom_set, "khom": other_khom, "year": 2025})


@pytest.fixture
def khom2_assessment(khom2, police, khom_set):
    """A draft assessment of another khóm of ward A (outside khom_officer's scope)."""
    return services.assessment_create(user=police, data={"criteria_set": khom_set, "khom": khom2, "year": 2025})


def judge_manual(assessment, user, passed=True):
    for item in assessment.items.select_related("criterion").filter(criterion__kind="manual"):
        services.assessment_item_update(user=user, item=item,
                                        data={"passed": passed, "note": "Tổ tự quản sinh hoạt hằng tháng"})


def submitted(assessment, user):
    judge_manual(assessment, user)
    assessment.refresh_from_db()
    return services.assessment_submit(user=user, assessment=assessment, expected_version=assessment.version)


def approved(assessment, submitter, leader):
    submitted(assessment, submitter)
    assessment.refresh_from_db()
    return services.assessment_approve(user=leader, assessment=assessment, expected_version=assessment.version, data={})
