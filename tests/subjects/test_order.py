"""The register's order: by given name (tên), then middle name, then family name, in the Vietnamese alphabet
(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), tones after the letters — in the list, its
export and the choices of khóm and wards. Each name below catches one mistake of a byte-wise sort."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.khom.models import Khom, Ward
from apps.subjects.columns import EXPORT_HEADERS, HEADER_ROW
from apps.subjects.models import Person
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db

LIST = reverse("subjects:list")
EXPORT = reverse("subjects:export")

# Same given and middle name: the family name decides. Byte-wise, Đ (U+0110) sorts after every
# Latin letter (Đặng, Đinh, Đỗ after Võ), "Nguyễn" before "Ngô" (u < ô's byte), "Phan" before "Phạm"
# (n < ạ's byte), "Trương" before "Trần". In Vietnamese: d < đ < … ; o < ô < ơ < u < ư; letters first,
# so Phạm (m) before Phan (n) whatever the tone.
BY_FAMILY = ["Dương Văn An", "Đặng Văn An", "Đinh Văn An", "Đỗ Văn An", "Ngô Văn An", "Nguyễn Văn An",
             "Phạm Văn An", "Phan Văn An", "Trần Văn An", "Trương Văn An", "Võ Văn An"]
# Given names: the plain letter, then its tones (ngang, huyền, hỏi, ngã, sắc, nặng), then ă, â; đ after d;
# ô, ơ after o; ư after u.
BY_GIVEN = ["Lê Văn An", "Lê Văn Àn", "Lê Văn Án", "Lê Văn Ăn", "Lê Văn Ân", "Lê Văn Dung", "Lê Văn Đức",
            "Lê Văn On", "Lê Văn Ôn", "Lê Văn Ơn", "Lê Văn Uy", "Lê Văn Ưng"]


def listed(response):
    return [person.full_name for person in response.context["object_list"]]


def exported(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    name = EXPORT_HEADERS.index("Họ và tên")
    return [row[name] for row in rows], [row[0] for row in rows]


def make(khom, names):
    # Created in reverse so that the database id's order cannot pass for the right one.
    for full_name in reversed(names):
        PersonFactory(khom=khom, full_name=full_name)


def test_the_family_name_decides_in_the_vietnamese_alphabet(client_for, police, khom):
    make(khom, BY_FAMILY)
    assert listed(client_for(police).get(LIST)) == BY_FAMILY


def test_given_names_follow_the_vietnamese_alphabet_with_tones_after_letters(client_for, police, khom):
    make(khom, BY_GIVEN)
    assert listed(client_for(police).get(LIST)) == BY_GIVEN


def test_the_given_name_comes_first_then_the_middle_name_then_the_family_name(client_for, police, khom):
    expected = [
        "Trương Thị Bích",   # tên Bích before Cường, though Trương comes after Nguyễn
        "Nguyễn Văn Cường",
        "Hoa",               # tên Hoa with no middle name first,
        "Trần Ngọc Hoa",     # then by tên đệm: Ngọc < Thị < Văn,
        "Võ Thị Hoa",
        "Lê Văn Hoa",        # then by họ: Lê < Võ
        "Võ Văn Hoa",
    ]
    make(khom, expected)
    assert listed(client_for(police).get(LIST)) == expected


def test_the_sort_keys_are_derived_from_the_name_by_the_database(khom):
    person = PersonFactory(khom=khom, full_name="Nguyễn Thị Ngọc Ánh")
    person = Person.objects.get(pk=person.pk)
    assert (person.given_name, person.middle_name, person.family_name) == ("Ánh", "Thị Ngọc", "Nguyễn")
    person.full_name = "Trần Văn Bình"
    person.save()
    person = Person.objects.get(pk=person.pk)
    assert (person.given_name, person.middle_name, person.family_name) == ("Bình", "Văn", "Trần")


def test_the_export_has_the_lists_order_and_numbers_its_rows(client_for, police, khom):
    make(khom, BY_FAMILY)
    names, numbers = exported(client_for(police).get(EXPORT))
    assert names == BY_FAMILY
    assert numbers == list(range(1, len(BY_FAMILY) + 1))


def test_the_list_shows_a_row_number_that_continues_on_the_next_page(client_for, police, khom):
    make(khom, [f"Lê Văn {chr(ord('A') + index // 26)}{chr(ord('a') + index % 26)}" for index in range(55)])
    client = client_for(police)
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert '<td class="text-end">1</td>' in first and '<td class="text-end">50</td>' in first
    assert '<td class="text-end">51</td>' in second and '<td class="text-end">55</td>' in second


def test_sorting_by_name_descending_reverses_the_register(client_for, police, khom):
    make(khom, BY_FAMILY)
    assert listed(client_for(police).get(LIST, {"sort": "-name"})) == BY_FAMILY[::-1]


def test_khom_and_wards_are_offered_in_the_vietnamese_alphabet(db):
    for name in ["Võ Thành", "Đông Hòa", "Định Mỹ", "Bình Đức"]:
        WardFactory(name=name)
    names = list(Ward.objects.filter(name__in=["Võ Thành", "Đông Hòa", "Định Mỹ", "Bình Đức"])
                 .values_list("name", flat=True))
    assert names == ["Bình Đức", "Định Mỹ", "Đông Hòa", "Võ Thành"]
    ward = Ward.objects.get(name="Bình Đức")
    for code, name in [("K1", "Ung Văn Khiêm"), ("K2", "Đông An"), ("K3", "Ông Chưởng"), ("K4", "Ô Môi")]:
        KhomFactory(ward=ward, code=code, name=name)
    ordered = list(Khom.objects.filter(ward=ward).order_by("name").values_list("name", flat=True))
    assert ordered == ["Đông An", "Ô Môi", "Ông Chưởng", "Ung Văn Khiêm"]
