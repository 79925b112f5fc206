"""One scoping rule for every model of the register, per role."""
import pytest
from django.contrib.auth.models import AnonymousUser

from apps.subjects.models import DrugTest, Episode, Person, ResidenceMove, SupportRecord
from tests.factories.subjects import (DrugTestFactory, EpisodeFactory, ResidenceMoveFactory,
                                      SupportRecordFactory)

pytestmark = pytest.mark.django_db

EXPECTED = {
    "admin_user": {"Nguyễn Văn Đức", "Trần Thị Đào", "Lê Văn Đông"},
    "leader": {"Nguyễn Văn Đức", "Trần Thị Đào"},
    "police": {"Nguyễn Văn Đức", "Trần Thị Đào"},
    "other_police": {"Lê Văn Đông"},
    "khom_officer": {"Nguyễn Văn Đức"},
    "province": set(),
}


@pytest.fixture
def everyone(person, neighbour, stranger):
    for someone in (person, neighbour, stranger):
        EpisodeFactory(person=someone)
        DrugTestFactory(person=someone)
        ResidenceMoveFactory(person=someone)
        SupportRecordFactory(person=someone)


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_reaches_exactly_its_people_and_their_records(request, everyone, role):
    user = request.getfixturevalue(role)
    assert {p.full_name for p in Person.objects.for_user(user)} == EXPECTED[role]
    for model in (Episode, DrugTest, ResidenceMove, SupportRecord):
        assert {r.person.full_name for r in model.objects.for_user(user)} == EXPECTED[role], model


def test_anonymous_users_reach_nothing(everyone):
    assert not Person.objects.for_user(AnonymousUser()).exists()
