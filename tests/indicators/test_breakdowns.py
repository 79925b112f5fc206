"""The QĐ 13/2019/QĐ-TTg breakdowns of apps.subjects.indicators (issue 16 §5), on known people.

The period is Quý IV/2026 cut on the 15th (15/09–14/12/2026): ages are counted on 14/12/2026.
"""
import datetime as dt

import pytest

from apps.core.periods import Period
from apps.indicators.registry import evaluate
from apps.reports.figures import PEOPLE_CODES
from apps.subjects.choices import EducationLevel, Ethnicity, Gender, StatusCategory
from apps.subjects.choices import TestResult as Result
from apps.subjects.indicators import AGE_GROUP_CODES, STATUS_CODES
from tests.factories.khom import KhomFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, seeded_kind

Q4 = Period.quarter(2026, 4, start_day=15)
END = dt.date(2026, 12, 14)
AGE_CODES = list(AGE_GROUP_CODES.values())


@pytest.fixture(autouse=True)
def after_the_period(monkeypatch):
    """The figures are read after Quý IV/2026 has ended: indicators never count a fact dated after the
    moment they are computed (issue 18 §4), and these tests place facts up to its last day, 14/12/2026."""
    from django.utils import timezone

    moment = dt.datetime(2026, 12, 20, 3, 0, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def ward_values(ward, codes, period=Q4):
    return evaluate(codes, [ward], period)[f"ward:{ward.pk}"]


def managed(khom, *, kind="illegal_user", started_on=dt.date(2026, 1, 5), **fields):
    person = PersonFactory(khom=khom, **fields)
    EpisodeFactory(person=person, kind=seeded_kind(kind), started_on=started_on)
    return person


def test_the_period_ends_on_the_fourteenth():
    assert (Q4.start, Q4.end) == (dt.date(2026, 9, 15), END)


@pytest.mark.parametrize("years, on_the_day, day_after", [
    (14, "persons_age_14_to_16", "persons_age_under_14"),
    (16, "persons_age_16_to_18", "persons_age_14_to_16"),
    (18, "persons_age_18_to_30", "persons_age_16_to_18"),
    (30, "persons_age_30_over", "persons_age_18_to_30"),
])
def test_a_birthday_on_the_last_day_counts_in_the_older_group_the_day_after_not(ward, khom, years, on_the_day,
                                                                                 day_after):
    managed(khom, date_of_birth=END.replace(year=END.year - years))
    managed(khom, date_of_birth=END.replace(year=END.year - years) + dt.timedelta(days=1))
    values = ward_values(ward, AGE_CODES)
    assert values[on_the_day] == 1 and values[day_after] == 1
    assert sum(values.values()) == 2


def test_the_age_cross_tabulation_uses_the_same_edges(ward, khom):
    managed(khom, date_of_birth=dt.date(2012, 12, 14), gender=Gender.FEMALE)  # 14 on 14/12/2026
    managed(khom, date_of_birth=dt.date(2012, 12, 15), gender=Gender.FEMALE)  # 13
    table = ward_values(ward, ["persons_by_category_sex_age"])["persons_by_category_sex_age"]
    assert table == {"outside_society|female|14-16": 1, "outside_society|female|u14": 1}


def test_a_person_born_on_29_february_turns_a_year_older_on_1_march(ward, khom):
    managed(khom, date_of_birth=dt.date(2012, 2, 29))
    on_28_feb = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    on_1_mar = Period(dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    assert ward_values(ward, AGE_CODES, on_28_feb)["persons_age_under_14"] == 1
    assert ward_values(ward, AGE_CODES, on_1_mar)["persons_age_14_to_16"] == 1


def test_only_people_under_management_on_the_last_day_are_broken_down(ward, khom):
    managed(khom, gender=Gender.MALE)
    ended = PersonFactory(khom=khom, gender=Gender.MALE)
    EpisodeFactory(person=ended, started_on=dt.date(2026, 1, 5), actual_end=dt.date(2026, 12, 13),
                   end_reason="term_completed")
    later = PersonFactory(khom=khom, gender=Gender.FEMALE)
    EpisodeFactory(person=later, started_on=dt.date(2026, 12, 15))
    values = ward_values(ward, ["persons_managed", "persons_male", "persons_female"] + AGE_CODES)
    assert values["persons_managed"] == values["persons_male"] == 1 and values["persons_female"] == 0
    assert sum(values[code] for code in AGE_CODES) == 1


def test_ethnicity_residence_education_and_prior_records_each_add_up(ward, khom):
    managed(khom, ethnicity=Ethnicity.KINH, stable_residence=True, education=EducationLevel.PRIMARY,
            prior_criminal=True)
    managed(khom, ethnicity=Ethnicity.KHMER, stable_residence=False, education=EducationLevel.HIGHER,
            prior_administrative=True)
    managed(khom, ethnicity=Ethnicity.HOA, prior_criminal=True, prior_administrative=True)
    managed(khom)  # nothing recorded
    values = ward_values(ward, [
        "persons_ethnicity_kinh", "persons_ethnicity_other", "persons_ethnicity_unknown",
        "persons_stable_residence", "persons_unstable_residence", "persons_residence_unknown",
        "persons_education_primary", "persons_education_higher", "persons_education_unknown",
        "persons_prior_criminal", "persons_prior_administrative"])
    assert values == {
        "persons_ethnicity_kinh": 1, "persons_ethnicity_other": 2, "persons_ethnicity_unknown": 1,
        "persons_stable_residence": 1, "persons_unstable_residence": 1, "persons_residence_unknown": 2,
        "persons_education_primary": 1, "persons_education_higher": 1, "persons_education_unknown": 2,
        "persons_prior_criminal": 2, "persons_prior_administrative": 2,
    }


def test_the_status_split_follows_the_highest_priority_open_episode(ward, khom):
    managed(khom)  # illegal user: outside society
    managed(khom, kind="compulsory_rehab")
    managed(khom, kind="voluntary_facility")
    both = managed(khom)  # an illegal user now in custody: detention (custody has the higher priority)
    EpisodeFactory(person=both, kind=seeded_kind("custody"), started_on=dt.date(2026, 11, 1))
    values = ward_values(ward, list(STATUS_CODES.values()) + ["persons_managed"])
    assert values == {"persons_status_outside_society": 1, "persons_status_compulsory_rehab": 1,
                      "persons_status_other_facility": 1, "persons_status_detention": 1, "persons_managed": 4}


def test_the_status_mapping_is_data_an_administrator_changes(ward, khom):
    managed(khom, kind="methadone")
    assert ward_values(ward, ["persons_status_outside_society"])["persons_status_outside_society"] == 1
    kind = seeded_kind("methadone")
    kind.status_category = StatusCategory.OTHER_FACILITY
    kind.save()
    values = ward_values(ward, ["persons_status_outside_society", "persons_status_other_facility"])
    assert values == {"persons_status_outside_society": 0, "persons_status_other_facility": 1}


def test_the_seeded_kinds_are_mapped_to_the_four_categories(db):
    assert seeded_kind("custody").status_category == StatusCategory.DETENTION
    assert seeded_kind("compulsory_rehab").status_category == StatusCategory.COMPULSORY_REHAB
    assert seeded_kind("voluntary_facility").status_category == StatusCategory.OTHER_FACILITY
    assert seeded_kind("voluntary_home").status_category == StatusCategory.OUTSIDE_SOCIETY


def test_substances_count_people_positive_in_the_period_once_per_substance(ward, khom):
    one, two = managed(khom), managed(khom)
    DrugTestFactory(person=one, tested_on=dt.date(2026, 9, 15), result=Result.POSITIVE,
                    substances="Methamphetamine, MDMA")
    DrugTestFactory(person=one, tested_on=dt.date(2026, 10, 1), result=Result.POSITIVE,
                    substances="methamphetamine")
    DrugTestFactory(person=two, tested_on=dt.date(2026, 12, 14), result=Result.POSITIVE,
                    substances="Ketamine + Methamphetamine")
    DrugTestFactory(person=two, tested_on=dt.date(2026, 9, 14), result=Result.POSITIVE, substances="Heroin")
    DrugTestFactory(person=two, tested_on=dt.date(2026, 12, 15), result=Result.POSITIVE, substances="Heroin")
    DrugTestFactory(person=two, tested_on=dt.date(2026, 11, 1), result=Result.NEGATIVE, substances="Cần sa")
    table = ward_values(ward, ["persons_by_substance"])["persons_by_substance"]
    assert table == {"Methamphetamine": 2, "MDMA": 1, "Ketamine": 1}


def test_rehab_measures_count_episodes_running_on_any_day_of_the_period(ward, khom):
    EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("voluntary_home"),
                   started_on=dt.date(2026, 3, 1), actual_end=dt.date(2026, 9, 15), end_reason="term_completed")
    EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("voluntary_home"),
                   started_on=dt.date(2026, 3, 1), actual_end=dt.date(2026, 9, 14), end_reason="term_completed")
    EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("methadone"), started_on=dt.date(2026, 12, 14))
    EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("methadone"), started_on=dt.date(2026, 12, 15))
    managed(khom)  # an illegal user: no rehab measure
    table = ward_values(ward, ["persons_by_rehab_measure"])["persons_by_rehab_measure"]
    assert table == {"voluntary_home": 1, "methadone": 1}


def test_occupations_that_differ_only_in_spelling_are_one(ward, khom):
    managed(khom, occupation="Thợ hồ")
    managed(khom, occupation="thợ  hồ")
    managed(khom, occupation="")
    table = ward_values(ward, ["persons_by_occupation"])["persons_by_occupation"]
    assert table == {"Thợ hồ": 2, "": 1}


def test_khom_figures_add_up_to_the_ward(ward, khom, khom2):
    managed(khom, gender=Gender.MALE)
    managed(khom2, gender=Gender.FEMALE)
    result = evaluate(["persons_male", "persons_female"], [khom, khom2, ward], Q4)
    assert result[f"khom:{khom.pk}"] == {"persons_male": 1, "persons_female": 0}
    assert result[f"khom:{khom2.pk}"] == {"persons_male": 0, "persons_female": 1}
    assert result[f"ward:{ward.pk}"] == {"persons_male": 1, "persons_female": 1}


def test_the_people_breakdowns_cost_the_same_queries_at_two_sizes(ward, khom, count_queries):
    managed(khom)
    small = count_queries(lambda: evaluate(PEOPLE_CODES, [ward], Q4))
    for index in range(8):
        person = managed(KhomFactory(ward=ward), occupation=f"Nghề {index}", ethnicity=Ethnicity.CHAM)
        DrugTestFactory(person=person, tested_on=dt.date(2026, 10, 1), result=Result.POSITIVE,
                        substances=f"Chất {index}")
    large = count_queries(lambda: evaluate(PEOPLE_CODES, [ward], Q4))
    assert small == large <= 8
