"""A residence move asks for the new address and writes it to the person's record."""
import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.subjects.choices import MoveKind
from apps.subjects.forms import MOVE_NEEDS_ADDRESS
from apps.subjects.models import ResidenceMove

pytestmark = pytest.mark.django_db


def _move(client, person, **data):
    return client.post(reverse("subjects:move_create", args=[person.pk]), {"moved_on": "01/02/2026", **data})


def test_the_move_form_asks_for_the_new_address(client_for, police, person):
    html = client_for(police).get(reverse("subjects:move_create", args=[person.pk])).content.decode()
    assert 'name="new_address"' in html and "Địa chỉ mới" in html


def test_a_move_within_the_ward_writes_the_new_address_and_khom_to_the_person(client_for, police, person, khom2):
    response = _move(client_for(police), person, kind=MoveKind.WITHIN_WARD, to_khom=khom2.pk,
                     new_address="  45   hẻm Bờ Kè ")
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.khom, person.address) == (khom2, "45 hẻm Bờ Kè")
    assert ResidenceMove.objects.get(person=person).new_address == "45 hẻm Bờ Kè"
    event = AuditEvent.objects.filter(action="update", object_type="subjects.person", object_id=str(person.pk)).get()
    assert event.changes["address"][1] == "45 hẻm Bờ Kè" and event.changes["khom_id"][1] == khom2.pk


@pytest.mark.parametrize("kind", [MoveKind.WITHIN_WARD, MoveKind.MOVE_IN])
def test_a_move_into_or_within_the_ward_without_an_address_is_refused(client_for, police, person, khom2, kind):
    address = person.address
    response = _move(client_for(police), person, kind=kind, to_khom=khom2.pk, new_address="   ")
    assert response.status_code == 200
    assert MOVE_NEEDS_ADDRESS in response.context["form"].errors["new_address"]
    person.refresh_from_db()
    assert person.address == address and not ResidenceMove.objects.exists()


def test_a_move_out_needs_no_new_address_and_keeps_the_record(client_for, police, person):
    address = person.address
    response = _move(client_for(police), person, kind=MoveKind.MOVE_OUT, other_place="TP. Cần Thơ")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.address == address
