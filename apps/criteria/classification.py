"""Classification of hotspot areas (QĐ 28/2025/QĐ-TTg): communes by Điều 4 (types I–III), the province by Điều 5.

The rules are data (``ClassificationSet`` → types → thresholds, edited in the
admin); this module only applies them. Figures are the registry's counts over
the kỳ đánh giá of the year (apps.criteria.cycle) and the unit's residents of
that year (``WardYearData``); rates are compared exactly (count × 100 against
threshold × residents as decimals, never a rounded percentage), so a unit is
classified exactly at each threshold's edge.

A type is reached when at least ``min_criteria`` of its lettered criteria hold;
its route rule (đ), when it has one, is one more criterion: held when the unit is
on a drug route and at least ``route_min_criteria`` criteria of the type it
names hold. Types are tried from the most serious (rank 1).

Queries are constant in the number of units: the set and its rules (3), the
units' year data (1), and one registry batch (one grouped query per model).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from apps.indicators import registry
from apps.indicators.registry import WARD, Area

from . import cycle
from .choices import ClassificationBasis, ClassificationLevel
from .models import ClassificationSet, ClassificationThreshold, ClassificationType, ProvinceYearData, WardYearData  # noqa: F401

NOT_A_HOTSPOT = _("Không thuộc diện địa bàn trọng điểm")
NO_RESIDENTS = _("Chưa có số nhân khẩu hiện đang cư trú của năm này: các tỉ lệ chưa tính được.")
NO_SET = _("Chưa có bộ phân loại có hiệu lực trong năm này.")
YES, NO = _("Có"), _("Không")


@dataclass
class TypeResult:
    """How one type fared: the letters held, the route rule (None when the type has none), the count."""

    type: ClassificationType
    held: dict  # {letter: bool}, in the order of the thresholds
    route: bool | None
    count: int

    @property
    def reached(self) -> bool:
        return self.count >= self.type.min_criteria


@dataclass
class Classification:
    """The classification of one unit (``ward``) or of the province (``ward`` None) for ``year``."""

    year: int
    classification_set: ClassificationSet | None
    ward: object = None
    residents: int | None = None
    on_route: bool = False
    figures: dict = field(default_factory=dict)  # {(basis, indicator): Decimal or None}
    types: list = field(default_factory=list)  # [TypeResult], most serious first
    units_total: int | None = None  # province only: the units counted, and those of the counted types
    units_counted: int | None = None
    counts: dict = field(default_factory=dict)  # the registry's counts it was computed from

    @property
    def type(self) -> ClassificationType | None:
        return next((result.type for result in self.types if result.reached), None)

    @property
    def label(self) -> str:
        """“Loại I”, … or "" when the unit is no hotspot (or nothing can be classified)."""
        reached = self.type
        return reached.label if reached else ""

    @property
    def counts_for_province(self) -> bool:
        reached = self.type
        return bool(reached and reached.counts_for_province)

    def figure(self, threshold: ClassificationThreshold):
        return self.figures.get((threshold.basis, threshold.indicator))

    def shown(self, threshold: ClassificationThreshold):
        """The figure as a page shows it: “Có”/“Không” for the route, a rate to 3 decimals, a count."""
        if threshold.basis == ClassificationBasis.ON_ROUTE:
            return YES if self.on_route else NO
        return display(self.figure(threshold))

    def rows(self) -> list[dict]:
        """Per type, its criteria as shown: letter, texts, figures, held; then the route rule."""
        result = []
        for type_result in self.types:
            letters = defaultdict(list)
            for threshold in type_result.type.thresholds.all():
                letters[threshold.letter].append(threshold)
            criteria = [{"letter": letter, "held": type_result.held[letter],
                         "parts": [{"text": t.text, "figure": self.shown(t), "minimum": t.minimum,
                                    "strict": t.strict, "held": t.holds(self.figure(t))} for t in thresholds]}
                        for letter, thresholds in letters.items()]
            result.append({"type": type_result.type, "criteria": criteria, "route": type_result.route,
                           "count": type_result.count, "reached": type_result.reached})
        return result

    def as_json(self) -> dict:
        """What a self-assessment freezes on submit: the type, the rules' version and every figure used."""
        cs = self.classification_set
        return {
            "type": self.label,
            "type_code": self.type.code if self.type else "",
            "year": self.year,
            "classification_set": {"code": cs.code, "version": cs.version, "name": cs.name} if cs else None,
            "residents": self.residents,
            "on_route": self.on_route,
            "figures": {f"{basis}:{indicator}": (None if value is None else str(value))
                        for (basis, indicator), value in self.figures.items()},
            "types": [{"code": r.type.code, "label": r.type.label, "held": r.held, "route": r.route,
                       "count": r.count, "min_criteria": r.type.min_criteria, "reached": r.reached}
                      for r in self.types],
        }


def display(value):
    """A figure as shown: a rate with up to 3 decimals, a count as an integer."""
    if value is None or isinstance(value, bool):
        return value
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return value.quantize(Decimal("0.001")).normalize()


def load_set(level: str, year: int, *, period=None) -> ClassificationSet | None:
    """The set of *level* in force in *year* with its types and thresholds prefetched (3 queries)."""
    classification_set = ClassificationSet.objects.current(level, year, period=period)
    if classification_set is None:
        return None
    types = list(ClassificationType.objects.filter(classification_set=classification_set)
                 .select_related("route_counts_type").order_by("rank", "code")
                 .prefetch_related(Prefetch("thresholds", queryset=ClassificationThreshold.objects.order_by(
                     "order", "letter", "pk"))))
    classification_set.loaded_types = types
    return classification_set


def _codes(classification_set) -> list[str]:
    return sorted({t.indicator for kind in classification_set.loaded_types for t in kind.thresholds.all()
                   if t.indicator})


def _figures(classification_set, counts: dict, residents: int | None, *, on_route: bool,
             units_percent=None) -> dict:
    figures = {}
    for kind in classification_set.loaded_types:
        for threshold in kind.thresholds.all():
            key = (threshold.basis, threshold.indicator)
            if threshold.basis == ClassificationBasis.COUNT:
                value = counts.get(threshold.indicator)
                figures[key] = None if value is None else Decimal(str(value))
            elif threshold.basis == ClassificationBasis.RESIDENT_PERCENT:
                value = counts.get(threshold.indicator)
                figures[key] = (None if value is None or not residents
                                else Decimal(str(value)) * 100 / Decimal(residents))
            elif threshold.basis == ClassificationBasis.HOTSPOT_UNITS_PERCENT:
                figures[key] = units_percent
            else:
                figures[key] = Decimal(int(on_route))
    return figures


def _type_results(classification_set, figures: dict, on_route: bool) -> list[TypeResult]:
    held_by_type = {}
    for kind in classification_set.loaded_types:
        held = {}
        for threshold in kind.thresholds.all():
            ok = threshold.holds(figures.get((threshold.basis, threshold.indicator)))
            held[threshold.letter] = held.get(threshold.letter, False) or ok
        held_by_type[kind.pk] = held
    results = []
    for kind in classification_set.loaded_types:
        held = held_by_type[kind.pk]
        route = None
        if kind.route_counts_type_id:
            counted = sum(held_by_type.get(kind.route_counts_type_id, {}).values())
            route = bool(on_route and counted >= kind.route_min_criteria)
        results.append(TypeResult(kind, held, route, sum(held.values()) + bool(route)))
    return results


def classify_counts(classification_set: ClassificationSet, counts: dict, *, year: int, residents: int | None,
                    on_route: bool, ward=None, units_percent=None) -> Classification:
    """The classification by *classification_set* (from ``load_set``) of a unit whose registry *counts* are
    {indicator code: number}: what ``classify_wards`` and ``classify_province`` apply to each unit."""
    figures = _figures(classification_set, counts, residents, on_route=on_route, units_percent=units_percent)
    return Classification(year, classification_set, ward=ward, residents=residents, on_route=on_route,
                          figures=figures, types=_type_results(classification_set, figures, on_route),
                          counts=dict(counts))


def classify_wards(wards, year: int, *, classification_set: ClassificationSet | None = None) -> dict:
    """{ward id: Classification} of *wards* for *year* by the commune set in force (Điều 4)."""
    wards = list(wards)
    period = cycle.assessment_period(year)
    classification_set = classification_set or load_set(ClassificationLevel.COMMUNE, year, period=period)
    if classification_set is None or not wards:
        return {w.pk: Classification(year, classification_set, ward=w) for w in wards}
    data = {d.ward_id: d for d in WardYearData.objects.filter(ward__in=[w.pk for w in wards], year=year)}
    codes = _codes(classification_set)
    values = registry.evaluate(codes, [Area(WARD, w.pk) for w in wards], period) if codes else {}
    result = {}
    for ward in wards:
        facts = data.get(ward.pk)
        residents = facts.residents if facts else None
        on_route = bool(facts and facts.on_drug_route)
        result[ward.pk] = classify_counts(classification_set, values.get(f"{WARD}:{ward.pk}", {}), year=year,
                                          residents=residents, on_route=on_route, ward=ward)
    return result


def classify_province(year: int, *, wards=None, communes: dict | None = None) -> Classification:
    """The province's classification for *year* (Điều 5): its units' counts added up, its residents the sum of
    theirs, the share of its units of the counted types (I and II), and its own route flag."""
    from apps.khom.models import Ward

    wards = list(wards if wards is not None else Ward.objects.order_by("pk"))
    classification_set = load_set(ClassificationLevel.PROVINCE, year, period=cycle.assessment_period(year))
    if classification_set is None:
        return Classification(year, None, units_total=len(wards))
    communes = communes if communes is not None else classify_wards(wards, year)
    codes = _codes(classification_set)
    missing = sorted(set(codes) - {code for c in communes.values() for code in c.counts})
    if missing or len(communes) != len(wards):
        # The commune set does not count what the province's needs: count it for every unit (one batch).
        values = registry.evaluate(codes, [Area(WARD, w.pk) for w in wards], cycle.assessment_period(year))
        counts = {code: sum(Decimal(str(v.get(code) or 0)) for v in values.values()) for code in codes}
    else:
        counts = {code: sum(Decimal(str(c.counts.get(code) or 0)) for c in communes.values()) for code in codes}
    # The province's residents are its units' of that year: unknown while any unit's is (a partial sum would
    # overstate every rate).
    known = [c.residents for c in communes.values() if c.residents is not None]
    residents = sum(known) if known and len(known) == len(communes) else None
    facts = ProvinceYearData.objects.filter(year=year).first()
    on_route = bool(facts and facts.on_interprovincial_route)
    counted = sum(1 for c in communes.values() if c.counts_for_province)
    units_percent = Decimal(counted) * 100 / Decimal(len(wards)) if wards else None
    result = classify_counts(classification_set, counts, year=year, residents=residents, on_route=on_route,
                             units_percent=units_percent)
    result.units_total, result.units_counted = len(wards), counted
    return result
