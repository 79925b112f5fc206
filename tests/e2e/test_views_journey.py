"""Pages you can read and click (issue 19 §6, §5): the dashboard's cards and selectors, a khóm's profile,
the audit log in words with its filters, and a navigation that fits at 1280 and 1366 px and folds below 992 px."""
import re

import pytest
from playwright.sync_api import expect

from apps.khom.models import Khom
from apps.subjects.models import Person
from tests.e2e.a11y import expect_accessible
from tests.e2e.helpers import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _count_in_heading(page) -> int:
    return int(re.search(r"\((\d+)\)", page.get_by_role("heading", level=1).inner_text()).group(1))


def test_leadership_clicks_a_card_chooses_a_khom_and_a_period(page, live_server):
    log_in(page, "lanhdao")
    card = page.locator('.figure-card[data-code="persons_managed"]')
    shown = int(card.locator(".value").inner_text().split()[0].replace(".", ""))
    expect_accessible(page)  # the dashboard with its selector and linked cards
    card.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/subjects/\?managed=managed"))
    assert _count_in_heading(page) == shown

    page.goto("/")
    khom = Khom.objects.get(code="K03")
    page.get_by_label("Địa bàn").select_option(label=khom.name)
    page.get_by_label("Kỳ số liệu").select_option(index=1)
    page.get_by_role("button", name="Xem").click()
    expect(page).to_have_url(re.compile(rf"khom={khom.pk}"))
    expect(page.get_by_label("Địa bàn")).to_have_value(str(khom.pk))
    card = page.locator('.figure-card[data-code="cases_detected"]')
    shown = int(card.locator(".value").inner_text().split()[0].replace(".", ""))
    card.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/cases/\?khom={khom.pk}&date_from="))
    assert int(re.search(r"(\d+) vụ việc", page.locator("main").inner_text()).group(1)) == shown


def test_the_province_sorts_its_table_of_wards(page, live_server):
    log_in(page, "tinh")
    table = page.locator("#area-table")
    table.get_by_role("link", name=re.compile("^Người có hồ sơ quản lý")).click()
    expect(page).to_have_url(re.compile(r"sort=-persons_managed"))
    header = page.locator("#area-table th[aria-sort]")
    expect(header).to_have_attribute("aria-sort", "descending")
    values = [int(text.replace(".", "") or 0) if text not in ("–", "") else -1
              for text in page.locator("#area-table tbody tr td:nth-child(2)").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    expect_accessible(page)


def test_a_khom_page_shows_its_profile_and_links_its_lists(page, live_server):
    khom = Khom.objects.get(code="K01")
    log_in(page, "lanhdao")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Khóm").click()
    page.get_by_role("link", name=khom.name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/khom/{khom.pk}/$"))
    expect(page.locator("#khom-head")).to_have_text(khom.head_name)
    figures = page.get_by_role("region", name="Số liệu của khóm")
    expect(figures).to_contain_text("Người có hồ sơ quản lý")
    expect(page.get_by_role("region", name=re.compile("^Tiêu chí khóm không ma túy"))).to_be_visible()
    expect(page.get_by_role("region", name="Lịch sử công nhận không ma túy")).to_be_visible()
    expect_accessible(page)
    page.get_by_role("link", name="Đối tượng của khóm").click()
    expect(page).to_have_url(re.compile(rf"/subjects/\?khom={khom.pk}$"))
    assert _count_in_heading(page) == Person.objects.filter(khom=khom).count()


def test_leadership_reads_the_audit_log_in_words_and_filters_it(page, live_server):
    person = Person.objects.filter(khom__code="K02").order_by("pk").first()
    log_in(page, "congan")
    page.goto(f"/subjects/{person.pk}/")  # a view of the record, on the log
    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, "lanhdao", start="/audit/")
    table = page.locator("#audit-events")
    expect(table).not_to_contain_text("subjects.person")
    page.get_by_label("Loại đối tượng").select_option(label="Đối tượng")
    page.get_by_label("Về đối tượng (tên hoặc CCCD)").fill(person.full_name)
    page.get_by_role("button", name="Lọc").click()
    expect(table).to_contain_text(person.full_name)
    expect(table).to_contain_text("Đối tượng")
    rows = table.locator("tbody tr")
    for index in range(rows.count()):
        expect(rows.nth(index)).to_contain_text(person.full_name)
    expect_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel").click()
    assert download.value.suggested_filename.startswith("nhat-ky-")


def test_the_navigation_fits_one_line_at_1280_and_1366_and_folds_behind_a_toggler_below_992(page, live_server):
    log_in(page, "lanhdao")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    logout = nav.get_by_role("button", name="Đăng xuất")
    for width in (1280, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        height = nav.bounding_box()["height"]
        assert height < 70, f"the navigation wraps: {height} px high at {width} px"
        assert logout.bounding_box()["height"] < 40  # "Đăng xuất" on one line
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The occasional entries wait under "Khác", reached with the keyboard as well as the mouse.
    expect(nav.get_by_role("link", name="Nhật ký")).to_be_hidden()
    more = nav.get_by_role("button", name="Khác")
    more.focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Nhật ký")).to_be_visible()
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 900, "height": 800})
    toggler = nav.get_by_role("button", name="Mở/đóng menu")
    expect(toggler).to_be_visible()
    expect(nav.get_by_role("link", name="Đối tượng")).to_be_hidden()
    toggler.click()
    expect(nav.get_by_role("link", name="Đối tượng")).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect_accessible(page)
