"""A police officer registers a person, records a positive test and opens a management episode."""
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from apps.core.models import AuditEvent
from apps.core.workdays import add_working_days
from apps.khom.models import Khom
from apps.subjects.models import Person
from tests.e2e.a11y import expect_accessible
from tests.e2e.helpers import log_in, open_status
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAME = "Nguyễn Hữu Đức Thắng"
CCCD = "089090012345"  # An Giang, man born in the 20th century, 1990


def test_police_registers_a_person_records_a_positive_test_and_opens_a_management_episode(page, live_server):
    today = dt.date.today()
    log_in(page, "congan", start="/subjects/new/")

    # A CCCD that contradicts the birth year: refused in Vietnamese, nothing typed is lost.
    page.get_by_label("Họ và tên").fill(NAME)
    page.get_by_label("Giới tính").select_option(label="Nam")
    page.get_by_label("Ngày sinh").fill("17/05/1991")
    page.get_by_label("Số CCCD").fill(CCCD)
    page.get_by_label("Khóm").select_option(label="Khóm Thới An")
    page.get_by_label("Địa chỉ").fill("12 đường Nguyễn Trãi")
    page.get_by_role("button", name="Lưu").click()

    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    expect(page.get_by_label("Họ và tên")).to_have_value(NAME)
    expect(page.get_by_label("Địa chỉ")).to_have_value("12 đường Nguyễn Trãi")
    assert not Person.objects.filter(full_name=NAME).exists()
    expect_accessible(page)  # the form with its errors

    page.get_by_label("Ngày sinh").fill("17/05/1990")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(NAME)
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu.")
    expect(page.locator("main dl")).to_contain_text(CCCD)
    expect(page.locator("main dl")).to_contain_text("17/05/1990")
    expect_accessible(page)  # the new record with its confirmation
    person = Person.objects.get(full_name=NAME)

    page.get_by_role("link", name="Ghi xét nghiệm").click()
    page.get_by_label("Ngày xét nghiệm").fill(f"{today:%d/%m/%Y}")
    page.get_by_label("Mẫu xét nghiệm").select_option(label="Nước tiểu")
    page.get_by_label("Kết quả").select_option(label="Dương tính")
    page.get_by_label("Chất phát hiện").fill("Methamphetamine")
    page.get_by_role("button", name="Lưu").click()

    expect(page).to_have_url(re.compile(rf"/subjects/{person.pk}/$"))
    timeline = page.get_by_role("table").first  # episodes, tests, moves and support, newest first
    expect(timeline).to_contain_text("Dương tính")

    # Within 3 working days of the positive test the chairman must sign a decision.
    page.get_by_role("link", name="Việc cần làm").click()
    row = page.get_by_role("row").filter(has_text=NAME)
    expect(row).to_contain_text("Cần ra quyết định quản lý sau khi dương tính")
    expect(row).to_contain_text(f"{add_working_days(today, 3):%d/%m/%Y}")

    row.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="Mở đợt quản lý").click()
    page.get_by_label("Loại").select_option(label="Quản lý người sử dụng trái phép chất ma túy")
    page.get_by_label("Số quyết định").fill("15/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill(f"{today:%d/%m/%Y}")
    page.get_by_label("Người ký").fill("Chủ tịch UBND phường")
    page.get_by_label("Ngày bắt đầu").fill(f"{today:%d/%m/%Y}")
    page.get_by_role("button", name="Lưu").click()

    expect(page).to_have_url(re.compile(rf"/subjects/{person.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quản lý người sử dụng trái phép chất ma túy")
    expect(timeline).to_contain_text("15/QĐ-UBND")
    expect(timeline).to_contain_text("Đang mở")

    # The decision is signed: the deadline leaves the to-do list.
    page.get_by_role("link", name="Việc cần làm").click()
    expect(page.get_by_role("row").filter(has_text="Cần ra quyết định").filter(has_text=NAME)).to_have_count(0)

    # Every page view of the record and every change was written to the audit log.
    events = AuditEvent.objects.filter(object_type="subjects.person", object_id=str(person.pk))
    assert events.filter(action="view").exists()
    assert events.filter(action="create").exists()


def test_a_search_without_diacritics_finds_a_person_written_with_them_and_other_wards_stay_out_of_reach(
        page, live_server):
    khom = Khom.objects.get(code="K05")
    PersonFactory(full_name=NAME, khom=khom)
    PersonFactory(full_name="Trần Thị Mỹ Lệ", khom=khom)
    stranger = PersonFactory(full_name="Nguyễn Hữu Đức Thắng Khác",
                             khom=KhomFactory(ward=WardFactory(code="XX", name="Phường Khác")))
    log_in(page, "congan", start="/subjects/")

    page.get_by_label("Tìm theo tên hoặc CCCD").fill("nguyen huu duc thang")
    page.get_by_label("Tìm theo tên hoặc CCCD").press("Enter")

    expect(page).to_have_url(re.compile(r"q=nguyen"))
    results = page.locator("main table tbody")
    expect(results).to_contain_text(NAME)
    expect(results).not_to_contain_text("Trần Thị Mỹ Lệ")
    expect(results).not_to_contain_text(stranger.full_name)  # same words, another ward: not in this officer's scope

    assert open_status(page, f"/subjects/{stranger.pk}/") == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang hoặc hồ sơ")
    expect_accessible(page)
