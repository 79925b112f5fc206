"""Writes of case records and hotspots: each one transaction, validated in full, with its audit record."""
import datetime as dt
from decimal import Decimal
from typing import Required, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.audit import AuditAction, audit, diff, snapshot
from apps.core.locking import check_and_bump_version
from apps.khom.models import Khom

from .models import NUMBER_TAKEN, Case, CaseNumberCounter, Hotspot, Participant, SeizedItem

# Error messages (tests assert on these).
KHOM_OUT_OF_SCOPE = _("Khóm này không thuộc phường bạn phụ trách.")
PERSON_OUT_OF_SCOPE = _("Đối tượng này không thuộc phạm vi bạn phụ trách.")
OFFICER_OUT_OF_WARD = _("Cán bộ thụ lý phải là cán bộ Công an của phường có vụ việc.")


# The ``data`` the services take is, as everywhere, a dict of cleaned values; its keys are declared here
# because the import builds them too. A key left out keeps the stored value (or the model's default).
class CaseData(TypedDict, total=False):
    """The fields of a case a user enters (ward and year follow from khóm and date; a blank number is given)."""

    khom: Required[Khom]
    detected_on: Required[dt.date]
    kind: Required[str]
    handling: str
    place: str
    summary: str
    officer: User | None
    number: int | None
    plants_destroyed: int | None
    area_destroyed_m2: Decimal | None


class SeizedItemData(TypedDict):
    substance: str
    quantity: Decimal
    unit: str


class ParticipantData(TypedDict, total=False):
    """Either ``person`` (from the register) or ``outsider_name`` (and optionally birth year and residence)."""

    role: Required[str]
    person: object | None
    outsider_name: str
    outsider_birth_year: int | None
    outsider_residence: str
    outcome: str


class HotspotData(TypedDict, total=False):
    khom: Required[Khom]
    address: Required[str]
    kind: Required[str]
    found_on: Required[dt.date]
    cleared_on: dt.date | None
    notes: str


def case_number_allocate(*, ward_id: int, year: int, requested: int | None = None) -> int:
    """Hand out the next case number of (ward, year), or check a number typed by hand.

    The counter row is created if missing (ON CONFLICT DO NOTHING, so two first
    cases of a year cannot both insert it) and then locked: a second officer
    saving at the same moment waits here until the first transaction commits,
    then reads the advanced counter. Numbers typed by hand move the counter too.
    """
    CaseNumberCounter.objects.bulk_create([CaseNumberCounter(ward_id=ward_id, year=year)], ignore_conflicts=True)
    counter = CaseNumberCounter.objects.select_for_update().get(ward_id=ward_id, year=year)
    if requested:
        if Case.objects.filter(ward_id=ward_id, year=year, number=requested).exists():
            raise ValidationError({"number": ValidationError(NUMBER_TAKEN, code="number_taken")})
        number = requested
    else:
        # Cases loaded before the counter existed (imports, admin) must not be collided with.
        highest = Case.objects.filter(ward_id=ward_id, year=year).aggregate(m=Max("number"))["m"] or 0
        number = max(counter.last_number, highest) + 1
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])
    return number


def _check_khom(*, user, khom) -> None:
    if not Khom.objects.for_user(user).filter(pk=khom.pk).exists():
        raise ValidationError({"khom": ValidationError(KHOM_OUT_OF_SCOPE, code="khom_scope")})


def _check_scope_after_save(*, user, model, pk) -> None:
    # The row as saved must still be one the user may open; otherwise the whole write is undone.
    if not model.objects.for_user(user).filter(pk=pk).exists():
        raise ValidationError({"khom": ValidationError(KHOM_OUT_OF_SCOPE, code="khom_scope")})


def _check_people(*, user, participants, kept=()) -> None:
    """Every person newly put on the case is in the user's scope; those already on it (*kept*) stay valid after
    their record moved to another ward."""
    from apps.subjects.models import Person

    ids = {p["person"].pk for p in participants if p.get("person") is not None} - set(kept)
    if ids and Person.objects.for_user(user).filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"participants": ValidationError(PERSON_OUT_OF_SCOPE, code="person_scope")})


def _check_officer(*, officer, ward_id) -> None:
    if officer is not None and not (officer.is_police and ward_id in officer.scope_ward_ids):
        raise ValidationError({"officer": ValidationError(OFFICER_OUT_OF_WARD, code="officer_ward")})


def case_rows_snapshot(case) -> dict:
    """Seized items and participants as text, for the audit diff."""
    return {
        "seized_items": [str(item) for item in case.seized_items.all()],
        "participants": [
            f"{p.name} ({p.get_role_display()}, {p.get_outcome_display()})"
            for p in case.participants.select_related("person")
        ],
    }


def _write_children(*, case, seized_items, participants) -> None:
    """Replace the seized items and participants of *case* with the given rows, validating each."""
    case.seized_items.all().delete()
    case.participants.all().delete()
    for data in seized_items:
        item = SeizedItem(case=case, **data)
        item.full_clean()
        item.save()
    for data in participants:
        participant = Participant(case=case, **data)
        participant.full_clean()
        participant.save()


def _apply(case, data: CaseData) -> None:
    for name, value in data.items():
        if name != "number":
            setattr(case, name, value)
    case.derive()


def _participant_names(participants):
    return [p["person"].full_name if p.get("person") is not None else p.get("outsider_name", "") for p in participants]


def _prepare(case: Case, *, user: User, data: CaseData, participants, kept=()) -> None:
    """Check scope and input and put *data* on *case*; raises before anything is written."""
    _check_khom(user=user, khom=data["khom"])
    _check_people(user=user, participants=participants, kept=kept)
    _apply(case, data)
    _check_officer(officer=case.officer if case.officer_id else None, ward_id=case.ward_id)
    case.clean()  # refuse a future date before a number is spent on it


def _store(case: Case, *, user: User, seized_items, participants) -> dict:
    """Validate and save *case* with its rows, re-check scope, and return its snapshot for the audit."""
    case.search_text = case.build_search_text(_participant_names(participants))
    case.full_clean()
    case.save()
    _write_children(case=case, seized_items=seized_items, participants=participants)
    _check_scope_after_save(user=user, model=Case, pk=case.pk)
    return {**snapshot(case), **case_rows_snapshot(case)}


@transaction.atomic
def case_create(*, user: User, data: CaseData, seized_items: list[SeizedItemData] = (),
                participants: list[ParticipantData] = ()) -> Case:
    """Record a new case with its seized items and participants; the number is given if left blank."""
    case = Case(created_by=user)
    _prepare(case, user=user, data=data, participants=participants)
    case.number = case_number_allocate(ward_id=case.ward_id, year=case.year, requested=data.get("number"))
    after = _store(case, user=user, seized_items=seized_items, participants=participants)
    audit(AuditAction.CREATE, user=user, obj=case, changes=diff(None, after))
    return case


@transaction.atomic
def case_update(*, case: Case, user: User, expected_version: int | None, data: CaseData,
                seized_items: list[SeizedItemData] = (), participants: list[ParticipantData] = ()) -> Case:
    """Change a case and replace its seized items and participants; a concurrent edit is refused."""
    check_and_bump_version(case, expected_version)
    # "Before" comes from the database: the caller's instance may already carry form input.
    stored = Case._base_manager.get(pk=case.pk)
    before = {**snapshot(stored), **case_rows_snapshot(stored)}
    kept = set(stored.participants.exclude(person=None).values_list("person_id", flat=True))
    _prepare(case, user=user, data=data, participants=participants, kept=kept)
    moved = (case.ward_id, case.year) != (stored.ward_id, stored.year)
    requested = data.get("number")
    if requested and (moved or requested != stored.number):
        case.number = case_number_allocate(ward_id=case.ward_id, year=case.year, requested=requested)
    elif moved:
        # A new year (or ward) means a number of that year's series.
        case.number = case_number_allocate(ward_id=case.ward_id, year=case.year)
    else:
        case.number = stored.number
    after = _store(case, user=user, seized_items=seized_items, participants=participants)
    audit(AuditAction.UPDATE, user=user, obj=case, changes=diff(before, after))
    return case


@transaction.atomic
def hotspot_create(*, user: User, data: HotspotData) -> Hotspot:
    """Record a hotspot found in a khóm of the user's ward."""
    _check_khom(user=user, khom=data["khom"])
    hotspot = Hotspot(created_by=user, **data)
    hotspot.derive()
    hotspot.full_clean()
    hotspot.save()
    _check_scope_after_save(user=user, model=Hotspot, pk=hotspot.pk)
    audit(AuditAction.CREATE, user=user, obj=hotspot, changes=diff(None, snapshot(hotspot)))
    return hotspot


@transaction.atomic
def hotspot_update(*, hotspot: Hotspot, user: User, expected_version: int | None, data: HotspotData) -> Hotspot:
    """Change a hotspot (e.g. record the day it was cleared); a concurrent edit is refused."""
    check_and_bump_version(hotspot, expected_version)
    before = snapshot(Hotspot._base_manager.get(pk=hotspot.pk))
    _check_khom(user=user, khom=data["khom"])
    for name, value in data.items():
        setattr(hotspot, name, value)
    hotspot.derive()
    hotspot.full_clean()
    hotspot.save()
    _check_scope_after_save(user=user, model=Hotspot, pk=hotspot.pk)
    audit(AuditAction.UPDATE, user=user, obj=hotspot, changes=diff(before, snapshot(hotspot)))
    return hotspot
