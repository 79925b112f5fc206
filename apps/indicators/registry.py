"""The one registry of named indicators, and the batch API that computes them per area and period.

The apps that own the data declare their indicators in ``apps/<app>/indicators.py``
(``register(Indicator(...))``); IndicatorsConfig.ready() imports every such module
(``autodiscover_modules``, as the admin does with ``admin.py``), and a code registered
twice is an error at start-up. Modules that read codes by name declare them with
``uses()``; the system check indicators.E001 fails on any that is not registered.

Every number the portal shows (criteria, dashboard, reports) comes from
``evaluate()`` or, for several periods at once, ``evaluate_batch()``. Counters
built with ``counter()`` over the same model are answered together: one
grouped SQL query per model and area level (khóm, ward), with one
``FILTER (WHERE …)`` aggregate per counter and period, whatever the number of
areas, indicators and periods. A province-wide dashboard of twelve months
costs the same number of queries as one khóm's figures for one year.

Ward figures come from the ward's own query (GROUP BY ward), never from a
Python sum of rounded khóm figures: a person or case without a khóm still
counts for the ward, and percentages are computed once, on exact numbers.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.core.numbers import round_half_up
from apps.core.periods import Period
from apps.core.validators import today_in_vietnam

__all__ = [
    "WARD", "KHOM", "Area", "KhomsOf", "Indicator", "REGISTRY", "REFERENCES", "register", "uses", "get",
    "all_indicators", "choices", "evaluate", "evaluate_batch", "evaluate_for_user", "QueryCounter", "areas_for_user",
    "resolve_areas", "UnknownIndicator", "DuplicateIndicator", "AreaOutOfScope", "counter", "UNKNOWN_INDICATOR",
    "DUPLICATE_INDICATOR", "AREA_OUT_OF_SCOPE", "PERSON", "PERCENT", "CASE", "PLACE", "PLANT", "SQUARE_METRE",
    "SESSION", "TEST", "KHOM_UNIT", "MODEL_UNIT", "place_counter", "share_of_population", "dated_in", "running_in",
]

WARD = "ward"
KHOM = "khom"
LEVELS = (WARD, KHOM)

UNKNOWN_INDICATOR = _("Chỉ tiêu “%(code)s” không có trong danh mục.")
AREA_OUT_OF_SCOPE = _("Địa bàn này nằm ngoài phạm vi của bạn.")
# A programming error met at start-up, for developers: not translated.
DUPLICATE_INDICATOR = "Indicator code %(code)r is registered twice (“%(first)s” and “%(second)s”); codes are unique."

# Units the apps' indicators share.
PERSON = _("người")
PERCENT = "%"
CASE = _("vụ")
PLACE = _("điểm")
PLANT = _("cây")
SQUARE_METRE = "m²"
SESSION = _("buổi")
TEST = _("lượt")
KHOM_UNIT = _("khóm")
MODEL_UNIT = _("mô hình")


class UnknownIndicator(KeyError):
    """Raised when a code is not in the registry (a criterion pointing at a removed indicator)."""


class DuplicateIndicator(ImproperlyConfigured):
    """Raised when a second indicator is registered under a code already taken."""


class AreaOutOfScope(Http404):
    """Raised when a user asks for an area they may not see: out of scope answers 404."""


# ---------------------------------------------------------------- areas
@dataclass(frozen=True)
class Area:
    """A ward or a khóm, by primary key. ``key`` ("khom:12") names it in evaluate()'s result."""

    level: str
    pk: int

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ValueError(f"unknown area level {self.level!r}")

    @property
    def key(self) -> str:
        return f"{self.level}:{self.pk}"

    @classmethod
    def of(cls, obj) -> "Area":
        """The Area of a Ward or Khom instance (or an Area, returned unchanged)."""
        if isinstance(obj, Area):
            return obj
        label = obj._meta.label_lower
        if label == "khom.ward":
            return cls(WARD, obj.pk)
        if label == "khom.khom":
            return cls(KHOM, obj.pk)
        raise TypeError(f"{obj!r} is not a ward or a khóm")

    @classmethod
    def parse(cls, key: str) -> "Area":
        level, _sep, pk = key.partition(":")
        return cls(level, int(pk))


@dataclass(frozen=True)
class KhomsOf:
    """“All khóm of these wards”: resolved in one query inside evaluate()."""

    ward_ids: tuple

    def __init__(self, wards):
        object.__setattr__(self, "ward_ids", tuple(w if isinstance(w, int) else w.pk for w in wards))


@dataclass
class AreaInfo:
    """What evaluate() needs to know about one area: its name, ward and denominators."""

    area: Area
    name: str
    ward_id: int
    population: int
    households: int


def resolve_areas(areas) -> dict[str, AreaInfo]:
    """{key: AreaInfo} for *areas* (Areas, Ward/Khom instances or KhomsOf), in at most two queries."""
    from apps.khom.models import Khom, Ward

    if isinstance(areas, KhomsOf):
        khom_filter, ward_ids = Q(ward_id__in=areas.ward_ids), []
    else:
        parsed = [Area.of(a) for a in areas]
        khom_ids = [a.pk for a in parsed if a.level == KHOM]
        ward_ids = [a.pk for a in parsed if a.level == WARD]
        khom_filter = Q(pk__in=khom_ids) if khom_ids else None
    result: dict[str, AreaInfo] = {}
    if khom_filter is not None:
        for row in Khom.objects.filter(khom_filter).order_by("ward_id", "code").values(
                "pk", "name", "ward_id", "population", "households"):
            area = Area(KHOM, row["pk"])
            result[area.key] = AreaInfo(area, row["name"], row["ward_id"], row["population"], row["households"])
    if ward_ids:
        # A ward's households are its khóm's households (Ward has no such field): one grouped query.
        from django.db.models import Sum

        for row in Ward.objects.filter(pk__in=ward_ids).annotate(hh=Sum("khoms__households")).values(
                "pk", "name", "population", "hh"):
            area = Area(WARD, row["pk"])
            result[area.key] = AreaInfo(area, row["name"], row["pk"], row["population"], row["hh"] or 0)
    return result


# ---------------------------------------------------------------- indicators
# A counter is called once per level with the ids of that level's areas and the
# period, and returns {area id: number} from ONE grouped query.
Counter = Callable[[str, list, Period], dict]


@dataclass(frozen=True)
class Indicator:
    """A named figure: Vietnamese label, unit, how it is counted, and its counting function.

    ``value = numerator`` or, with a denominator ("population", "households" or
    another Counter), ``round(numerator / denominator * scale, decimals)``;
    ``None`` when the denominator is zero (a percentage of nobody is not 0 %).
    """

    code: str
    label: str
    unit: str
    description: str
    numerator: Counter
    denominator: str | Counter | None = None
    scale: int = 1
    decimals: int = 0

    def counters(self) -> list:
        """The counters this indicator needs: its numerator, and its denominator when that is counted."""
        return [self.numerator] + ([self.denominator] if callable(self.denominator) else [])

    def combine(self, infos: list[AreaInfo], counted: dict) -> dict[int, object]:
        """{area id: value} from *counted* = {counter: {area id: number}} (see ``counters()``)."""
        numerators = counted[self.numerator]
        if self.denominator is None:
            return {info.area.pk: _clean(numerators.get(info.area.pk, 0)) for info in infos}
        if callable(self.denominator):
            denominators = counted[self.denominator]
        else:
            denominators = {info.area.pk: getattr(info, self.denominator) for info in infos}
        values = {}
        for info in infos:
            pk = info.area.pk
            den = denominators.get(pk) or 0
            if not den:
                values[pk] = None
                continue
            ratio = Decimal(numerators.get(pk, 0) or 0) / Decimal(den) * self.scale
            values[pk] = float(round_half_up(ratio, self.decimals))
        return values


def _clean(value):
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value or 0


REGISTRY: dict[str, Indicator] = {}
# {module name: codes it reads by name}, filled by uses(); checked by indicators.E001.
REFERENCES: dict[str, list[str]] = {}


def register(indicator: Indicator) -> Indicator:
    """Add *indicator* to the registry; a code already registered raises DuplicateIndicator."""
    if indicator.code in REGISTRY:
        raise DuplicateIndicator(DUPLICATE_INDICATOR % {
            "code": indicator.code, "first": REGISTRY[indicator.code].label, "second": indicator.label})
    REGISTRY[indicator.code] = indicator
    return indicator


def uses(source: str, codes: Iterable[str]) -> list[str]:
    """*codes* as a list, recorded as read by *source* (the module's ``__name__``) for the system check.

    A module that names codes (a report's rows, the dashboard's figures) declares
    them here, so that a code no app registers fails ``manage.py check`` instead of
    dropping a row from the report sent to the province.
    """
    codes = list(codes)
    known = REFERENCES.setdefault(source, [])
    known.extend(code for code in codes if code not in known)
    return codes


def get(code: str) -> Indicator:
    try:
        return REGISTRY[code]
    except KeyError:
        raise UnknownIndicator(str(UNKNOWN_INDICATOR % {"code": code})) from None


def all_indicators() -> list[Indicator]:
    return list(REGISTRY.values())


def choices() -> list[tuple[str, str]]:
    """(code, label) pairs for forms and the admin."""
    return [(i.code, f"{i.code} — {i.label}") for i in all_indicators()]


def evaluate(codes: Iterable[str], areas, period: Period, *, as_of: dt.date | None = None
             ) -> dict[str, dict[str, object]]:
    """{area key: {code: value}} for every area and indicator code, with grouped queries.

    *areas* is an iterable of Area / Ward / Khom, or ``KhomsOf(wards)``.
    Queries: ≤ 2 to resolve areas, then one per model counted and area level
    (see ``evaluate_batch``) — never one per area.
    """
    return evaluate_batch([(codes, areas, period)], as_of=as_of)[0]


def evaluate_batch(requests, *, as_of: dt.date | None = None) -> list[dict[str, dict[str, object]]]:
    """``[evaluate(codes, areas, period) for codes, areas, period in requests]`` in far fewer queries.

    The counters of every request are gathered per area level; those built by
    ``counter()`` over the same model and grouping run as ONE query over the
    union of the requests' areas, with one filtered aggregate per counter and
    period (``COUNT(…) FILTER (WHERE …)``). Twelve months of five indicators
    therefore cost one query per model, not sixty. Other counters (hand-written
    functions) run once per level and period.

    Counted as of *as_of* (today in Vietnam by default): no fact dated after it counts (``counted_part``).
    """
    requests = [(list(codes), areas, period) for codes, areas, period in requests]
    # Requests naming the same areas (a dashboard's months) resolve them once.
    keys = [areas if isinstance(areas, KhomsOf) else tuple(Area.of(a) for a in areas) for _c, areas, _p in requests]
    cache = {key: resolve_areas(key) for key in dict.fromkeys(keys)}
    resolved = [cache[key] for key in keys]
    # What to count: per level, the set of (counter, period) pairs and the union of area ids.
    wanted: dict[str, dict] = {level: {} for level in LEVELS}
    ids: dict[str, set] = {level: set() for level in LEVELS}
    plans = []
    for (codes, _areas, period), infos in zip(requests, resolved):
        indicators = [get(code) for code in codes]
        by_level = {level: [i for i in infos.values() if i.area.level == level] for level in LEVELS}
        for level, level_infos in by_level.items():
            if not level_infos:
                continue
            ids[level].update(info.area.pk for info in level_infos)
            for indicator in indicators:
                for count in indicator.counters():
                    wanted[level][(count, period)] = None
        plans.append((indicators, by_level, period, infos))
    as_of = as_of or today_in_vietnam()
    counted = {level: _count(level, sorted(ids[level]), list(wanted[level]), as_of)
               for level in LEVELS if wanted[level]}
    results = []
    for indicators, by_level, period, infos in plans:
        result = {key: {} for key in infos}
        for indicator in indicators:
            for level, level_infos in by_level.items():
                if not level_infos:
                    continue
                numbers = {count: counted[level][(count, period)] for count in indicator.counters()}
                for pk, value in indicator.combine(level_infos, numbers).items():
                    result[f"{level}:{pk}"][indicator.code] = value
        results.append(result)
    return results


def counted_part(period: Period, as_of: dt.date) -> Period:
    """What of *period* the counters see when computing on *as_of* (issue 18 §4): never a day after it.

    A period that has ended is counted whole; one under way, up to *as_of* (its "end" figures are those
    of *as_of*); one not begun yet, as a span ending the day before it starts, so that no fact of it
    counts (the state figures are those on that day, the latest known: nothing has happened in it yet).
    """
    if period.end <= as_of:
        return period
    if period.start <= as_of:
        return period.until(as_of)
    cut = object.__new__(Period)  # end before start: a range over it matches no row
    for name, value in (("start", period.start), ("end", min(as_of, period.start - dt.timedelta(days=1))),
                        ("kind", period.kind), ("start_day", period.start_day)):
        object.__setattr__(cut, name, value)
    return cut


def _count(level: str, ids: list, pairs: list, as_of: dt.date) -> dict:
    """{(counter, period): {area id: number}} for every pair, one query per model for ``counter()``s.

    Each counter sees only the part of its period up to *as_of*: a fact dated later never counts.
    """
    result, by_source = {}, {}
    for count, period in pairs:
        # A counter of what a period names (a khóm's target year, the year a recognition is for) sees it whole.
        seen = counted_part(period, as_of) if getattr(count, "cut_at_as_of", True) else period
        if isinstance(count, QueryCounter):
            by_source.setdefault(count.source(level), []).append((count, period, seen))
        else:
            result[(count, period)] = count(level, ids, seen)
    for (model, group), model_pairs in by_source.items():
        counted = QueryCounter.count_together(model, group, ids, [(count, seen) for count, _p, seen in model_pairs])
        for count, period, seen in model_pairs:
            result[(count, period)] = counted[(count, seen)]
    return result


# ---------------------------------------------------------------- scope
def areas_for_user(user, level: str):
    """The Ward or Khom queryset whose aggregates *user* may evaluate.

    Province viewers and administrators: every ward and khóm (aggregates only,
    never personal records). Khóm officers: their own khóm, no ward totals.
    Ward staff: their wards and those wards' khóm.
    """
    from apps.khom.models import Khom, Ward

    if level == KHOM:
        return Khom.objects.for_user(user)
    if getattr(user, "is_khom_officer", False):
        return Ward.objects.none()
    return Ward.objects.for_user(user)


def evaluate_for_user(user, codes, areas, period: Period):
    """evaluate() after checking every requested area is in *user*'s scope (else AreaOutOfScope, a 404)."""
    if isinstance(areas, KhomsOf):
        allowed = set(areas_for_user(user, WARD).filter(pk__in=areas.ward_ids).values_list("pk", flat=True))
        if allowed != set(areas.ward_ids):
            raise AreaOutOfScope(AREA_OUT_OF_SCOPE)
        return evaluate(codes, areas, period)
    parsed = [Area.of(a) for a in areas]
    for level in LEVELS:
        wanted = {a.pk for a in parsed if a.level == level}
        if wanted:
            allowed = set(areas_for_user(user, level).filter(pk__in=wanted).values_list("pk", flat=True))
            if allowed != wanted:
                raise AreaOutOfScope(AREA_OUT_OF_SCOPE)
    return evaluate(codes, parsed, period)


# ---------------------------------------------------------------- counter builder
class QueryCounter:
    """A counter over one model grouped by the khóm (or ward) its rows belong to; see ``counter()``.

    Called on its own it answers one period with one query. ``count_together``
    answers any number of QueryCounters over the same model, grouping and
    periods with one query: each (counter, period) becomes an aggregate with
    the counter's condition as its ``FILTER``, and the rows read are those
    matching at least one condition.
    """

    def __init__(self, model: str, *, khom_path: str, aggregate, where=None, ward_path: str | None = None,
                 cut_at_as_of: bool = True):
        self.model = model
        self.cut_at_as_of = cut_at_as_of
        self.khom_path = khom_path
        self.ward_path = ward_path or f"{khom_path}__ward"
        self.aggregate = aggregate
        self.where = where

    def __repr__(self):
        return f"<QueryCounter {self.model} {self.aggregate!r}>"

    def source(self, level: str) -> tuple[str, str]:
        """(model label, grouping lookup): counters with the same source can share a query."""
        return self.model, self.khom_path if level == KHOM else self.ward_path

    def __call__(self, level: str, ids: list, period: Period) -> dict:
        model, group = self.source(level)
        return QueryCounter.count_together(model, group, ids, [(self, period)])[(self, period)]

    def _aggregate_for(self, period: Period):
        aggregate = self.aggregate.copy()
        if self.where is not None:
            condition = self.where(period)
            aggregate.filter = condition if aggregate.filter is None else aggregate.filter & condition
        return aggregate

    @staticmethod
    def count_together(model: str, group: str, ids: list, pairs: list) -> dict:
        """{(counter, period): {area id: number}} for QueryCounters sharing *model* and *group*.

        Pairs whose condition crosses a multi-valued relation (a reverse foreign key, a
        many-to-many) are counted on their own as ``.filter(condition)``: in a shared
        query their join would repeat the rows every other aggregate counts, and a
        negated condition means “no related row matches” only in ``filter()``.
        """
        from functools import reduce
        from operator import or_

        from django.apps import apps

        if not ids:
            return {pair: {} for pair in pairs}
        model_class = apps.get_model(model)
        queryset = model_class._base_manager.filter(**{f"{group}__in": ids})
        result = {pair: {} for pair in pairs}
        shared = []
        for count, period in pairs:
            condition = count.where(period) if count.where is not None else None
            if condition is not None and _crosses_many(model_class, condition):
                rows = queryset.filter(condition).order_by().values(group).annotate(_value=count.aggregate)
                result[(count, period)] = {row[group]: row["_value"] for row in rows}
            else:
                shared.append((count, period, condition))
        if not shared:
            return result
        conditions = [condition for _count, _period, condition in shared if condition is not None]
        if len(conditions) == len(shared):
            # Rows no aggregate would count are not read at all.
            queryset = queryset.filter(reduce(or_, conditions))
        names = {f"_v{index}": (count, period) for index, (count, period, _c) in enumerate(shared)}
        annotations = {name: count._aggregate_for(period) for name, (count, period) in names.items()}
        for row in queryset.order_by().values(group).annotate(**annotations):
            for name, pair in names.items():
                result[pair][row[group]] = row[name]
        return result


def _crosses_many(model, condition: Q) -> bool:
    """Whether a lookup of *condition* (a Q of field lookups) goes through a multi-valued relation of *model*."""
    from django.core.exceptions import FieldDoesNotExist

    for child in condition.children:
        if isinstance(child, Q):
            if _crosses_many(model, child):
                return True
            continue
        if not isinstance(child, tuple):
            continue  # an expression (Exists, …): a subquery of its own, no join
        opts = model._meta
        for name in child[0].split("__"):
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                break  # "pk", or a lookup such as "lte", "in", "range"
            if field.many_to_many or field.one_to_many:
                return True
            if not field.is_relation:
                break
            opts = field.related_model._meta
    return False


def counter(model: str, *, khom_path: str, aggregate, where: Callable[[Period], Q] | None = None,
            ward_path: str | None = None, cut_at_as_of: bool = True) -> QueryCounter:
    """A Counter over *model* ("app.Model") grouped by the khóm (or ward) its rows belong to.

    ``khom_path`` is the lookup from a row to its khóm id ("person__khom");
    ``ward_path`` defaults to ``khom_path + "__ward"`` but a model that carries
    its own ward (a case found outside any khóm) names it, so the ward figure
    includes those rows. ``where(period)`` says which rows count in a period: the part of it up to the
    moment of computing (``counted_part``, issue 18 §4), or, with ``cut_at_as_of=False``, the whole period,
    for a counter of what the period names rather than of facts dated in it (a target year).
    """
    return QueryCounter(model, khom_path=khom_path, aggregate=aggregate, where=where, ward_path=ward_path,
                        cut_at_as_of=cut_at_as_of)


def place_counter(model: str, *, aggregate, where: Callable[[Period], Q] | None = None) -> QueryCounter:
    """A counter over rows that carry their own ward and, when held in one, a khóm (a case, a hotspot, a
    session): a row without khóm counts for its ward only."""
    return counter(model, khom_path="khom", ward_path="ward", aggregate=aggregate, where=where)


def share_of_population(*, code: str, label, description, numerator: Counter) -> Indicator:
    """The percentage of the area's residents that *numerator* counts, to 2 decimals."""
    return Indicator(code=code, label=label, unit=PERCENT, description=description, numerator=numerator,
                     denominator="population", scale=100, decimals=2)


# ---------------------------------------------------------------- conditions on dates
def dated_in(period: Period, field: str) -> Q:
    """Rows whose date *field* falls in *period*."""
    return Q(**{f"{field}__range": (period.start, period.end)})


def running_in(period: Period, started: str, ended: str) -> Q:
    """Rows running at some time in *period*: *started* by its last day, *ended* not before its first (or not)."""
    not_ended = Q(**{f"{ended}__isnull": True}) | Q(**{f"{ended}__gte": period.start})
    return Q(**{f"{started}__lte": period.end}) & not_ended
