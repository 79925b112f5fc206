"""Factories for criteria sets, assessments and recognitions."""
import datetime as dt
from decimal import Decimal

import factory

from apps.criteria.choices import CriteriaScope, CriterionKind
from apps.criteria.models import Assessment, CriteriaSet, Criterion, Recognition, WardSelfAssessment, WardTarget


class CriteriaSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSet

    code = factory.Sequence(lambda n: f"bo-thu-{n}")
    version = 1
    name = factory.Sequence(lambda n: f"Bộ tiêu chí thử {n}")
    scope = CriteriaScope.KHOM
    legal_basis = "QĐ 28/2025/QĐ-TTg"
    valid_from = dt.date(2025, 1, 1)


class CriterionFactory(factory.django.DjangoModelFactory):
    """A computed criterion; pass kind=MANUAL with indicator="", operator="", threshold=None for a manual one."""

    class Meta:
        model = Criterion

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    text = factory.Sequence(lambda n: f"Tiêu chí thử {n}")
    kind = CriterionKind.COMPUTED
    indicator = "users_addicts_not_in_treatment"
    operator = "=="
    threshold = Decimal("0")
    order = factory.Sequence(lambda n: n)


class ManualCriterionFactory(CriterionFactory):
    kind = CriterionKind.MANUAL
    indicator = ""
    operator = ""
    threshold = None


def seeded_set(scope: str) -> CriteriaSet:
    """The criteria set the data migration created for *scope* (khom, ward, hotspot)."""
    return CriteriaSet.objects.filter(scope=scope).order_by("-version").first()


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft khóm assessment; create it through services.assessment_create to get its items."""

    class Meta:
        model = Assessment

    criteria_set = factory.LazyFunction(lambda: seeded_set(CriteriaScope.KHOM))
    khom = None
    ward = factory.LazyAttribute(lambda o: o.khom.ward if o.khom else None)
    year = 2025


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recognition

    year = 2025
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decided_on = dt.date(2026, 1, 15)
    valid_until = dt.date(2026, 12, 31)


class WardSelfAssessmentFactory(factory.django.DjangoModelFactory):
    """A draft self-assessment of a ward; send it through services.self_assessment_submit."""

    class Meta:
        model = WardSelfAssessment

    year = 2025


class WardTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WardTarget

    year = 2025
