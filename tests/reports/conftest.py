"""Known data for the reports tests: one ward, two khóm, people, tests, cases and activities in Q1 2026."""
import datetime as dt

import pytest

from apps.subjects.choices import Gender, TestResult
from tests.factories.activities import ActivityFactory, CommitmentSigningFactory
from tests.factories.cases import CaseFactory, HotspotFactory, ParticipantFactory
from tests.factories.reports import ReportFactory
from tests.factories.subjects import DrugTestFactory, EpisodeFactory, PersonFactory, seeded_kind

PERSON_NAMES = ["Nguyễn Văn Bí Mật", "Trần Thị Riêng Tư", "Lê Văn Kín Đáo"]


@pytest.fixture
def known_data(ward, khom, khom2):
    """Three people (two in khóm A01, one in A02), four tests, two cases, three sessions, one signing."""
    people = [
        PersonFactory(full_name=PERSON_NAMES[0], khom=khom, gender=Gender.MALE, date_of_birth=dt.date(1996, 2, 1)),
        PersonFactory(full_name=PERSON_NAMES[1], khom=khom, gender=Gender.FEMALE, date_of_birth=dt.date(1980, 7, 9)),
        PersonFactory(full_name=PERSON_NAMES[2], khom=khom2, gender=Gender.MALE, date_of_birth=dt.date(2010, 3, 3)),
    ]
    for person in people:
        EpisodeFactory(person=person, kind=seeded_kind("illegal_user"), started_on=dt.date(2025, 12, 1))
    DrugTestFactory(person=people[0], tested_on=dt.date(2026, 1, 10), result=TestResult.POSITIVE)
    DrugTestFactory(person=people[0], tested_on=dt.date(2026, 2, 10))
    DrugTestFactory(person=people[1], tested_on=dt.date(2026, 3, 10))
    DrugTestFactory(person=people[2], tested_on=dt.date(2025, 12, 10))  # previous quarter
    case = CaseFactory(khom=khom, detected_on=dt.date(2026, 2, 3))
    ParticipantFactory(case=case, person=people[0], outsider_name="", outsider_birth_year=None,
                       outsider_residence="")
    CaseFactory(khom=khom2, detected_on=dt.date(2026, 3, 3), handling="criminal")
    HotspotFactory(khom=khom2, found_on=dt.date(2025, 11, 1))
    ActivityFactory(khom=khom, held_on=dt.date(2026, 1, 15), participants=40)
    ActivityFactory(khom=khom2, held_on=dt.date(2026, 2, 15), participants=25)
    ActivityFactory(khom=None, ward=ward, held_on=dt.date(2026, 3, 1), participants=120)
    CommitmentSigningFactory(khom=khom, signed_on=dt.date(2026, 1, 20), households_signed=450, households_total=500)
    return {"people": people}


@pytest.fixture
def report(ward):
    return ReportFactory(ward=ward)
