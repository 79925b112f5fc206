"""The Điều 4 commune classification and the Điều 5 province classification of QĐ 28/2025/QĐ-TTg, as data.

Exactly at each threshold's edge: rates are compared on exact numbers (count over the
residents of the kỳ đánh giá), never on a rounded percentage.
"""
import datetime as dt
from decimal import Decimal

import pytest

from apps.cases.models import Case, Hotspot, Participant
from apps.criteria.choices import ClassificationLevel
from apps.criteria.classification import classify_counts, classify_province, classify_wards, load_set
from apps.criteria.models import ClassificationSet, ClassificationThreshold, ProvinceYearData, WardYearData
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import EpisodeFactory, PersonFactory, seeded_kind

pytestmark = pytest.mark.django_db

RESIDENTS = 10_000
NOTHING = {"users_addicts": 0, "organising_places": 0, "offenders_arrested": 0, "plants_destroyed": 0,
           "plants_area_m2": 0}


@pytest.fixture
def commune_set(db):
    return load_set(ClassificationLevel.COMMUNE, 2025)


@pytest.fixture
def province_set(db):
    return load_set(ClassificationLevel.PROVINCE, 2025)


def classify(classification_set, on_route=False, residents=RESIDENTS, **counts):
    return classify_counts(classification_set, {**NOTHING, **counts}, year=2025, residents=residents,
                           on_route=on_route)


def held(result, type_code):
    return next(r.held for r in result.types if r.type.code == type_code)


def test_the_seeded_sets_are_data_marked_for_checking(commune_set, province_set):
    assert [(t.code, t.min_criteria, t.route_min_criteria, getattr(t.route_counts_type, "code", None))
            for t in commune_set.loaded_types] == [("I", 3, 2, "II"), ("II", 3, 2, "III"), ("III", 1, None, None)]
    assert [t.code for t in province_set.loaded_types] == ["T"]
    assert province_set.loaded_types[0].min_criteria == 4
    assert not commune_set.checked and not province_set.checked


# ---------------------------------------------------------------- Điều 4, each edge
@pytest.mark.parametrize("users, type_i, type_ii", [(49, False, True), (50, True, True), (9, False, False),
                                                    (10, False, True)])
def test_a_users_with_a_file_just_under_and_at_half_a_percent_and_a_tenth(commune_set, users, type_i, type_ii):
    result = classify(commune_set, users_addicts=users)  # 49 / 10,000 = 0.49 %; 50 = 0.5 %; 10 = 0.1 %
    assert (held(result, "I")["a"], held(result, "II")["a"], held(result, "III")["a"]) == (type_i, type_ii, True)


def test_a_rate_that_would_round_up_to_the_threshold_does_not_reach_it(commune_set):
    result = classify(commune_set, residents=10_001, users_addicts=50)  # 0.49995 %: rounds to 0.50, is under
    assert held(result, "I")["a"] is False


@pytest.mark.parametrize("places, type_i, type_ii", [(0, False, False), (1, False, True), (2, True, True)])
def test_b_one_place_versus_two(commune_set, places, type_i, type_ii):
    result = classify(commune_set, organising_places=places)
    assert (held(result, "I")["b"], held(result, "II")["b"]) == (type_i, type_ii)
    assert "b" not in held(result, "III")  # type III has no criterion b


@pytest.mark.parametrize("offenders, type_i, type_ii", [(9, False, True), (10, True, True), (4, False, False),
                                                        (5, False, True)])
def test_c_arrests_just_under_and_at_a_tenth_and_a_twentieth_of_a_percent(commune_set, offenders, type_i, type_ii):
    result = classify(commune_set, offenders_arrested=offenders)
    assert (held(result, "I")["c"], held(result, "II")["c"]) == (type_i, type_ii)


@pytest.mark.parametrize("counts, type_i, type_ii", [
    ({"plants_destroyed": 2999}, False, True), ({"plants_destroyed": 3000}, True, True),
    ({"plants_area_m2": Decimal("749.99")}, False, True), ({"plants_area_m2": 750}, True, True),
    ({"plants_destroyed": 499, "plants_area_m2": 124}, False, False),
    ({"plants_destroyed": 100, "plants_area_m2": 750}, True, True),  # either alternative of d suffices
])
def test_d_three_thousand_plants_or_seven_hundred_fifty_square_metres(commune_set, counts, type_i, type_ii):
    result = classify(commune_set, **counts)
    assert (held(result, "I")["d"], held(result, "II")["d"]) == (type_i, type_ii)


def test_three_type_one_criteria_make_type_one_and_two_do_not(commune_set):
    assert classify(commune_set, users_addicts=50, organising_places=2, offenders_arrested=10).label == "Loại I"
    two = classify(commune_set, users_addicts=50, organising_places=2)
    # a and b reach type I's levels (and so type II's), nothing else: 2 of 3 for types I and II, type III on a.
    assert [r.count for r in two.types] == [2, 2, 1] and two.label == "Loại III"


def test_dd_two_type_two_criteria_on_a_route_make_the_third_type_one_criterion(commune_set):
    # a and b at type I's level, c at type II's: 2 type-I criteria, 3 type-II criteria.
    counts = {"users_addicts": 50, "organising_places": 2, "offenders_arrested": 5}
    off_route = classify(commune_set, **counts)
    on_route = classify(commune_set, on_route=True, **counts)
    assert off_route.label == "Loại II" and off_route.types[0].route is False and off_route.types[0].count == 2
    assert on_route.label == "Loại I" and on_route.types[0].route is True and on_route.types[0].count == 3


def test_dd_needs_two_criteria_of_the_type_it_counts_not_one(commune_set):
    # Type I reached on a and b, type II only on a and b: the route rule needs 2 type-II criteria: it holds.
    # With just one type-II criterion (a), the route does not help.
    one = classify(commune_set, on_route=True, users_addicts=10)
    assert one.types[0].route is False and one.label == "Loại III"


def test_dd_of_type_two_counts_type_three_criteria(commune_set):
    # a and b at type II's level, c only present (type III): 2 type-II, and type III has a and c.
    counts = {"users_addicts": 10, "organising_places": 1, "offenders_arrested": 1}
    assert classify(commune_set, **counts).label == "Loại III"
    on_route = classify(commune_set, on_route=True, **counts)
    assert on_route.label == "Loại II" and on_route.types[1].route is True and on_route.types[1].count == 3


def test_a_unit_with_nothing_is_no_hotspot_and_without_residents_no_rate_holds(commune_set):
    assert classify(commune_set).label == ""
    unknown = classify(commune_set, residents=None, users_addicts=500, offenders_arrested=500)
    assert held(unknown, "I")["a"] is False and held(unknown, "I")["c"] is False


def test_a_threshold_changed_in_the_admin_changes_the_classification(commune_set):
    ClassificationThreshold.objects.filter(type__classification_set=commune_set, type__code="I", letter="b").update(
        minimum=3)
    assert held(classify(load_set(ClassificationLevel.COMMUNE, 2025), organising_places=2), "I")["b"] is False


# ---------------------------------------------------------------- Điều 5
PROVINCE_NOTHING = {**NOTHING}


def province(classification_set, units_percent=Decimal(0), on_route=False, residents=1_000_000, **counts):
    return classify_counts(classification_set, {**PROVINCE_NOTHING, **counts}, year=2025, residents=residents,
                           on_route=on_route, units_percent=units_percent)


@pytest.mark.parametrize("counts, expected", [
    ({"users_addicts": 1999}, False), ({"users_addicts": 2000}, True),  # 0.2 % of 1,000,000
    ({"organising_places": 4}, False), ({"organising_places": 5}, True),
    ({"offenders_arrested": 499}, False), ({"offenders_arrested": 500}, True),  # 0.05 %
    ({"units_percent": Decimal("2.99")}, False), ({"units_percent": Decimal(3)}, True),
    ({"plants_destroyed": 7999}, False), ({"plants_destroyed": 8000}, True),
    ({"plants_area_m2": 1999}, False), ({"plants_area_m2": 2000}, True),
    ({"on_route": False}, False), ({"on_route": True}, True),
])
def test_each_province_criterion_at_its_edge(province_set, counts, expected):
    result = province(province_set, **counts)
    assert (result.types[0].count == 1) is expected


def test_the_province_is_a_hotspot_with_four_of_six_and_not_with_three(province_set):
    three = {"users_addicts": 2000, "organising_places": 5, "offenders_arrested": 500}
    assert province(province_set, **three).label == ""
    assert province(province_set, on_route=True, **three).label == "Tỉnh trọng điểm"


# ---------------------------------------------------------------- on known data, through the registry
@pytest.fixture
def unit(db):
    ward = WardFactory(population=1)  # the register's population is not what the rates use
    WardYearData.objects.create(ward=ward, year=2025, residents=RESIDENTS)
    WardYearData.objects.create(ward=ward, year=2026, residents=RESIDENTS)
    return ward, KhomFactory(ward=ward)


def arrest(ward, khom, day, n, number):
    case = Case.objects.create(ward=ward, khom=khom, year=day.year, number=number, detected_on=day, kind="trafficking")
    for i in range(n):
        Participant.objects.create(case=case, outsider_name=f"Đối tượng {number}-{i}", role="suspect")


def test_known_data_at_the_edges_and_the_period_cut_on_the_15th(unit):
    ward, khom = unit
    for _ in range(50):  # 0.5 % of the residents of 2025
        EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("addict"), started_on=dt.date(2025, 2, 1))
    for n in range(2):
        Hotspot.objects.create(ward=ward, khom=khom, address=f"Hẻm {n}", kind="organising_use",
                               found_on=dt.date(2025, 3, 1), cleared_on=dt.date(2025, 12, 1))
    arrest(ward, khom, dt.date(2025, 12, 14), 9, 1)  # 14/12/2025: the 2025 kỳ đánh giá
    arrest(ward, khom, dt.date(2025, 12, 15), 1, 2)  # 15/12/2025: 2026's
    result = classify_wards([ward], 2025)[ward.pk]
    assert result.figure(result.types[0].type.thresholds.get(letter="c")) == Decimal("0.09")
    assert held(result, "I") == {"a": True, "b": True, "c": False, "d": False} and result.label == "Loại II"
    arrest(ward, khom, dt.date(2025, 12, 14), 1, 3)  # the tenth arrest of 2025: 0.1 %
    assert classify_wards([ward], 2025)[ward.pk].label == "Loại I"
    later = classify_wards([ward], 2026)[ward.pk]
    assert held(later, "I")["c"] is False and held(later, "III")["c"] is True  # 1 / 10,000 in 2026
    assert held(later, "I")["b"] is False  # both places cleared before 2026's period began


def test_the_residents_are_kept_per_period(unit):
    ward, khom = unit
    for _ in range(50):
        EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("addict"), started_on=dt.date(2025, 2, 1))
    WardYearData.objects.filter(ward=ward, year=2026).update(residents=RESIDENTS + 1)
    assert held(classify_wards([ward], 2025)[ward.pk], "I")["a"] is True
    assert held(classify_wards([ward], 2026)[ward.pk], "I")["a"] is False  # 50 / 10,001


def test_the_province_adds_up_its_units_and_counts_its_type_one_and_two_share(db):
    wards = [WardFactory() for _ in range(3)]
    for ward in wards:
        WardYearData.objects.create(ward=ward, year=2025, residents=1000)
    khom = KhomFactory(ward=wards[0])
    # The first unit is type I: 5 places, 5 users of 1,000 (0.5 %), 1 arrest of 1,000 (0.1 %).
    for n in range(5):
        Hotspot.objects.create(ward=wards[0], khom=khom, address=f"Hẻm {n}", kind="harbouring_use",
                               found_on=dt.date(2025, 3, 1))
    for _ in range(5):
        EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("addict"), started_on=dt.date(2025, 2, 1))
    arrest(wards[0], khom, dt.date(2025, 6, 1), 1, 1)
    ProvinceYearData.objects.create(year=2025, on_interprovincial_route=True)
    assert classify_wards(wards, 2025)[wards[0].pk].label == "Loại I"
    result = classify_province(2025, wards=wards)
    assert result.residents == 3000 and result.units_counted == 1 and result.units_total == 3
    # places 5 (≥ 5), type I/II share 33 % (≥ 3 %), on the route: 3 of 6 (users 0.17 %, arrests 0.03 %).
    assert result.types[0].count == 3 and result.label == ""
    arrest(wards[1], KhomFactory(ward=wards[1]), dt.date(2025, 6, 1), 1, 2)  # 2 / 3,000 = 0.067 % ≥ 0.05 %
    assert classify_province(2025, wards=wards).label == "Tỉnh trọng điểm"


def test_classifying_every_unit_costs_the_same_queries_for_two_and_for_twelve_units(db, django_assert_num_queries):
    def measure(n):
        wards = [WardFactory() for _ in range(n)]
        for ward in wards:
            WardYearData.objects.create(ward=ward, year=2025, residents=5000)
            KhomFactory(ward=ward)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            classify_wards(wards, 2025)
            classify_province(2025, wards=wards)
        return len(queries.captured_queries)

    assert measure(2) == measure(12)
    assert ClassificationSet.objects.count() == 2
