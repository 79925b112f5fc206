import datetime as dt

import factory

from apps.activities.choices import ActivityKind, Audience
from apps.activities.models import Activity, CommitmentSigning, ReintegrationModel

from .khom import KhomFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    """A session in a khóm (pass khom=None for a whole-ward session, with ward=...)."""

    class Meta:
        model = Activity

    khom = factory.SubFactory(KhomFactory)
    ward = factory.LazyAttribute(lambda o: o.khom.ward)
    kind = ActivityKind.PROPAGANDA
    held_on = dt.date(2025, 5, 10)
    topic = factory.Sequence(lambda n: f"Tác hại của ma túy — buổi {n}")
    audience = Audience.RESIDENTS
    participants = 40
    organiser = "Công an phường"


class CommitmentSigningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentSigning

    khom = factory.SubFactory(KhomFactory)
    signed_on = factory.Sequence(lambda n: dt.date(2025, 1, 1) + dt.timedelta(days=n))
    households_signed = 450
    households_total = 500


class ReintegrationModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReintegrationModel

    khom = factory.SubFactory(KhomFactory)
    ward = factory.LazyAttribute(lambda o: o.khom.ward)
    name = factory.Sequence(lambda n: f"Câu lạc bộ tái hòa nhập {n}")
    started_on = dt.date(2025, 3, 1)
    people_supported = 10
