"""The provincial workbooks, opened with openpyxl: sheets, figures equal to the registry, no personal names."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import AuditEvent
from apps.core.periods import Period
from apps.indicators import registry
from apps.reports import services
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.reports import ReportFactory
from tests.factories.subjects import EpisodeFactory, PersonFactory

from .conftest import PERSON_NAMES

SHEETS = ["Tổng hợp", "Theo khóm", "Đối tượng", "Vụ việc", "Hoạt động", "Lộ trình", "Phân loại"]
Q1_2026 = Period.quarter(2026, 1)


def open_workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def find_row(sheet, label):
    for row in rows_of(sheet):
        if row and row[0] == label:
            return row
    raise AssertionError(f"no row {label!r} in {sheet.title}")


def all_text(book):
    return "\n".join(str(value) for sheet in book.worksheets for row in rows_of(sheet) for value in row if value is not None)


@pytest.fixture
def submitted(leader, report, known_data):
    services.report_submit(user=leader, report=report)
    report.refresh_from_db()
    return report


def test_the_workbook_has_the_seven_provincial_sheets(client_for, leader, submitted):
    book = open_workbook(client_for(leader).get(reverse("reports:export", args=[submitted.pk])))
    assert book.sheetnames == SHEETS


def test_summary_figures_equal_the_registry_values_and_are_numbers(client_for, leader, ward, submitted):
    book = open_workbook(client_for(leader).get(reverse("reports:export", args=[submitted.pk])))
    codes = ["persons_managed", "positive_tests", "drug_tests", "cases_detected", "propaganda_sessions",
             "users_addicts_percent"]
    expected = registry.evaluate(codes, [ward], Q1_2026)[f"ward:{ward.pk}"]
    previous = registry.evaluate(codes, [ward], Period.quarter(2025, 4))[f"ward:{ward.pk}"]
    for code in codes:
        row = find_row(book["Tổng hợp"], str(registry.get(code).label))
        assert row[2] == expected[code], code
        assert row[3] == previous[code], code
        assert isinstance(row[2], (int, float))
    assert find_row(book["Tổng hợp"], "Lượt xét nghiệm ma túy")[2:5] == [3, 1, 2]  # 3 this quarter, 1 before, +2


def test_per_khom_sheet_has_one_row_per_khom_with_registry_values(client_for, leader, ward, khom, khom2, submitted):
    book = open_workbook(client_for(leader).get(reverse("reports:export", args=[submitted.pk])))
    sheet = book["Theo khóm"]
    header = next(row for row in rows_of(sheet) if row[0] == "Mã khóm")
    column = header.index(str(registry.get("persons_managed").label))
    per_khom = registry.evaluate(["persons_managed"], registry.KhomsOf([ward]), Q1_2026)
    assert find_row(sheet, khom.code)[column] == per_khom[f"khom:{khom.pk}"]["persons_managed"] == 2
    assert find_row(sheet, khom2.code)[column] == per_khom[f"khom:{khom2.pk}"]["persons_managed"] == 1


def test_people_sheet_breaks_down_by_status_sex_and_age(client_for, leader, submitted):
    book = open_workbook(client_for(leader).get(reverse("reports:export", args=[submitted.pk])))
    sheet = book["Đối tượng"]
    header = next(row for row in rows_of(sheet) if row[0] == "Tình trạng")
    total = find_row(sheet, "Tổng cộng")
    assert total[header.index("Tổng cộng")] == 3
    assert total[header.index("Nam · Dưới 18 tuổi")] == 1
    assert total[header.index("Nam · Từ 18 đến 30 tuổi")] == 1
    assert total[header.index("Nữ · Từ 31 đến 45 tuổi")] == 1  # 45 on 31/03/2026
    assert total[header.index("Nữ · Trên 45 tuổi")] == 0


def test_sheets_carry_ward_period_date_frozen_headers_and_a_signature(client_for, leader, ward, submitted):
    book = open_workbook(client_for(leader).get(reverse("reports:export", args=[submitted.pk])))
    summary = book["Tổng hợp"]
    text = all_text(book)
    assert ward.name.upper() in text and "Quý I/2026" in text and "01/01/2026" in text and "31/03/2026" in text
    assert "NGƯỜI LẬP BIỂU" in text and "CHỦ TỊCH" in text and submitted.signer_name in text
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None, sheet.title
    assert summary.column_dimensions["A"].width > 20


def test_user_text_never_becomes_a_formula(client_for, leader, ward, khom):
    khom.name = "=HYPERLINK(\"http://x\")"
    khom.save()
    report = ReportFactory(ward=ward)
    book = open_workbook(client_for(leader).get(reverse("reports:export", args=[report.pk])))
    row = find_row(book["Theo khóm"], khom.code)
    assert row[1] == khom.name
    assert book["Theo khóm"].cell(row=1, column=1).data_type == "s"


def test_the_workbook_of_a_submitted_report_ignores_later_changes(client_for, leader, khom, submitted):
    before = rows_of(open_workbook(client_for(leader).get(reverse("reports:export", args=[submitted.pk])))["Tổng hợp"])
    for _ in range(4):
        EpisodeFactory(person=PersonFactory(khom=khom), started_on=dt.date(2026, 2, 1))
    after = rows_of(open_workbook(client_for(leader).get(reverse("reports:export", args=[submitted.pk])))["Tổng hợp"])
    assert after == before


def test_exports_are_audited_with_their_row_count(client_for, leader, submitted):
    client_for(leader).get(reverse("reports:export", args=[submitted.pk]))
    event = AuditEvent.objects.get(action="export", object_id=str(submitted.pk))
    assert event.extra["rows"] > 10 and event.extra["frozen"] is True


def test_no_person_name_in_the_workbook_the_province_downloads(client_for, province, submitted):
    book = open_workbook(client_for(province).get(reverse("reports:export", args=[submitted.pk])))
    text = all_text(book)
    for name in PERSON_NAMES:
        assert name not in text


# ---------------------------------------------------------------- province workbook
def province_url(kind="quarter", start="01/01/2026"):
    return reverse("reports:province_export") + f"?kind={kind}&start={start}"


def test_the_province_workbook_has_one_row_per_ward_with_frozen_figures(client_for, province, ward, other_ward,
                                                                       submitted):
    book = open_workbook(client_for(province).get(province_url()))
    sheet = book["Tổng hợp"]
    header = next(row for row in rows_of(sheet) if row[0] == "Mã phường")
    row_a, row_b = find_row(sheet, ward.code), find_row(sheet, other_ward.code)
    persons = header.index(str(registry.get("persons_managed").label))
    assert row_a[persons] == submitted.snapshot["values"]["persons_managed"] == 3
    assert row_a[2] == "Đã nộp"
    assert row_b[2] == "Chưa nộp" and len([v for v in row_b if v is not None]) == 3
    assert all_text(book).count("\n") >= 5
    for name in PERSON_NAMES:
        assert name not in all_text(book)
    event = AuditEvent.objects.get(action="export", object_type="reports.province")
    assert event.extra["rows"] == 2 and event.username == province.username


def test_the_province_workbook_of_ward_staff_covers_their_ward_only(client_for, leader, ward, other_ward, submitted):
    book = open_workbook(client_for(leader).get(province_url()))
    codes = [row[0] for row in rows_of(book["Tổng hợp"])]
    assert ward.code in codes and other_ward.code not in codes


def test_the_province_workbook_refuses_a_period_that_is_not_a_calendar_period(client_for, province, db):
    response = client_for(province).get(province_url(start="15/01/2026"))
    assert response.status_code == 400
    assert "Ngày đầu kỳ phải là ngày đầu tiên" in response.content.decode()


def test_the_province_workbook_issues_the_same_number_of_queries_at_two_sizes(client_for, province, leader,
                                                                             count_queries):
    def add(count):
        for _ in range(count):
            ward = WardFactory()
            PersonFactory(khom=KhomFactory(ward=ward))
            services.report_submit(user=leader, report=ReportFactory(ward=ward))

    client = client_for(province)
    leader.wards.set([])  # the leader submits as a service caller; scope is not checked on submit
    add(2)
    small = count_queries(lambda: b"".join(client.get(province_url()).streaming_content))
    add(6)
    large = count_queries(lambda: b"".join(client.get(province_url()).streaming_content))
    assert small == large


def test_the_report_workbook_issues_the_same_number_of_queries_at_two_sizes(client_for, leader, ward, report,
                                                                           count_queries):
    client = client_for(leader)
    export = reverse("reports:export", args=[report.pk])
    KhomFactory(ward=ward)  # with no khóm at all the per-khóm queries are skipped
    small = count_queries(lambda: b"".join(client.get(export).streaming_content))
    for _ in range(5):
        other = KhomFactory(ward=ward)
        EpisodeFactory(person=PersonFactory(khom=other), started_on=dt.date(2026, 1, 3))
    large = count_queries(lambda: b"".join(client.get(export).streaming_content))
    assert small == large
