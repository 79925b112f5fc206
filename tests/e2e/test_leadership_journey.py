"""Ward leadership approves a khóm assessment, submits the quarterly report and downloads its Excel."""
import datetime as dt
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.criteria import services as criteria_services
from apps.criteria.choices import CriteriaScope
from apps.criteria.models import Assessment, CriteriaSet
from apps.khom.models import Khom, Ward
from apps.reports.models import Report
from tests.e2e.a11y import expect_accessible
from tests.e2e.helpers import free_quarter, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_leadership_approves_the_khom_assessment_the_police_submitted(page, live_server):
    today = dt.date.today()
    police = User.objects.get(username="congan")
    khom = Khom.objects.get(code="K09")
    assessment = criteria_services.assessment_create(
        user=police,
        data={"year": today.year, "khom": khom,
              "criteria_set": CriteriaSet.objects.current(CriteriaScope.KHOM, today.year)})
    manual = assessment.items.get(criterion__kind="manual")
    criteria_services.assessment_item_update(user=police, item=manual,
                                             data={"passed": True, "note": "Tổ tự quản hoạt động đều."})
    assessment.refresh_from_db()
    criteria_services.assessment_submit(user=police, assessment=assessment, expected_version=assessment.version)
    log_in(page, "lanhdao")

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tiêu chí").click()
    page.get_by_role("row").filter(has_text=str(today.year)).get_by_role("link", name=khom.name).click()
    expect(page).to_have_url(re.compile(rf"/criteria/{assessment.pk}/$"))

    decision = page.get_by_role("region", name="Phê duyệt hoặc trả lại")
    decision.get_by_label("Phê duyệt").check()
    decision.get_by_label("Ý kiến").fill("Đồng ý kết quả tự đánh giá của khóm.")
    decision.get_by_role("button", name="Ghi quyết định").click()

    expect(page.get_by_role("alert")).to_contain_text("Đã phê duyệt bản đánh giá.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã phê duyệt")
    expect(page.locator("main dl")).to_contain_text("Đồng ý kết quả tự đánh giá của khóm.")
    expect_accessible(page)  # the decided assessment
    assessment.refresh_from_db()
    assert (assessment.status, assessment.decided_by.username) == ("approved", "lanhdao")


def test_leadership_submits_the_quarterly_report_and_the_excel_opens_with_its_figures(page, live_server, tmp_path):
    ward = Ward.objects.get(code="30301")
    period = free_quarter(ward)
    start = period.start
    roman, year = ["I", "II", "III", "IV"][period.number - 1], period.first_month.year
    log_in(page, "lanhdao")

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Báo cáo").click()
    page.get_by_role("link", name="Lập báo cáo mới").click()
    # The form proposes the ward and a period, each named with its days (cut on the 15th); the leader picks
    # the quarter still unreported. The due dates are not the ward's: there is no field for them.
    expect(page.get_by_label("Phường")).to_have_value(str(ward.pk))
    expect(page.get_by_label("Hạn nộp")).to_have_count(0)
    page.get_by_label("Kỳ báo cáo").select_option(label=period.label)
    page.get_by_label("Đánh giá chung").fill("Tình hình ma túy trên địa bàn được kiềm chế; 4 khóm giữ vững không ma túy.")
    page.get_by_label("Họ tên người ký").fill("Nguyễn Thành Đạt")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Quý {roman}/{year}")
    expect(page.locator("main")).to_contain_text("Bản nháp")
    page.get_by_role("button", name="Nộp báo cáo (chốt số liệu)").click()

    expect(page.locator("main header .badge")).to_have_text("Đã nộp")
    report = Report.objects.get(ward=ward, period_kind="quarter", period_start=start)
    assert report.status == "submitted" and report.submitted_by.username == "lanhdao"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải Excel gửi tỉnh").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    workbook = openpyxl.load_workbook(path, read_only=True)
    text = "\n".join(str(value) for sheet in workbook.worksheets
                     for row in sheet.iter_rows(values_only=True) for value in row if value is not None)
    assert "MỸ THỚI" in text.upper()
    assert f"{roman}/{year}" in text or f"Quý {roman}" in text
    assert "Nguyễn Thành Đạt" in text
