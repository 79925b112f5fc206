"""The ward an audit event is recorded under follows from the scope path each model's queryset states."""
import pytest
from django.apps import apps
from django.utils import timezone

from apps.core.audit import ward_id_of
from apps.core.scoping import ReferenceQuerySet, ScopedQuerySet
from apps.reports.models import ReportVersion
from tests.factories.activities import ActivityFactory, CommitmentSigningFactory, ReintegrationModelFactory
from tests.factories.cases import CaseFactory, HotspotFactory, ParticipantFactory, SeizedItemFactory
from tests.factories.criteria import (
    AssessmentFactory, CriteriaSetFactory, RecognitionFactory, WardSelfAssessmentFactory, WardTargetFactory,
)
from tests.factories.reports import ReportFactory, ReportingRoundFactory
from tests.factories.subjects import (
    DrugTestFactory, EpisodeFactory, PersonFactory, RecordTransferFactory, ResidenceMoveFactory, SupportRecordFactory,
)


def _app_models():
    return [model for model in apps.get_models() if model.__module__.startswith("apps.")]


def _queryset_class(model):
    return model._default_manager._queryset_class


def test_only_models_scoped_otherwise_state_their_own_audit_ward():
    # A ScopedQuerySet's ward_path already says where a row's ward is: restating it is the repetition removed.
    restating = [model._meta.label for model in _app_models()
                 if "audit_ward_id" in vars(model) and issubclass(_queryset_class(model), ScopedQuerySet)]
    assert restating == []


@pytest.mark.django_db
def test_the_ward_recorded_for_a_saved_row_is_the_ward_its_scope_path_leads_to(khom, admin_user):
    person = PersonFactory(khom=khom)
    report = ReportFactory(ward=khom.ward)
    case = CaseFactory(khom=khom)
    rows = [
        khom.ward, khom, person, EpisodeFactory(person=person), DrugTestFactory(person=person),
        ResidenceMoveFactory(person=person), SupportRecordFactory(person=person), RecordTransferFactory(person=person),
        case, HotspotFactory(khom=khom), ActivityFactory(khom=khom), CommitmentSigningFactory(khom=khom),
        ReintegrationModelFactory(khom=khom), AssessmentFactory(khom=khom), WardSelfAssessmentFactory(ward=khom.ward),
        WardTargetFactory(ward=khom.ward), report,
        ReportVersion.objects.create(report=report, number=1, submitted_at=timezone.now(), submitted_by=admin_user),
    ]
    for row in rows:
        fresh = type(row)._default_manager.get(pk=row.pk)  # nothing cached: the walk reads the relations itself
        assert ward_id_of(fresh) == khom.ward_id, type(row).__name__
    # The same in the database's words: the value of ward_path for every saved row of every scoped model.
    checked = set()
    for model in _app_models():
        queryset_class = _queryset_class(model)
        if not issubclass(queryset_class, ScopedQuerySet):
            continue
        first = queryset_class.ward_path.split("__")[0]
        if first != "pk" and model._meta.get_field(first).many_to_many:
            continue  # a reporting round: below
        for pk, ward_id in model._default_manager.values_list("pk", queryset_class.ward_path):
            assert ward_id_of(model._default_manager.get(pk=pk)) == ward_id, model.__name__
            checked.add(model._meta.label)
    assert {"khom.Ward", "khom.Khom", "subjects.Person", "subjects.DrugTest", "cases.Case", "reports.Report",
            "reports.ReportVersion"} <= checked


@pytest.mark.django_db
def test_rows_outside_any_ward_record_none_and_rows_scoped_through_a_parent_keep_their_rule(khom):
    criteria_set = CriteriaSetFactory()
    assert issubclass(_queryset_class(type(criteria_set)), ReferenceQuerySet)
    assert ward_id_of(criteria_set) is None
    # A round reaches its wards through a many-to-many: no single ward.
    assert ward_id_of(ReportingRoundFactory(wards=[khom.ward])) is None
    # Participants, seized items and recognitions are read through their case or khóm.
    case = CaseFactory(khom=khom)
    assert ward_id_of(ParticipantFactory(case=case)) == khom.ward_id
    assert ward_id_of(SeizedItemFactory(case=case)) == khom.ward_id
    assert ward_id_of(RecognitionFactory(khom=khom)) == khom.ward_id
    # An unset relation on the way ends the walk without a query.
    assert ward_id_of(PersonFactory.build(khom=None)) is None
    assert ward_id_of(None) is None
