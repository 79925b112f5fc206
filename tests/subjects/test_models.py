"""Person, episode and CCCD rules, in the model and in the database."""
import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.core.audit import ward_id_of
from apps.core.periods import add_months
from apps.core.validators import BIRTH_DATE_FUTURE, CCCD_CENTURY, CCCD_FORMAT, CCCD_YEAR
from apps.subjects.choices import EndReason, Gender
from apps.subjects.models import CCCD_UNAVAILABLE, EPISODE_OPEN_TWICE, EpisodeKind, Person
from apps.subjects.services import person_sync_status
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
    assert PersonFactory(khom=khom, full_name="Trần Thị Đào", cccd=None).search_text == "tran thi dao"


@pytest.mark.parametrize("fields, name, cccd, search_text", [
    (["full_name"], "Lê Văn Mới", "089090123456", "le van moi 089090123456"),
    (["cccd"], "Nguyễn Văn Đức", None, "nguyen van duc"),
])
def test_saving_only_the_name_or_the_cccd_keeps_the_search_text_in_step(khom, fields, name, cccd, search_text):
    person = PersonFactory(khom=khom, full_name="Nguyễn Văn Đức", cccd="089090123456")
    person.full_name, person.cccd = name, cccd
    person.save(update_fields=fields)
    person.refresh_from_db()
    assert person.search_text == search_text


def test_saving_some_fields_leaves_the_other_columns_as_another_writer_left_them(khom):
    person = PersonFactory(khom=khom, full_name="Nguyễn Văn Đức", phone="0901")
    Person.objects.filter(pk=person.pk).update(phone="0999", next_test_due=dt.date(2026, 5, 1))
    person.full_name = "Nguyễn Văn Đạt"
    person.save(update_fields=["full_name"])
    person.refresh_from_db()
    assert (person.full_name, person.phone, person.next_test_due) == ("Nguyễn Văn Đạt", "0999", dt.date(2026, 5, 1))


def test_a_birth_date_may_be_today_but_not_tomorrow(khom):
    _person(khom, date_of_birth=dt.date.today()).full_clean()
    with pytest.raises(ValidationError) as exc:
        _person(khom, date_of_birth=dt.date.today() + dt.timedelta(days=1)).full_clean()
    assert _messages(exc, "date_of_birth") == [str(BIRTH_DATE_FUTURE)]


def test_a_cccd_is_not_judged_against_a_missing_sex(khom):
    # 089195…: the digit of a woman born in the 1900s; with no sex given only the sex is reported.
    with pytest.raises(ValidationError) as exc:
        _person(khom, gender="", date_of_birth=dt.date(1995, 3, 1), cccd="089195001234").full_clean()
    assert "gender" in exc.value.message_dict and "cccd" not in exc.value.message_dict


def test_a_person_is_audited_under_the_ward_of_his_khom(khom):
    assert ward_id_of(PersonFactory(khom=khom)) == khom.ward_id
    assert ward_id_of(Person(full_name="Chưa có khóm")) is None


def test_with_related_reads_the_khom_its_ward_and_the_status_in_the_same_query(khom, django_assert_num_queries):
    EpisodeFactory(person=PersonFactory(khom=khom), kind=seeded_kind("addict"))
    person_sync_status(person=Person.objects.get())
    with django_assert_num_queries(1):
        rows = [(p.khom.code, p.khom.ward.code, p.status.code) for p in Person.objects.with_related()]
    assert rows == [("A01", khom.ward.code, "addict")]


def test_episode_kinds_are_read_by_every_signed_in_user_and_by_nobody_else(province):
    assert EpisodeKind.objects.for_user(province).count() == EpisodeKind.objects.count() > 0
    assert not EpisodeKind.objects.for_user(AnonymousUser()).exists()


@pytest.mark.parametrize("day, age", [
    (dt.date(2026, 5, 16), 35),  # the day before the 36th birthday
    (dt.date(2026, 5, 17), 36),  # the birthday itself
    (dt.date(2026, 5, 18), 36),
    (dt.date(2026, 4, 30), 35),  # an earlier month, a later day of the month
    (dt.date(2026, 6, 1), 36),   # a later month, an earlier day of the month
])
def test_a_person_is_a_year_older_from_the_birthday_on(khom, day, age):
    assert _person(khom, date_of_birth=dt.date(1990, 5, 17)).age_on(day) == age


@pytest.mark.parametrize("day, age", [
    (dt.date(2025, 2, 28), 20),
    (dt.date(2025, 3, 1), 21),   # no 29 February in 2025: the birthday is passed on 1 March
    (dt.date(2028, 2, 28), 23),
    (dt.date(2028, 2, 29), 24),
])
def test_someone_born_on_29_february_has_a_birthday_on_1_march_in_common_years(khom, day, age):
    assert _person(khom, date_of_birth=dt.date(2004, 2, 29)).age_on(day) == age


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
