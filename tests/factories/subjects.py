"""Factories for the register of people under management."""
import datetime as dt

import factory

from apps.subjects.choices import Gender, MoveKind, SampleType, SupportKind, TestResult, TransferStatus
from apps.subjects.models import DrugTest, Episode, EpisodeKind, Person, RecordTransfer, ResidenceMove, SupportRecord
from tests.factories.khom import KhomFactory, WardFactory


class EpisodeKindFactory(factory.django.DjangoModelFactory):
    """An episode kind; the seeded kinds (migration 0002) are reused by code."""

    class Meta:
        model = EpisodeKind
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"kind-{n}")
    name = factory.Sequence(lambda n: f"Loại thử {n}")
    default_term_months = 12
    test_interval_days = 90
    counts_as_user_addict = True
    priority = 10


def seeded_kind(code: str) -> EpisodeKind:
    """One of the kinds the data migration created (illegal_user, addict, post_rehab, …)."""
    return EpisodeKind.objects.get(code=code)


class PersonFactory(factory.django.DjangoModelFactory):
    """A person without CCCD (pass cccd=... with a matching birth date and gender)."""

    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    gender = Gender.MALE
    date_of_birth = dt.date(1990, 5, 17)
    cccd = None
    khom = factory.SubFactory(KhomFactory)
    address = factory.Sequence(lambda n: f"{n} đường Trần Hưng Đạo")


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode

    person = factory.SubFactory(PersonFactory)
    kind = factory.LazyFunction(lambda: seeded_kind("illegal_user"))
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = dt.date(2026, 1, 5)
    decision_signer = "Chủ tịch UBND phường"
    started_on = dt.date(2026, 1, 5)


class DrugTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DrugTest

    person = factory.SubFactory(PersonFactory)
    tested_on = dt.date(2026, 1, 2)
    sample_type = SampleType.URINE
    result = TestResult.NEGATIVE
    tested_by = "Công an phường"


class ResidenceMoveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidenceMove

    person = factory.SubFactory(PersonFactory)
    kind = MoveKind.MOVE_IN
    moved_on = dt.date(2026, 2, 1)
    other_place = "Phường Long Xuyên"


class SupportRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRecord

    person = factory.SubFactory(PersonFactory)
    kind = SupportKind.JOB
    given_on = dt.date(2026, 3, 1)
    provider = "Trung tâm dịch vụ việc làm"


class RecordTransferFactory(factory.django.DjangoModelFactory):
    """A move of *person* out of its ward, recorded by that ward and not yet sent (pass status=... otherwise)."""

    class Meta:
        model = RecordTransfer

    person = factory.SubFactory(PersonFactory)
    status = TransferStatus.TO_SEND
    from_ward = factory.LazyAttribute(lambda o: o.person.khom.ward)
    from_khom = factory.LazyAttribute(lambda o: o.person.khom)
    to_ward = factory.SubFactory(WardFactory)
    person_name = factory.LazyAttribute(lambda o: o.person.full_name)
    moved_on = dt.date(2026, 2, 1)
    start_on = factory.LazyAttribute(lambda o: o.moved_on)
