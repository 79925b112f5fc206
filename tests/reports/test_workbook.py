"""The provincial workbooks, opened with openpyxl: sheets, figures equal to the registry, no personal names."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.models import AuditEvent
from apps.core.periods import Period
from apps.indicators import registry
from apps.reports import services
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.reports import ReportFactory
from tests.factories.subjects import EpisodeFactory, PersonFactory

from .conftest import PERSON_NAMES

SHEETS = ["Tổng hợp", "Theo khóm", "Đối tượng", "Phân tổ", "Vụ việc", "Hoạt động", "Lộ trình", "Phân loại"]
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


def test_the_workbook_has_the_report_and_its_seven_annexes(client_for, leader, submitted):
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
    for group in ("Dưới 14 tuổi", "Từ 14 đến dưới 16 tuổi", "Từ 16 đến dưới 18 tuổi", "Từ 18 đến dưới 30 tuổi",
                  "Từ 30 tuổi trở lên"):
        assert f"{group} · Nam" in header and f"{group} · Nữ" in header
    # The first table is the four-way status split of QĐ 13/2019: all three are outside society.
    outside = find_row(sheet, "Ngoài xã hội")
    assert outside[header.index("Tổng cộng")] == 3
    for category in ("Cai nghiện bắt buộc", "Trong cơ sở khác", "Bị tạm giữ, tạm giam"):
        assert find_row(sheet, category)[header.index("Tổng cộng")] == 0
    total = find_row(sheet, "Tổng cộng")
    assert total[header.index("Tổng cộng")] == 3
    # On 31/03/2026: born 03/03/2010, 16; born 01/02/1996, 30 (since 01/02/2026); born 09/07/1980, 45.
    assert total[header.index("Từ 16 đến dưới 18 tuổi · Nam")] == 1
    assert total[header.index("Từ 30 tuổi trở lên · Nam")] == 1
    assert total[header.index("Từ 18 đến dưới 30 tuổi · Nam")] == 0
    assert total[header.index("Từ 30 tuổi trở lên · Nữ")] == 1
    assert total[header.index("Tổng · Nam")] == 2 and total[header.index("Tổng · Nữ")] == 1


def test_sheets_carry_ward_period_date_frozen_headers_and_a_signature(client_for, leader, ward, submitted):
    book = open_workbook(client_for(leader).get(reverse("reports:export", args=[submitted.pk])))
    summary = book["Tổng hợp"]
    text = all_text(book)
    assert ward.name.upper() in text and "Quý I/2026" in text and "01/01/2026" in text and "31/03/2026" in text
    assert "CHỦ TỊCH" in text and submitted.signer_name in text
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None, sheet.title
    assert summary.column_dimensions["A"].width > 20


def texts_of(sheet):
    return [str(value) for row in rows_of(sheet) for value in row if value is not None]


def test_every_sheet_carries_the_document_form_of_decree_30_2020(client_for, leader, ward, submitted):
    """The Excel must-hold of issue 16: quốc hiệu, tiêu ngữ, Số:, TM. ỦY BAN NHÂN DÂN, page setup, age groups."""
    ward.name, ward.kind = "Mỹ Thới", "phuong"
    ward.save()
    book = open_workbook(client_for(leader).get(reverse("reports:export", args=[submitted.pk])))
    for sheet in book.worksheets:
        texts = texts_of(sheet)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts, sheet.title
        assert "Độc lập - Tự do - Hạnh phúc" in texts, sheet.title
        assert texts[:4] == ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "PHƯỜNG MỸ THỚI",
                             "Độc lập - Tự do - Hạnh phúc"], sheet.title
        # Page setup: A4, one page wide, the table's header row printed on every page.
        assert sheet.page_setup.paperSize == 9, sheet.title
        # Fit to 1 page wide (XlsxWriter leaves out the width when it is 1, the default), any number tall.
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0, sheet.title
        assert sheet.print_title_rows, sheet.title
    summary = texts_of(book["Tổng hợp"])
    submitted_on = timezone.localdate(submitted.submitted_at)
    month = f"{submitted_on.month:02d}" if submitted_on.month < 3 else str(submitted_on.month)
    assert f"Mỹ Thới, ngày {submitted_on:%d} tháng {month} năm {submitted_on.year}" in summary
    assert any(text.startswith("Số:") and text.endswith("/BC-UBND") for text in summary)
    assert "BÁO CÁO" in summary and "Kết quả xây dựng phường Mỹ Thới không ma túy Quý I/2026" in summary
    assert "TM. ỦY BAN NHÂN DÂN" in summary and "Nơi nhận:" in summary and "- Lưu: VT." in summary
    assert summary.index("TM. ỦY BAN NHÂN DÂN") < summary.index("CHỦ TỊCH") < summary.index(submitted.signer_name)
    # The print titles are the header row of the sheet's table.
    header_row = int(book["Theo khóm"].print_title_rows.split(":")[0].lstrip("$"))
    assert book["Theo khóm"].cell(row=header_row, column=1).value == "Mã khóm"
    assert book["Theo khóm"].page_setup.orientation == "landscape"
    assert book["Tổng hợp"].page_setup.orientation == "portrait"
    # The five QĐ 13/2019 age groups, each by sex.
    people = " | ".join(texts_of(book["Đối tượng"]))
    for group in ("Dưới 14 tuổi", "Từ 14 đến dưới 16 tuổi", "Từ 16 đến dưới 18 tuổi", "Từ 18 đến dưới 30 tuổi",
                  "Từ 30 tuổi trở lên"):
        assert f"{group} · Nam" in people and f"{group} · Nữ" in people
    assert "PHỤ LỤC II" in people and "(Kèm theo Báo cáo số" in people


def test_the_document_form_reads_the_wards_issuer_recipients_and_the_reports_signer(client_for, leader, ward,
                                                                                     submitted):
    ward.document_issuer = "UBND TỈNH AN GIANG\nUBND PHƯỜNG MỸ THỚI"
    ward.document_place = "Mỹ Thới"
    ward.document_recipients = "- Công an tỉnh (PC04);\nBan Chỉ đạo 138 tỉnh;\n\n- Lưu: VT, CA."
    ward.save()
    type(submitted).objects.filter(pk=submitted.pk).update(signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
                                                           signer_name="Lê Văn Ký")
    book = open_workbook(client_for(leader).get(reverse("reports:export", args=[submitted.pk])))
    summary = texts_of(book["Tổng hợp"])
    assert summary[0] == "UBND TỈNH AN GIANG" and summary[2] == "UBND PHƯỜNG MỸ THỚI"
    assert ["- Công an tỉnh (PC04);", "- Ban Chỉ đạo 138 tỉnh;", "- Lưu: VT, CA."] == [
        text for text in summary if text.startswith("- ")]
    assert summary.index("TM. ỦY BAN NHÂN DÂN") < summary.index("KT. CHỦ TỊCH") < summary.index("PHÓ CHỦ TỊCH")
    assert "Lê Văn Ký" in summary


def test_the_file_name_is_vietnamese_without_english_words(client_for, leader, ward, report):
    ward.name = "Mỹ Thới"
    ward.save()
    response = client_for(leader).get(reverse("reports:export", args=[report.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-quy-I-2026-my-thoi.xlsx"'


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


@pytest.mark.parametrize("start", ["15/12/2025", "01/10/2026", "01/01/2026"])
def test_the_province_workbook_of_nine_months_answers_every_start_without_an_error(client_for, province, db, start):
    # 15/12/2025 begins "9 tháng đầu năm 2026" as the convention cuts it; 01/10/2026 begins none (400);
    # 01/01/2026 the calendar nine months of reports made before conventions.
    response = client_for(province).get(province_url(kind="nine_months", start=start))
    assert response.status_code == (400 if start == "01/10/2026" else 200)


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
