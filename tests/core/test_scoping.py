"""apps.core.scoping: one role rule, each model stating only its paths — checked on real rows of two wards."""
import pytest

from apps.activities.models import Activity, CommitmentSigning
from apps.cases.models import Case
from apps.khom.models import Khom, Ward
from apps.subjects.models import DrugTest, Person
from tests.factories.activities import ActivityFactory, CommitmentSigningFactory
from tests.factories.cases import CaseFactory
from tests.factories.subjects import DrugTestFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(ward, khom, khom2, other_khom):
    here, there = PersonFactory(khom=khom), PersonFactory(khom=other_khom)
    return {
        "person": (here, PersonFactory(khom=khom2), there),
        "test": (DrugTestFactory(person=here), DrugTestFactory(person=there)),
        "case": (CaseFactory(khom=khom), CaseFactory(khom=other_khom)),
        "activity": (ActivityFactory(ward=ward, khom=khom), ActivityFactory(ward=ward, khom=None),
                     ActivityFactory(ward=other_khom.ward, khom=other_khom)),
        "signing": (CommitmentSigningFactory(khom=khom), CommitmentSigningFactory(khom=other_khom)),
    }


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_ward_staff_see_their_wards_rows_and_nothing_of_another_ward(rows, police, leader):
    own, own2, other = rows["person"]
    for user in (police, leader):
        assert ids(Person.objects.for_user(user)) == {own.pk, own2.pk}
        assert ids(DrugTest.objects.for_user(user)) == {rows["test"][0].pk}
        assert ids(Case.objects.for_user(user)) == {rows["case"][0].pk}
        assert ids(Activity.objects.for_user(user)) == {rows["activity"][0].pk, rows["activity"][1].pk}
        assert ids(CommitmentSigning.objects.for_user(user)) == {rows["signing"][0].pk}


def test_a_khom_officer_sees_his_khoms_rows_only_and_no_case(rows, khom_officer, khom, ward):
    assert ids(Person.objects.for_user(khom_officer)) == {rows["person"][0].pk}
    assert ids(DrugTest.objects.for_user(khom_officer)) == {rows["test"][0].pk}
    assert not Case.objects.for_user(khom_officer).exists()
    # The whole-ward session (no khóm) is not his.
    assert ids(Activity.objects.for_user(khom_officer)) == {rows["activity"][0].pk}
    assert ids(Khom.objects.for_user(khom_officer)) == {khom.pk}
    assert ids(Ward.objects.for_user(khom_officer)) == {ward.pk}


def test_the_province_roles_see_no_record_but_every_ward_and_khom(rows, province, province_officer,
                                                                   province_leadership):
    for user in (province, province_officer, province_leadership):
        for model in (Person, DrugTest, Case, Activity, CommitmentSigning):
            assert not model.objects.for_user(user).exists(), (user.role, model.__name__)
        assert Ward.objects.for_user(user).count() == Ward.objects.count()
        assert Khom.objects.for_user(user).count() == Khom.objects.count()


def test_anonymous_sees_nothing_and_the_administrator_everything(rows, admin_user):
    from django.contrib.auth.models import AnonymousUser

    for model in (Person, DrugTest, Case, Activity, CommitmentSigning, Khom, Ward):
        assert not model.objects.for_user(AnonymousUser()).exists()
        assert model.objects.for_user(admin_user).count() == model.objects.count()
