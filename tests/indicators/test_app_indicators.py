"""Each app's indicators (apps/<app>/indicators.py) computed on known data, per khóm and per ward."""
import datetime as dt
from decimal import Decimal

import pytest

from apps.activities.models import Activity, CommitmentSigning
from apps.cases.models import Case, Hotspot, Participant
from apps.core.periods import Period
from apps.indicators.registry import evaluate
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, seeded_kind

YEAR = Period.year(2025)


@pytest.fixture
def place(db):
    """A ward of 10,000 residents with two khóm of 1,000 and 4,000."""
    ward = WardFactory(population=10000)
    return ward, KhomFactory(ward=ward, population=1000, households=300), KhomFactory(ward=ward, population=4000)


def values(code, areas, period=YEAR):
    result = evaluate([code], areas, period)
    return [result[key][code] for key in result]


def _case(khom, day, number, **kwargs):
    return Case.objects.create(ward=khom.ward, khom=khom, year=day.year, number=number, detected_on=day,
                               kind=kwargs.pop("kind", "possession"), **kwargs)


def test_persons_managed_counts_people_with_an_episode_open_at_period_end_once(place):
    ward, a, b = place
    person = PersonFactory(khom=a)
    EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=dt.date(2025, 3, 1))
    EpisodeFactory(person=person, kind=seeded_kind("methadone"), started_on=dt.date(2025, 4, 1))
    EpisodeFactory(person=PersonFactory(khom=b), started_on=dt.date(2025, 2, 1), actual_end=dt.date(2025, 6, 1),
                   end_reason="term_completed")
    EpisodeFactory(person=PersonFactory(khom=b), started_on=dt.date(2026, 1, 2))  # after the period
    assert values("persons_managed", [a, b, ward]) == [1, 0, 1]


def test_users_addicts_and_their_share_of_residents(place):
    ward, a, b = place
    for _ in range(5):
        EpisodeFactory(person=PersonFactory(khom=a), kind=seeded_kind("addict"), started_on=dt.date(2025, 1, 10))
    EpisodeFactory(person=PersonFactory(khom=b), kind=seeded_kind("post_rehab"), started_on=dt.date(2025, 1, 10))
    assert values("users_addicts", [a, b, ward]) == [5, 0, 5]
    # 5 / 1,000 = 0.5 % (hotspot criterion a); the ward: 5 / 10,000 = 0.05 %.
    assert values("users_addicts_percent", [a, b, ward]) == [0.5, 0.0, 0.05]


def test_users_not_in_treatment_leave_out_people_in_rehab_or_methadone(place):
    ward, a, _b = place
    in_rehab = PersonFactory(khom=a)
    EpisodeFactory(person=in_rehab, kind=seeded_kind("addict"), started_on=dt.date(2025, 1, 10))
    EpisodeFactory(person=in_rehab, kind=seeded_kind("methadone"), started_on=dt.date(2025, 2, 10))
    EpisodeFactory(person=PersonFactory(khom=a), kind=seeded_kind("voluntary_home"), started_on=dt.date(2025, 2, 10))
    assert values("users_addicts_not_in_treatment", [a]) == [0]
    assert values("in_treatment", [a, ward]) == [2, 2]
    EpisodeFactory(person=PersonFactory(khom=a), kind=seeded_kind("illegal_user"), started_on=dt.date(2025, 5, 1))
    assert values("users_addicts_not_in_treatment", [a, ward]) == [1, 1]


def test_positive_tests_count_positive_results_dated_in_the_period(place):
    ward, a, b = place
    DrugTestFactory(person=PersonFactory(khom=a), tested_on=dt.date(2025, 5, 1), result="positive")
    DrugTestFactory(person=PersonFactory(khom=a), tested_on=dt.date(2025, 5, 1), result="negative")
    DrugTestFactory(person=PersonFactory(khom=b), tested_on=dt.date(2024, 12, 31), result="positive")
    assert values("positive_tests", [a, b, ward]) == [1, 0, 1]


def test_overdue_tests_count_people_whose_next_test_is_due_before_period_end(place):
    ward, a, b = place
    from apps.subjects.models import Person

    late = PersonFactory(khom=a)
    on_time = PersonFactory(khom=b)
    Person.objects.filter(pk=late.pk).update(next_test_due=dt.date(2025, 6, 1))
    Person.objects.filter(pk=on_time.pk).update(next_test_due=dt.date(2026, 2, 1))
    assert values("overdue_tests", [a, b, ward]) == [1, 0, 1]


def test_cases_offenders_and_their_share_of_residents(place):
    ward, a, b = place
    case = _case(a, dt.date(2025, 4, 1), 1)
    Participant.objects.create(case=case, outsider_name="Người A", role="suspect")
    Participant.objects.create(case=case, outsider_name="Người B", role="accomplice")
    Participant.objects.create(case=case, outsider_name="Người C", role="witness")
    repeat = PersonFactory(khom=a)
    Participant.objects.create(case=case, person=repeat, role="suspect")
    Participant.objects.create(case=_case(a, dt.date(2025, 5, 1), 3), person=repeat, role="suspect")
    _case(b, dt.date(2024, 4, 1), 2)
    assert values("cases_detected", [a, b, ward]) == [2, 0, 2]
    # Two outsiders and one register person who appears in two cases: three people.
    assert values("offenders_arrested", [a, b, ward]) == [3, 0, 3]
    assert values("offenders_arrested_percent", [a, b, ward]) == [0.3, 0.0, 0.03]


def test_plants_and_area_destroyed_sum_cultivation_cases(place):
    ward, a, b = place
    _case(a, dt.date(2025, 4, 1), 1, kind="cultivation", plants_destroyed=2000, area_destroyed_m2=Decimal("500.5"))
    _case(b, dt.date(2025, 6, 1), 2, kind="cultivation", plants_destroyed=1500, area_destroyed_m2=Decimal("300"))
    assert values("plants_destroyed", [a, b, ward]) == [2000, 1500, 3500]
    assert values("plants_area_m2", [a, b, ward]) == [500.5, 300, 800.5]


def test_active_hotspots_include_those_active_at_any_time_in_the_period(place):
    ward, a, b = place
    Hotspot.objects.create(ward=ward, khom=a, address="1", kind="organising_use", found_on=dt.date(2024, 1, 1))
    Hotspot.objects.create(ward=ward, khom=a, address="2", kind="selling", found_on=dt.date(2024, 1, 1),
                           cleared_on=dt.date(2025, 3, 1))
    Hotspot.objects.create(ward=ward, khom=b, address="3", kind="harbouring_use", found_on=dt.date(2023, 1, 1),
                           cleared_on=dt.date(2024, 6, 1))
    assert values("active_hotspots", [a, b, ward]) == [2, 0, 2]
    assert values("organising_places", [a, b, ward]) == [1, 0, 1]


def test_propaganda_sessions_and_attendance_whole_ward_sessions_count_only_for_the_ward(place):
    ward, a, b = place
    Activity.objects.create(ward=ward, khom=a, held_on=dt.date(2025, 2, 1), topic="T", participants=40, organiser="K")
    Activity.objects.create(ward=ward, khom=a, held_on=dt.date(2025, 8, 1), topic="T", participants=60, organiser="K")
    Activity.objects.create(ward=ward, khom=None, held_on=dt.date(2025, 9, 1), topic="T", participants=200,
                            organiser="UBND")
    assert values("propaganda_sessions", [a, b, ward]) == [2, 0, 3]
    assert values("propaganda_attendance", [a, b, ward]) == [100, 0, 300]


def test_commitment_percent_uses_each_khoms_latest_signing_in_the_period(place):
    ward, a, b = place
    CommitmentSigning.objects.create(khom=a, signed_on=dt.date(2025, 2, 1), households_signed=100, households_total=300)
    CommitmentSigning.objects.create(khom=a, signed_on=dt.date(2025, 9, 1), households_signed=285, households_total=300)
    CommitmentSigning.objects.create(khom=b, signed_on=dt.date(2025, 9, 1), households_signed=50, households_total=100)
    # a: 285/300 = 95 %; b: 50 %; ward: 335/400 = 83.75 → 83.8 %.
    assert values("commitment_percent", [a, b, ward]) == [95.0, 50.0, 83.8]
    lone = KhomFactory(ward=ward)
    assert values("commitment_percent", [lone]) == [None]


def test_a_share_of_residents_is_rounded_half_up_not_to_even(db):
    # 1 / 800 = 0.125 %: half-up gives 0.13 (to even would give 0.12); 3 / 2,000 = 0.15 % stays 0.15.
    ward = WardFactory(population=2000)
    small, other = KhomFactory(ward=ward, population=800), KhomFactory(ward=ward, population=1200)
    EpisodeFactory(person=PersonFactory(khom=small), kind=seeded_kind("addict"), started_on=dt.date(2025, 1, 10))
    for _ in range(2):
        EpisodeFactory(person=PersonFactory(khom=other), kind=seeded_kind("addict"), started_on=dt.date(2025, 1, 10))
    assert values("users_addicts_percent", [small, ward]) == [0.13, 0.15]


def test_the_commitment_percent_is_rounded_half_up_to_one_decimal(place):
    _ward, a, b = place
    # 1 / 16 = 6.25 % → 6.3 (to even: 6.2); 7 / 16 = 43.75 % → 43.8 either way.
    CommitmentSigning.objects.create(khom=a, signed_on=dt.date(2025, 9, 1), households_signed=1, households_total=16)
    CommitmentSigning.objects.create(khom=b, signed_on=dt.date(2025, 9, 1), households_signed=7, households_total=16)
    assert values("commitment_percent", [a, b]) == [6.3, 43.8]
