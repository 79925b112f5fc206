"""Factories for case records and hotspots (rows written directly, bypassing the services)."""
import datetime as dt
from decimal import Decimal

import factory

from apps.cases.choices import CaseHandling, CaseKind, HotspotKind, ParticipantOutcome, ParticipantRole, SeizedUnit
from apps.cases.models import Case, Hotspot, Participant, SeizedItem
from tests.factories.khom import KhomFactory


class CaseFactory(factory.django.DjangoModelFactory):
    """A case; ward and numbering year follow from khóm and date, numbers never collide."""

    class Meta:
        model = Case

    khom = factory.SubFactory(KhomFactory)
    ward = factory.LazyAttribute(lambda o: o.khom.ward)
    detected_on = dt.date(2025, 6, 15)
    year = factory.LazyAttribute(lambda o: o.detected_on.year)
    number = factory.Sequence(lambda n: n + 1)
    place = factory.Sequence(lambda n: f"Hẻm {n} đường Trần Hưng Đạo")
    kind = CaseKind.ILLEGAL_USE
    handling = CaseHandling.ADMINISTRATIVE
    summary = "Phát hiện đối tượng sử dụng trái phép chất ma túy."


class SeizedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeizedItem

    case = factory.SubFactory(CaseFactory)
    substance = "Methamphetamine"
    quantity = Decimal("0.520")
    unit = SeizedUnit.GRAM


class ParticipantFactory(factory.django.DjangoModelFactory):
    """An outsider by default; pass person=... for someone from the register (and outsider_name="")."""

    class Meta:
        model = Participant

    case = factory.SubFactory(CaseFactory)
    person = None
    outsider_name = factory.Sequence(lambda n: f"Trần Văn Ngoài {n}")
    outsider_birth_year = 1995
    outsider_residence = "Long Xuyên"
    role = ParticipantRole.SUSPECT
    outcome = ParticipantOutcome.ARRESTED


class HotspotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hotspot

    khom = factory.SubFactory(KhomFactory)
    ward = factory.LazyAttribute(lambda o: o.khom.ward)
    address = factory.Sequence(lambda n: f"Số {n} hẻm Bờ Kè")
    kind = HotspotKind.GATHERING
    found_on = dt.date(2025, 3, 1)
    cleared_on = None
    notes = ""
