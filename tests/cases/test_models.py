"""Database invariants of cases and hotspots, and the scoping of their querysets."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apps.cases.choices import CaseKind
from apps.cases.models import Case, Hotspot, Participant
from tests.factories.cases import CaseFactory, HotspotFactory, ParticipantFactory, SeizedItemFactory
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db


def refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_the_database_refuses_a_second_case_with_the_same_number_in_a_ward_and_year(khom):
    CaseFactory(khom=khom, number=1)
    refused(CaseFactory, khom=khom, number=1)
    CaseFactory(khom=khom, number=1, detected_on=dt.date(2024, 1, 1))  # another year is fine


def test_the_database_refuses_a_numbering_year_other_than_the_detection_year(khom):
    refused(CaseFactory, khom=khom, detected_on=dt.date(2025, 1, 1), year=2024)


def test_the_database_refuses_zero_or_negative_quantities(khom):
    case = CaseFactory(khom=khom)
    refused(SeizedItemFactory, case=case, quantity=Decimal("0"))
    refused(SeizedItemFactory, case=case, quantity=Decimal("-1"))


def test_destroyed_plants_are_only_recorded_on_cultivation_cases(khom):
    refused(CaseFactory, khom=khom, kind=CaseKind.POSSESSION, plants_destroyed=10)
    CaseFactory(khom=khom, kind=CaseKind.CULTIVATION, plants_destroyed=3200, area_destroyed_m2=Decimal("800"))


def test_a_participant_is_either_a_registered_person_or_a_named_outsider(khom):
    case = CaseFactory(khom=khom)
    person = PersonFactory(khom=khom)
    refused(ParticipantFactory, case=case, person=person, outsider_name="Cả hai")
    refused(ParticipantFactory, case=case, person=None, outsider_name="")
    ParticipantFactory(case=case, person=person, outsider_name="", outsider_birth_year=None, outsider_residence="")
    refused(ParticipantFactory, case=case, person=person, outsider_name="", outsider_birth_year=None,
            outsider_residence="")
    assert Participant.objects.count() == 1


def test_a_hotspot_cannot_be_cleared_before_it_was_found(khom):
    refused(HotspotFactory, khom=khom, found_on=dt.date(2025, 5, 1), cleared_on=dt.date(2025, 4, 1))


@pytest.mark.parametrize("role, sees_ward_a, sees_ward_b", [
    ("admin_user", True, True), ("leader", True, False), ("police", True, False),
    ("other_police", False, True), ("khom_officer", False, False), ("province", False, False),
])
def test_cases_and_hotspots_are_scoped_to_the_ward_of_police_and_leadership(request, khom, other_khom, role,
                                                                             sees_ward_a, sees_ward_b):
    user = request.getfixturevalue(role)
    case_a, case_b = CaseFactory(khom=khom), CaseFactory(khom=other_khom)
    spot_a, spot_b = HotspotFactory(khom=khom), HotspotFactory(khom=other_khom)
    cases = set(Case.objects.for_user(user))
    spots = set(Hotspot.objects.for_user(user))
    assert (case_a in cases, case_b in cases) == (sees_ward_a, sees_ward_b)
    assert (spot_a in spots, spot_b in spots) == (sees_ward_a, sees_ward_b)


def test_active_hotspots_on_a_date(khom):
    HotspotFactory(khom=khom, found_on=dt.date(2025, 1, 1), cleared_on=dt.date(2025, 6, 1))
    HotspotFactory(khom=khom, found_on=dt.date(2025, 3, 1))
    assert Hotspot.objects.active_on(dt.date(2024, 12, 31)).count() == 0
    assert Hotspot.objects.active_on(dt.date(2025, 5, 31)).count() == 2
    assert Hotspot.objects.active_on(dt.date(2025, 6, 1)).count() == 1
