"""Person, episode and CCCD rules, in the model and in the database."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.core.validators import CCCD_CENTURY, CCCD_FORMAT, CCCD_YEAR
from apps.subjects.choices import EndReason, Gender
from apps.subjects.models import CCCD_UNAVAILABLE, EPISODE_OPEN_TWICE, Person
from tests.factories.subjects import EpisodeFactory, PersonFactory, seeded_kind

pytestmark = pytest.mark.django_db


def _person(khom, **kwargs):
    data = {"full_name": "Nguyễn Văn Đức", "gender": Gender.MALE, "date_of_birth": dt.date(1990, 5, 17), "khom": khom}
    data.update(kwargs)
    return Person(**data)


def _messages(exc, field):
    return [str(m) for m in exc.value.message_dict.get(field, [])]


def test_a_valid_cccd_of_a_man_born_in_1990_is_accepted(khom):
    _person(khom, cccd="089090123456").full_clean()


def test_a_valid_cccd_of_a_woman_born_in_2001_is_accepted(khom):
    _person(khom, gender=Gender.FEMALE, date_of_birth=dt.date(2001, 2, 3), cccd="089301123456").full_clean()


@pytest.mark.parametrize("cccd", ["08909012345", "0890901234567", "08909O123456", "abcdefghijkl"])
def test_a_cccd_of_wrong_length_or_with_letters_is_refused(khom, cccd):
    with pytest.raises(ValidationError) as exc:
        _person(khom, cccd=cccd).full_clean()
    assert str(CCCD_FORMAT) in _messages(exc, "cccd")


def test_a_cccd_whose_century_digit_says_female_is_refused_for_a_man(khom):
    with pytest.raises(ValidationError) as exc:
        _person(khom, cccd="089190123456").full_clean()
    assert _messages(exc, "cccd") == [str(CCCD_CENTURY)]


def test_a_cccd_whose_century_digit_says_21st_century_is_refused_for_someone_born_in_1990(khom):
    with pytest.raises(ValidationError) as exc:
        _person(khom, cccd="089290123456").full_clean()
    assert _messages(exc, "cccd") == [str(CCCD_CENTURY)]


def test_a_cccd_whose_year_digits_differ_from_the_birth_year_is_refused(khom):
    with pytest.raises(ValidationError) as exc:
        _person(khom, cccd="089091123456").full_clean()
    assert _messages(exc, "cccd") == [str(CCCD_YEAR)]


def test_a_duplicate_cccd_is_refused_by_validation_and_by_the_database(khom):
    PersonFactory(khom=khom, cccd="089090123456")
    with pytest.raises(ValidationError) as exc:
        _person(khom, cccd="089090123456").full_clean()
    assert _messages(exc, "cccd") == [str(CCCD_UNAVAILABLE)]
    with pytest.raises(IntegrityError), transaction.atomic():
        _person(khom, cccd="089090123456").save()


def test_many_people_without_cccd_may_coexist_and_blank_is_stored_as_null(khom):
    first = PersonFactory(khom=khom, cccd="")
    PersonFactory(khom=khom, cccd=None)
    first.refresh_from_db()
    assert first.cccd is None


def test_the_search_text_is_the_folded_name_and_cccd(khom):
    person = PersonFactory(khom=khom, full_name="Nguyễn  Văn ĐỨC", cccd="089090123456")
    assert person.search_text == "nguyen van duc 089090123456"


def test_an_episode_gets_its_planned_end_from_the_kind_term(khom):
    episode = EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("illegal_user"),
                             started_on=dt.date(2026, 1, 31))
    assert episode.planned_end == dt.date(2027, 1, 31)


def test_the_database_refuses_two_open_episodes_of_one_kind_for_one_person(khom):
    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person)
    with pytest.raises(ValidationError) as exc:
        EpisodeFactory.build(person=person).full_clean()
    assert str(EPISODE_OPEN_TWICE) in exc.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        EpisodeFactory(person=person)


def test_a_closed_episode_does_not_block_a_new_one_of_the_same_kind(khom):
    person = PersonFactory(khom=khom)
    EpisodeFactory(person=person, actual_end=dt.date(2026, 2, 1), end_reason=EndReason.TERM_COMPLETED)
    EpisodeFactory(person=person, started_on=dt.date(2026, 3, 1))
    assert person.episodes.count() == 2


def test_the_database_refuses_an_episode_that_ends_before_it_starts(khom):
    with pytest.raises(IntegrityError), transaction.atomic():
        EpisodeFactory(person=PersonFactory(khom=khom), started_on=dt.date(2026, 3, 1),
                       actual_end=dt.date(2026, 2, 1), end_reason=EndReason.OTHER)


def test_the_database_refuses_an_end_date_without_a_reason(khom):
    with pytest.raises(IntegrityError), transaction.atomic():
        EpisodeFactory(person=PersonFactory(khom=khom), actual_end=dt.date(2026, 6, 1))
