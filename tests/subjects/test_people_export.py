"""The people export as an office files it (title, STT, số hồ sơ, sheet name, autofilter, A4 landscape fitted to
width with the header repeated), and the per-ward file number (số hồ sơ) behind it."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.imports.engine import run_import
from apps.subjects.columns import EXPORT_HEADERS, HEADER_ROW
from apps.subjects.models import Person
from tests.factories.khom import KhomFactory
from tests.factories.subjects import PersonFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("subjects:export")


def workbook_of(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_sheet_has_a_title_with_the_ward_and_date_then_the_marking_then_the_header(client_for, police, khom,
                                                                                     monkeypatch):
    PersonFactory(khom=khom, full_name="Nguyễn Văn Đức")
    book = workbook_of(client_for(police).get(EXPORT))
    assert book.sheetnames == ["Đối tượng"]
    sheet = book.active
    title = sheet.cell(row=1, column=1).value
    assert title.startswith("DANH SÁCH ĐỐI TƯỢNG QUẢN LÝ — ")
    assert khom.ward.full_name.upper() in title
    assert title.endswith(f"NGÀY {dt.date.today():%d/%m/%Y}")
    from openpyxl.utils import get_column_letter

    assert f"A1:{get_column_letter(len(EXPORT_HEADERS))}1" in {str(r) for r in sheet.merged_cells.ranges}
    assert "DỮ LIỆU CÁ NHÂN NHẠY CẢM" in sheet.cell(row=2, column=1).value
    assert police.username in sheet.cell(row=2, column=1).value
    assert [cell.value for cell in sheet[HEADER_ROW]] == EXPORT_HEADERS
    assert EXPORT_HEADERS[:3] == ["STT", "Số hồ sơ", "Họ và tên"]
    assert "Mã hồ sơ" not in EXPORT_HEADERS


def test_the_sheet_prints_on_a4_landscape_one_page_wide_with_the_header_on_every_page(client_for, police, khom):
    for index in range(3):
        PersonFactory(khom=khom, full_name=f"Lê Văn {index}")
    sheet = workbook_of(client_for(police).get(EXPORT)).active
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth left out means 1 (the file format's default); fitToHeight 0: as many pages as needed.
    assert (int(sheet.page_setup.fitToWidth or 1), int(sheet.page_setup.fitToHeight)) == (1, 0)
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    last = sheet.cell(row=HEADER_ROW + 3, column=len(EXPORT_HEADERS)).coordinate
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:{last}"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    # A ruled register: every cell of the rows written, empty ones too (no CCCD, no note), has its grid.
    assert sheet.cell(row=HEADER_ROW + 1, column=2).border.left.style == "thin"
    (area, (rule,)), = sheet.conditional_formatting._cf_rules.items()
    assert str(area.sqref) == f"A{HEADER_ROW + 1}:{last}" and rule.dxf.border.bottom.style == "thin"


def test_rows_are_numbered_and_carry_the_file_number_not_the_database_id(client_for, police, khom, other_khom):
    PersonFactory(khom=other_khom, full_name="Người phường khác")  # takes number 1 of the other ward
    people = [PersonFactory(khom=khom, full_name=name) for name in ["Trần Văn Bình", "Lê Thị An", "Võ Văn Cường"]]
    sheet = workbook_of(client_for(police).get(EXPORT)).active
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    number, name = EXPORT_HEADERS.index("Số hồ sơ"), EXPORT_HEADERS.index("Họ và tên")
    assert [(row[0], row[number], row[name]) for row in rows] == [
        (1, 2, "Lê Thị An"), (2, 1, "Trần Văn Bình"), (3, 3, "Võ Văn Cường")]
    assert {row[number] for row in rows}.isdisjoint({person.pk for person in people} - {1, 2, 3})


def test_the_title_names_the_ward_filtered_on_or_the_province_across_wards(client_for, admin_user, khom, other_khom):
    PersonFactory(khom=khom)
    title = workbook_of(client_for(admin_user).get(EXPORT)).active.cell(row=1, column=1).value
    assert "TỈNH AN GIANG" in title
    title = workbook_of(client_for(admin_user).get(EXPORT, {"ward": khom.ward_id})).active.cell(row=1, column=1).value
    assert khom.ward.full_name.upper() in title


# The file number (số hồ sơ) -------------------------------------------------------------------------
def test_file_numbers_run_per_ward_in_order_of_registration(khom, khom2, other_khom):
    first = PersonFactory(khom=khom)
    elsewhere = PersonFactory(khom=other_khom)
    second = PersonFactory(khom=khom2)  # another khóm of the same ward: the ward's next number
    assert (first.file_number, second.file_number, elsewhere.file_number) == (1, 2, 1)
    assert (first.file_ward_id, elsewhere.file_ward_id) == (khom.ward_id, other_khom.ward_id)


def test_a_record_keeps_its_number_when_saved_and_takes_the_next_one_of_a_ward_it_moves_to(khom, khom2, other_khom):
    person = PersonFactory(khom=khom)
    PersonFactory(khom=other_khom)
    person.full_name, person.file_number = "Tên mới", None  # a stale value in memory changes nothing
    person.save()
    person.khom = khom2
    person.save()
    person.refresh_from_db()
    assert (person.file_number, person.file_ward_id) == (1, khom.ward_id)
    person.khom = other_khom
    person.save()
    person.refresh_from_db()
    assert (person.file_number, person.file_ward_id) == (2, other_khom.ward_id)


def test_rows_written_in_bulk_get_their_numbers_too(khom):
    PersonFactory(khom=khom)
    created = Person.objects.bulk_create([
        Person(full_name=f"Người {index}", gender="male", date_of_birth=dt.date(1990, 1, 1), khom=khom)
        for index in range(3)])
    assert [person.file_number for person in created] == [2, 3, 4]


def test_the_detail_page_shows_the_file_number(client_for, police, khom):
    person = PersonFactory(khom=khom)
    body = client_for(police).get(person.get_absolute_url()).content.decode()
    assert "Số hồ sơ" in body and f">{person.file_number}<" in body


# The import reads the file number back -------------------------------------------------------------
def test_an_edited_export_updates_the_person_of_its_file_number(client_for, police, khom):
    person = PersonFactory(khom=khom, full_name="Nguyễn Văn Cũ")
    PersonFactory(khom=khom, full_name="Lê Văn Khác")
    book = workbook_of(client_for(police).get(EXPORT))
    sheet = book.active
    name = EXPORT_HEADERS.index("Họ và tên") + 1
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row=row, column=name).value == "Nguyễn Văn Cũ":
            sheet.cell(row=row, column=name).value = "Nguyễn Văn Mới"  # a renamed person: only the number finds him
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = run_import(kind="persons", data=buffer.getvalue(), file_name="ds.xlsx", user=police, dry_run=False)
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated) == (0, 1)
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn Mới"


def test_a_file_number_of_another_ward_is_not_found(police, khom, other_khom):
    from tests.factories.imports import xlsx

    PersonFactory(khom=other_khom, cccd=None)
    extra = KhomFactory(ward=other_khom.ward)
    PersonFactory(khom=extra)  # number 2 exists only in the other ward
    data = xlsx(["Số hồ sơ", "Ngày xét nghiệm", "Kết quả"], [[2, "01/02/2026", "Âm tính"]])
    outcome = run_import(kind="tests", data=data, file_name="xn.xlsx", user=police, dry_run=False)
    assert not outcome.ok
    assert any("hồ sơ số 2" in problem.message for problem in outcome.errors)
