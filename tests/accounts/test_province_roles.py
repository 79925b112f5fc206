"""The province roles (viewer, PC04 officer, provincial leadership): every ward, aggregates only, no personal record."""
import pytest
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory

from apps.accounts.choices import PROVINCE_ROLES, Role
from apps.activities.models import Activity, CommitmentSigning, ReintegrationModel
from apps.cases.models import Case, Hotspot
from apps.core.choices import AuditAction
from apps.core.context_processors import navigation
from apps.core.models import AuditEvent
from apps.criteria.models import Assessment, AssessmentItem, Evidence
from apps.imports.models import ImportBatch
from apps.khom.models import Khom, Ward
from apps.reports.choices import ReportStatus
from apps.reports.models import Report
from apps.subjects.models import DrugTest, Episode, Person, ResidenceMove, SupportRecord
from tests.factories.accounts import UserFactory
from tests.factories.activities import ActivityFactory, CommitmentSigningFactory, ReintegrationModelFactory
from tests.factories.cases import CaseFactory, HotspotFactory
from tests.factories.criteria import AssessmentFactory
from tests.factories.reports import ReportFactory
from tests.factories.subjects import (DrugTestFactory, EpisodeFactory, PersonFactory, ResidenceMoveFactory,
                                      SupportRecordFactory)

NEW_ROLES = [Role.PROVINCE_OFFICER, Role.PROVINCE_LEADERSHIP]
# Every model whose rows are personal records or police and ward work that may name people.
PERSONAL_MODELS = [Person, Episode, DrugTest, ResidenceMove, SupportRecord, Case, Hotspot, Activity,
                   CommitmentSigning, ReintegrationModel, Assessment, AssessmentItem, Evidence, ImportBatch,
                   AuditEvent]


def group_permissions(role):
    return {f"{app}.{codename}" for app, codename in
            Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")}


PROVINCE_READING = {
    "khom.view_ward", "khom.view_khom", "reports.view_report",
    # The province's reporting rounds and their compliance board (issue 16 §2, §4).
    "reports.view_reportinground",
    # The province's targets and each ward's target: figures, no person (apps.criteria, issue 17 §4).
    "criteria.view_provincetarget", "criteria.view_wardtarget",
    # The Điều 4–5 classification: published rules and each unit's residents and route flag (issue 17 §2).
    "criteria.view_classificationset", "criteria.view_classificationtype", "criteria.view_classificationthreshold",
    "criteria.view_wardyeardata", "criteria.view_provinceyeardata",
    # Every role's own inbox (apps.notifications): no personal record in it.
    "notifications.view_notification", "notifications.change_notification"}
# What each province role does beyond reading (issue 16 §2–3, issue 17 §3, §4): the officer reviews the wards'
# self-assessments and assigns targets, the leadership decides; both on aggregates only.
PROVINCE_WORK = {
    Role.PROVINCE_OFFICER: {"criteria.view_wardselfassessment", "criteria.review_wardselfassessment",
                            "criteria.assign_wardtarget",
                            # It issues the reporting rounds and accepts or returns the reports (issue 16 §2–3).
                            "reports.add_reportinground", "reports.review_report"},
    Role.PROVINCE_LEADERSHIP: {"criteria.view_wardselfassessment", "criteria.decide_wardselfassessment",
                               "criteria.assign_wardtarget"},
}


@pytest.mark.django_db
def test_the_province_viewer_only_reads_aggregates():
    assert group_permissions(Role.PROVINCE) == PROVINCE_READING


@pytest.mark.django_db
@pytest.mark.parametrize("role", NEW_ROLES)
def test_the_new_province_roles_read_as_the_viewer_does_and_add_their_own_work_only(role):
    assert group_permissions(role) == PROVINCE_READING | PROVINCE_WORK[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(PROVINCE_ROLES))
def test_no_province_role_holds_any_permission_on_a_personal_model(role):
    personal = {(model._meta.app_label, model._meta.model_name) for model in PERSONAL_MODELS}
    held = Group.objects.get(name=role).permissions.values_list("content_type__app_label", "content_type__model")
    assert not personal & set(held)


@pytest.mark.django_db
def test_the_province_officer_issues_rounds_and_reviews_reports_and_nobody_else_at_the_province_does():
    review = {"reports.add_reportinground", "reports.review_report"}
    assert review <= group_permissions(Role.PROVINCE_OFFICER)
    assert not review & (group_permissions(Role.PROVINCE) | group_permissions(Role.PROVINCE_LEADERSHIP)
                         | group_permissions(Role.LEADERSHIP) | group_permissions(Role.POLICE))


@pytest.mark.django_db
def test_the_new_roles_have_vietnamese_labels():
    assert Role.PROVINCE_OFFICER.label == "Cán bộ Công an tỉnh (PC04)"
    assert Role.PROVINCE_LEADERSHIP.label == "Lãnh đạo UBND tỉnh"


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(PROVINCE_ROLES))
def test_every_province_role_is_province_level_and_sees_no_personal_records(role):
    user = UserFactory(role=role)
    assert user.is_province and not user.sees_personal_records
    assert not (user.is_leadership or user.is_police or user.is_khom_officer or user.is_administrator)
    assert [user.is_province_viewer, user.is_province_officer, user.is_province_leadership].count(True) == 1


@pytest.mark.django_db
def test_ward_roles_are_not_province_level(leader, police, khom_officer):
    assert not any(u.is_province for u in (leader, police, khom_officer))


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["province", "province_officer", "province_leadership"])
def test_the_navigation_offers_a_province_role_the_dashboard_khom_roadmap_and_reports_only(fixture, request):
    user = request.getfixturevalue(fixture)
    http_request = RequestFactory().get("/")
    http_request.user = user
    assert [str(item["label"]) for item in navigation(http_request)["menu"]] == [
        "Tổng quan", "Khóm", "Lộ trình tỉnh", "Báo cáo"]


@pytest.fixture
def records(ward, khom):
    """One row of every personal model, in *ward*."""
    from apps.criteria.choices import CriteriaScope
    from apps.criteria.models import Criterion

    person = PersonFactory(khom=khom)
    assessment = AssessmentFactory(khom=khom)
    criterion = Criterion.objects.filter(criteria_set=assessment.criteria_set).first()
    item = AssessmentItem.objects.create(assessment=assessment, criterion=criterion, note="Hộ ông A đã cam kết")
    assert assessment.criteria_set.scope == CriteriaScope.KHOM
    Evidence.objects.create(item=item, filename="bien-ban.pdf", content_type="application/pdf", size=4,
                            sha256="0" * 64, data=b"%PDF")
    EpisodeFactory(person=person)
    DrugTestFactory(person=person)
    ResidenceMoveFactory(person=person)
    SupportRecordFactory(person=person)
    CaseFactory(khom=khom)
    HotspotFactory(khom=khom)
    ActivityFactory(khom=khom)
    CommitmentSigningFactory(khom=khom)
    ReintegrationModelFactory(khom=khom)
    ImportBatch.objects.create(kind="persons", file_name="ds.xlsx", file_bytes=b"x", ward=ward)
    AuditEvent.objects.create(action=AuditAction.VIEW, object_type="subjects.person", object_id=str(person.pk),
                              object_repr=person.full_name, ward_id=ward.pk)


def mistaken_province_user(role, ward, khom):
    """A province user given, by mistake, every permission there is and a ward and a khóm of scope."""
    user = UserFactory(role=role, wards=[ward], khoms=[khom])
    user.user_permissions.set(Permission.objects.all())
    return type(user).objects.get(pk=user.pk)  # fresh: no cached permissions or scope


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(PROVINCE_ROLES))
def test_no_personal_model_gives_a_province_role_a_row_even_with_every_permission_and_a_ward(
        role, records, ward, khom, admin_user, leader):
    user = mistaken_province_user(role, ward, khom)
    assert user.has_perm("subjects.view_person") and user.has_perm("cases.view_case")
    for model in PERSONAL_MODELS:
        assert model.objects.for_user(admin_user).exists(), f"{model.__name__}: the test data has a row"
        assert not model.objects.for_user(user).exists(), f"{model.__name__} reaches {role}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(PROVINCE_ROLES))
def test_a_province_role_reaches_every_ward_and_khom_and_only_submitted_reports(role, ward, other_ward, khom,
                                                                                 other_khom, leader):
    user = UserFactory(role=role)
    ReportFactory(ward=ward, status=ReportStatus.DRAFT)
    submitted = ReportFactory(ward=other_ward, status=ReportStatus.SUBMITTED, snapshot={"x": 1},
                              submitted_at="2026-04-05T08:00:00+07:00", submitted_by=leader)
    assert set(Ward.objects.for_user(user)) == {ward, other_ward}
    assert set(Khom.objects.for_user(user)) == {khom, other_khom}
    assert list(Report.objects.for_user(user)) == [submitted]
