"""The registry API: areas, registration, batch evaluation with grouped queries, and scope."""
import datetime as dt

import pytest
from django.db.models import Count, Sum

from apps.core.periods import Period
from apps.indicators import registry
from apps.indicators.registry import Area, Indicator, KhomsOf, counter
from tests.factories.khom import KhomFactory, WardFactory


@pytest.fixture
def khom_count_indicator():
    """A test-only indicator counting khóm rows, so the machinery is tested apart from any app's data."""
    indicator = registry.register(Indicator(
        code="_test_khoms", label="khóm", unit="khóm", description="test",
        numerator=counter("khom.Khom", khom_path="pk", ward_path="ward", aggregate=Count("pk")),
    ))
    share = registry.register(Indicator(
        code="_test_households_per_resident", label="hộ", unit="%", description="test",
        numerator=counter("khom.Khom", khom_path="pk", ward_path="ward", aggregate=Sum("households")),
        denominator="population", scale=100, decimals=2,
    ))
    yield indicator, share
    registry.REGISTRY.pop("_test_khoms")
    registry.REGISTRY.pop("_test_households_per_resident")


def test_area_keys_name_level_and_pk(khom, ward):
    assert Area.of(khom).key == f"khom:{khom.pk}"
    assert Area.of(ward).key == f"ward:{ward.pk}"
    assert Area.parse(f"khom:{khom.pk}") == Area.of(khom)


def test_unknown_indicator_code_raises_with_vietnamese_message():
    with pytest.raises(registry.UnknownIndicator, match="không có trong danh mục"):
        registry.get("no_such_indicator")


# Each app's indicators.py, with a code its own data counts; apps.indicators defines none itself.
OWNED = {
    "apps.subjects.indicators": ["persons_managed", "drug_tests", "persons_by_status_sex_age"],
    "apps.cases.indicators": ["cases_detected", "cases_criminal", "plants_area_m2"],
    "apps.activities.indicators": ["propaganda_sessions", "reintegration_models_active"],
    "apps.khom.indicators": ["khoms_total", "khoms_planned"],
    "apps.criteria.indicators": ["khoms_recognised"],
}


def test_start_up_autodiscovers_the_indicators_module_of_every_app_that_owns_data():
    import sys

    for module, codes in OWNED.items():
        assert module in sys.modules, module  # imported by IndicatorsConfig.ready(), not by a page
        assert all(code in registry.REGISTRY for code in codes), module
    assert registry.get("persons_by_status_sex_age").numerator.__module__ == "apps.subjects.indicators"


def test_each_counter_counts_a_model_of_the_app_that_registers_it():
    for module in OWNED:
        app_label = module.split(".")[1]
        for code in OWNED[module]:
            numerator = registry.get(code).numerator
            if isinstance(numerator, registry.QueryCounter):
                assert numerator.model.split(".")[0] == app_label, code


def test_a_code_registered_twice_raises_and_keeps_the_first_definition():
    first = registry.get("persons_managed")
    with pytest.raises(registry.DuplicateIndicator, match="persons_managed"):
        registry.register(Indicator(code="persons_managed", label="x", unit="x", description="x",
                                    numerator=first.numerator))
    assert registry.get("persons_managed") is first


def test_every_registered_indicator_has_label_unit_and_description():
    indicators = registry.all_indicators()
    assert len(indicators) >= 15
    for indicator in indicators:
        assert indicator.label and indicator.unit and indicator.description, indicator.code


def test_ward_percentage_comes_from_the_wards_own_figures_not_a_sum_of_khom_percentages(db, khom_count_indicator):
    ward = WardFactory(population=3000)
    a = KhomFactory(ward=ward, population=1000, households=333)
    b = KhomFactory(ward=ward, population=2000, households=1)
    result = registry.evaluate(["_test_households_per_resident"], [a, b, ward], Period.year(2025))
    assert result[f"khom:{a.pk}"]["_test_households_per_resident"] == 33.3
    assert result[f"khom:{b.pk}"]["_test_households_per_resident"] == 0.05
    # 334 / 3000 = 11.13 %; summing rounded khóm shares would give 33.35.
    assert result[f"ward:{ward.pk}"]["_test_households_per_resident"] == 11.13


def test_percentage_of_an_area_without_population_is_none_not_zero(db, khom_count_indicator):
    empty = KhomFactory(population=0)
    result = registry.evaluate(["_test_households_per_resident"], [empty], Period.year(2025))
    assert result[f"khom:{empty.pk}"]["_test_households_per_resident"] is None


def test_khoms_of_wards_evaluates_every_khom_of_those_wards_only(db, khom_count_indicator):
    ward, other = WardFactory(), WardFactory()
    mine = KhomFactory.create_batch(3, ward=ward)
    KhomFactory(ward=other)
    result = registry.evaluate(["_test_khoms"], KhomsOf([ward]), Period.year(2025))
    assert set(result) == {f"khom:{k.pk}" for k in mine}
    assert all(values["_test_khoms"] == 1 for values in result.values())


def _province(wards, khoms_per_ward):
    created = []
    for _ in range(wards):
        ward = WardFactory()
        KhomFactory.create_batch(khoms_per_ward, ward=ward)
        created.append(ward)
    return created


def test_query_count_does_not_grow_with_the_number_of_khom_and_wards(db, count_queries):
    codes = [i.code for i in registry.all_indicators()]
    period = Period.year(2025)
    small = _province(1, 2)
    small_count = count_queries(lambda: registry.evaluate(codes, KhomsOf(small), period))
    small_wards = count_queries(lambda: registry.evaluate(codes, small, period))
    large = _province(6, 8)
    large_count = count_queries(lambda: registry.evaluate(codes, KhomsOf(large), period))
    large_wards = count_queries(lambda: registry.evaluate(codes, large, period))
    assert small_count == large_count
    assert small_wards == large_wards


def test_province_viewer_may_evaluate_every_ward(province, ward, other_ward, khom_count_indicator):
    result = registry.evaluate_for_user(province, ["_test_khoms"], [ward, other_ward], Period.year(2025))
    assert set(result) == {f"ward:{ward.pk}", f"ward:{other_ward.pk}"}


def test_khom_officer_may_evaluate_his_khom_but_not_another_or_the_ward(khom_officer, khom, khom2, ward,
                                                                          khom_count_indicator):
    assert registry.evaluate_for_user(khom_officer, ["_test_khoms"], [khom], Period.year(2025))
    with pytest.raises(registry.AreaOutOfScope):
        registry.evaluate_for_user(khom_officer, ["_test_khoms"], [khom2], Period.year(2025))
    with pytest.raises(registry.AreaOutOfScope):
        registry.evaluate_for_user(khom_officer, ["_test_khoms"], [ward], Period.year(2025))


def test_police_cannot_evaluate_a_khom_of_another_ward(police, other_khom, khom_count_indicator):
    with pytest.raises(registry.AreaOutOfScope):
        registry.evaluate_for_user(police, ["_test_khoms"], KhomsOf([other_khom.ward]), Period.year(2025))


# ---------------------------------------------------------------- batches of periods
@pytest.fixture
def busy_ward(db):
    """One ward, two khóm, a year of varied records: episodes opening and closing, tests, cases, activities."""
    import datetime as dt

    from apps.activities.models import Activity, CommitmentSigning
    from apps.cases.models import Case, Hotspot
    from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, seeded_kind

    ward = WardFactory(population=9000)
    a, b = KhomFactory(ward=ward, population=1000, households=300), KhomFactory(ward=ward, population=2000)
    kinds = ["addict", "illegal_user", "methadone", "post_rehab", "voluntary_home"]
    for index in range(24):
        person = PersonFactory(khom=a if index % 3 else b)
        start = dt.date(2025, 1 + index % 12, 1 + index % 27)
        ended = index % 4 == 0
        EpisodeFactory(person=person, kind=seeded_kind(kinds[index % len(kinds)]), started_on=start,
                       actual_end=dt.date(2025, 12, 20) if ended else None,
                       end_reason="term_completed" if ended else "")
        if index % 5 == 0:
            EpisodeFactory(person=person, kind=seeded_kind("methadone"), started_on=start + dt.timedelta(days=20))
        for month in range(1, 13, 1 + index % 4):
            DrugTestFactory(person=person, tested_on=dt.date(2025, month, 10),
                            result="positive" if (index + month) % 3 == 0 else "negative")
    for number, month in enumerate(range(1, 13, 2), start=1):
        Case.objects.create(ward=ward, khom=a if month % 4 == 1 else b, year=2025, number=number,
                            detected_on=dt.date(2025, month, 5), kind="possession")
        Activity.objects.create(ward=ward, khom=b if month > 6 else None, held_on=dt.date(2025, month, 8),
                                topic="Tuyên truyền", participants=20 + month, organiser="Khóm")
    Hotspot.objects.create(ward=ward, khom=a, address="Bến đò", kind="organising_use", found_on=dt.date(2025, 2, 1),
                           cleared_on=dt.date(2025, 7, 1))
    CommitmentSigning.objects.create(khom=a, signed_on=dt.date(2025, 3, 1), households_signed=200,
                                     households_total=300)
    CommitmentSigning.objects.create(khom=a, signed_on=dt.date(2025, 9, 1), households_signed=280,
                                     households_total=300)
    return ward, a, b


def _months(year):
    return [Period.month(year, month) for month in range(1, 13)]


def test_a_batch_gives_exactly_what_one_evaluation_per_period_gives(busy_ward):
    ward, a, b = busy_ward
    codes = [i.code for i in registry.all_indicators()]
    periods = _months(2025) + [Period.year(2025), Period.quarter(2025, 3), Period.half_year(2025, 2)]
    requests = [(codes, [a, b, ward], period) for period in periods] + [(codes, KhomsOf([ward]), Period.year(2025))]
    batch = registry.evaluate_batch(requests)
    assert batch == [registry.evaluate(codes, areas, period) for codes, areas, period in requests]
    # The data is not trivial: figures differ from month to month.
    assert len({result[f"ward:{ward.pk}"]["persons_managed"] for result in batch[:12]}) > 3
    assert len({result[f"ward:{ward.pk}"]["positive_tests"] for result in batch[:12]}) > 1


def test_a_batch_costs_the_same_queries_for_one_period_as_for_twelve(busy_ward, count_queries):
    ward, a, b = busy_ward
    # Every indicator counted by counter(); a hand-written counter (the people breakdown) runs once per period.
    codes = [i.code for i in registry.all_indicators()
             if all(isinstance(c, registry.QueryCounter) for c in i.counters())]
    assert len(codes) > 20
    one = count_queries(lambda: registry.evaluate_batch([(codes, [a, b, ward], Period.month(2025, 1))]))
    twelve = count_queries(lambda: registry.evaluate_batch([(codes, [a, b, ward], p) for p in _months(2025)]))
    assert one == twelve
    # One query per counted model and level (plus two to resolve the areas), not one per indicator.
    models = {count.model for code in codes for count in registry.get(code).counters()}
    assert one == 2 * len(models) + 2 < 2 * len(codes)


def test_a_batch_mixing_levels_and_areas_keeps_each_request_to_its_own_areas(busy_ward):
    ward, a, b = busy_ward
    first, second = registry.evaluate_batch([
        (["persons_managed"], [a], Period.year(2025)),
        (["persons_managed", "drug_tests"], [b, ward], Period.month(2025, 6)),
    ])
    assert set(first) == {f"khom:{a.pk}"} and set(first[f"khom:{a.pk}"]) == {"persons_managed"}
    assert set(second) == {f"khom:{b.pk}", f"ward:{ward.pk}"}
    assert second == registry.evaluate(["persons_managed", "drug_tests"], [b, ward], Period.month(2025, 6))


def test_a_condition_across_a_multi_valued_relation_counts_as_it_would_alone(busy_ward):
    """Counted in a shared query, a join to a person's episodes would repeat people for the other counters,
    and "no episode in treatment" would become "some episode not in treatment"."""
    from django.db.models import Count, Q

    from apps.subjects.models import Person

    ward, a, b = busy_ward
    everyone = counter("subjects.Person", khom_path="khom", aggregate=Count("pk"))
    treated = counter("subjects.Person", khom_path="khom", aggregate=Count("pk"),
                      where=lambda p: Q(episodes__kind__in_treatment=True))
    untreated = counter("subjects.Person", khom_path="khom", aggregate=Count("pk"),
                        where=lambda p: ~Q(episodes__kind__in_treatment=True))
    period, ids = Period.year(2025), [a.pk, b.pk]
    together = registry.QueryCounter.count_together(
        "subjects.Person", "khom", ids, [(everyone, period), (treated, period), (untreated, period)])

    def expected(queryset):
        return dict(queryset.filter(khom__in=ids).order_by().values_list("khom").annotate(n=Count("pk")))

    people = Person._base_manager
    assert together[(everyone, period)] == expected(people.all())
    assert together[(treated, period)] == expected(people.filter(episodes__kind__in_treatment=True))
    assert together[(untreated, period)] == expected(people.exclude(episodes__kind__in_treatment=True))
    assert sum(together[(treated, period)].values()) + sum(together[(untreated, period)].values()) == sum(
        together[(everyone, period)].values())
