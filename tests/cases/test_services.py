"""Case and hotspot services: numbering, validation that writes nothing, scope, audit."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.cases.choices import CaseKind, ParticipantRole
from apps.cases.models import (FUTURE_DATE, NUMBER_TAKEN, PARTICIPANT_TWICE, QUANTITY_NOT_POSITIVE, Case,
                               Hotspot, Participant, SeizedItem)
from apps.cases.services import (KHOM_OUT_OF_SCOPE, OFFICER_OUT_OF_WARD, PERSON_OUT_OF_SCOPE, CaseData, HotspotData,
                                 ParticipantData, SeizedItemData, case_create, case_update, hotspot_create,
                                 hotspot_update)
from apps.core.locking import STALE_VERSION
from apps.core.models import AuditEvent
from tests.factories.cases import CaseFactory
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db


def data(khom, **overrides):
    values = {"khom": khom, "detected_on": dt.date(2025, 3, 10), "kind": CaseKind.POSSESSION, "place": "Chợ Mỹ Thới"}
    values.update(overrides)
    return CaseData(**values)


def messages_of(error):
    return [str(m) for m in error.value.messages]


def test_cases_are_numbered_one_two_three_within_a_ward_and_year(police, khom):
    numbers = [case_create(user=police, data=data(khom)).number for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_numbering_starts_again_each_year_and_in_each_ward(police, admin_user, khom, other_khom):
    case_create(user=police, data=data(khom))
    assert case_create(user=police, data=data(khom, detected_on=dt.date(2024, 12, 31))).number == 1
    assert case_create(user=admin_user, data=data(other_khom)).number == 1
    assert case_create(user=police, data=data(khom)).code == "2/2025"


def test_numbering_continues_after_cases_written_without_the_counter(police, khom):
    CaseFactory(khom=khom, number=7, detected_on=dt.date(2025, 1, 2))
    assert case_create(user=police, data=data(khom)).number == 8


def test_a_number_typed_by_hand_is_kept_and_moves_the_counter(police, khom):
    assert case_create(user=police, data=data(khom, number=20)).number == 20
    assert case_create(user=police, data=data(khom)).number == 21


def test_a_number_already_used_is_refused_and_nothing_is_written(police, khom):
    case_create(user=police, data=data(khom, number=5))
    with pytest.raises(ValidationError) as error:
        case_create(user=police, data=data(khom, number=5))
    assert messages_of(error) == [str(NUMBER_TAKEN)]
    assert Case.objects.count() == 1


def test_case_create_stores_ward_items_participants_and_audits(police, khom):
    person = PersonFactory(khom=khom, full_name="Nguyễn Văn Đức")
    case = case_create(
        user=police, data=data(khom, officer=police),
        seized_items=[SeizedItemData(substance="Heroin", quantity=Decimal("1.5"), unit="g")],
        participants=[ParticipantData(role=ParticipantRole.SUSPECT, person=person),
                      ParticipantData(role=ParticipantRole.USER, outsider_name="Lê Văn Khách", outsider_birth_year=1990)],
    )
    assert case.ward_id == khom.ward_id and case.year == 2025 and case.created_by == police
    assert [str(i.substance) for i in case.seized_items.all()] == ["Heroin"]
    assert sorted(p.name for p in case.participants.all()) == ["Lê Văn Khách", "Nguyễn Văn Đức"]
    assert "nguyen van duc" in case.search_text
    event = AuditEvent.objects.get(action="create", object_type="cases.case")
    assert event.ward_id == khom.ward_id and event.object_id == str(case.pk)
    assert event.changes["kind"] == [None, CaseKind.POSSESSION]
    assert event.changes["participants"][1]


def test_a_future_detection_date_is_refused_and_nothing_is_written(police, khom):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        case_create(user=police, data=data(khom, detected_on=tomorrow))
    assert messages_of(error) == [str(FUTURE_DATE)]
    assert not Case.objects.exists() and not AuditEvent.objects.filter(action="create").exists()


@pytest.mark.parametrize("quantity", [Decimal("0"), Decimal("-2")])
def test_a_zero_or_negative_quantity_is_refused_and_nothing_is_written(police, khom, quantity):
    with pytest.raises(ValidationError) as error:
        case_create(user=police, data=data(khom),
                    seized_items=[SeizedItemData(substance="Heroin", quantity=quantity, unit="g")])
    assert str(QUANTITY_NOT_POSITIVE) in messages_of(error)
    assert not Case.objects.exists() and not SeizedItem.objects.exists()


def test_a_khom_of_another_ward_is_refused_and_nothing_is_written(police, other_khom):
    with pytest.raises(ValidationError) as error:
        case_create(user=police, data=data(other_khom))
    assert messages_of(error) == [str(KHOM_OUT_OF_SCOPE)]
    assert not Case.objects.exists()


def test_a_participant_outside_the_users_scope_is_refused_and_nothing_is_written(police, khom, other_khom):
    stranger = PersonFactory(khom=other_khom)
    with pytest.raises(ValidationError) as error:
        case_create(user=police, data=data(khom),
                    participants=[ParticipantData(role=ParticipantRole.SUSPECT, person=stranger)])
    assert messages_of(error) == [str(PERSON_OUT_OF_SCOPE)]
    assert not Case.objects.exists() and not Participant.objects.exists()


def test_the_same_person_twice_in_one_case_is_refused(police, khom):
    person = PersonFactory(khom=khom)
    with pytest.raises(ValidationError) as error:
        case_create(user=police, data=data(khom), participants=[
            ParticipantData(role=ParticipantRole.SUSPECT, person=person),
            ParticipantData(role=ParticipantRole.USER, person=person)])
    assert str(PARTICIPANT_TWICE) in messages_of(error)
    assert not Case.objects.exists()


def test_an_officer_of_another_ward_cannot_be_put_in_charge(police, other_police, khom):
    with pytest.raises(ValidationError) as error:
        case_create(user=police, data=data(khom, officer=other_police))
    assert messages_of(error) == [str(OFFICER_OUT_OF_WARD)]


def test_case_update_replaces_rows_records_the_diff_and_bumps_the_version(police, khom, khom2):
    case = case_create(user=police, data=data(khom), seized_items=[
        SeizedItemData(substance="Heroin", quantity=Decimal("1"), unit="g")])
    updated = case_update(case=case, user=police, expected_version=1, data=data(khom2, place="Bến đò"),
                          seized_items=[SeizedItemData(substance="Ketamine", quantity=Decimal("2"), unit="g")])
    assert updated.version == 2 and updated.number == 1 and updated.khom == khom2
    assert [i.substance for i in updated.seized_items.all()] == ["Ketamine"]
    event = AuditEvent.objects.get(action="update", object_type="cases.case")
    assert event.changes["place"] == ["Chợ Mỹ Thới", "Bến đò"]
    assert event.changes["khom_id"] == [khom.pk, khom2.pk]
    assert event.changes["seized_items"][0] == ["Heroin: 1 gam"]


def test_case_update_with_a_stale_version_is_refused_and_changes_nothing(police, khom):
    case = case_create(user=police, data=data(khom))
    case_update(case=Case.objects.get(pk=case.pk), user=police, expected_version=1, data=data(khom, place="Mới"))
    with pytest.raises(ValidationError) as error:
        case_update(case=Case.objects.get(pk=case.pk), user=police, expected_version=1, data=data(khom, place="Cũ"))
    assert messages_of(error) == [str(STALE_VERSION)]
    assert Case.objects.get(pk=case.pk).place == "Mới"


def test_moving_a_case_to_another_year_gives_it_a_number_of_that_year(police, khom):
    case_create(user=police, data=data(khom, detected_on=dt.date(2024, 5, 1)))
    case = case_create(user=police, data=data(khom))
    moved = case_update(case=case, user=police, expected_version=1, data=data(khom, detected_on=dt.date(2024, 6, 1)))
    assert moved.code == "2/2024"


def test_hotspot_create_and_clear(police, khom):
    hotspot = hotspot_create(user=police, data=HotspotData(khom=khom, address="12 hẻm 3", kind="gathering",
                                                            found_on=dt.date(2025, 2, 1)))
    assert hotspot.ward_id == khom.ward_id
    assert Hotspot.objects.active_on(dt.date(2025, 3, 1)).count() == 1
    hotspot_update(hotspot=hotspot, user=police, expected_version=1,
                   data=HotspotData(khom=khom, address="12 hẻm 3", kind="gathering",
                                    found_on=dt.date(2025, 2, 1), cleared_on=dt.date(2025, 4, 1)))
    assert Hotspot.objects.active_on(dt.date(2025, 3, 31)).count() == 1
    assert Hotspot.objects.active_on(dt.date(2025, 4, 1)).count() == 0
    assert AuditEvent.objects.filter(object_type="cases.hotspot", action__in=["create", "update"]).count() == 2


def test_hotspot_in_another_ward_is_refused(police, other_khom):
    with pytest.raises(ValidationError) as error:
        hotspot_create(user=police, data=HotspotData(khom=other_khom, address="x", kind="gathering",
                                                     found_on=dt.date(2025, 2, 1)))
    assert messages_of(error) == [str(KHOM_OUT_OF_SCOPE)]
    assert not Hotspot.objects.exists()
