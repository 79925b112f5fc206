"""In the browser: the case form's person picker used with the keyboard only (scoped search, CSP-clean), and a
person's record as printed (agency header, restricted marking, who printed it)."""
import re

import pytest
from playwright.sync_api import expect

from apps.khom.models import Khom
from apps.subjects.models import Person
from tests.e2e.a11y import expect_accessible
from tests.e2e.helpers import log_in
from tests.factories.khom import KhomFactory, WardFactory
from tests.factories.subjects import PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_participant_picker_searches_in_scope_and_is_used_with_the_keyboard(page):
    ward_khom = Khom.objects.filter(ward__name="Mỹ Thới").first()
    mine = PersonFactory(khom=ward_khom, full_name="Đặng Văn Chọnđược")
    elsewhere = KhomFactory(ward=WardFactory(name="Phường Khác"))
    PersonFactory(khom=elsewhere, full_name="Đặng Văn Chọnkhông")
    log_in(page, "congan", start="/cases/new/")
    # Typed before Tom Select has taken over the <select>, the keys go to the native list (seen once in a
    # full run on a loaded machine): wait for the picker to be ready, as a user waits for the page.
    expect(page.locator("select[name='people-0-person'].tomselected")).to_have_count(1)

    picker = page.get_by_role("combobox", name="Đối tượng trong danh sách").first
    picker.focus()
    page.keyboard.type("dang van chon")
    dropdown = page.locator(".ts-dropdown").first
    options = dropdown.locator(".option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Đặng Văn Chọnđược")
    expect(dropdown).not_to_contain_text("Chọnkhông")
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_class(re.compile(r"\bactive\b"))
    page.keyboard.press("Enter")
    values = page.eval_on_selector_all("select.js-person-autocomplete", "els => els.map(e => [e.name, e.value])")
    assert [str(mine.pk)] == [value for _name, value in values if value], values
    expect_accessible(page)

    # A row added with "Thêm dòng" gets its picker too.
    page.get_by_role("button", name="Thêm dòng").last.click()
    expect(page.locator("select[name='people-1-person'].tomselected")).to_have_count(1)


def test_a_printed_record_has_the_agency_header_the_marking_and_who_printed_it(page):
    person = Person.objects.filter(khom__ward__name="Mỹ Thới").order_by("pk").first()
    log_in(page, "congan", start=person.get_absolute_url())
    marking, printed_by = page.locator(".record-marking"), page.locator(".record-printed-by")
    expect(marking).to_be_hidden()  # on screen: no print header
    expect(page.get_by_role("button", name="In hồ sơ")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".record-letterhead")).to_contain_text("UBND PHƯỜNG MỸ THỚI")
    expect(page.locator(".record-letterhead")).to_be_visible()
    expect(marking).to_be_visible()
    expect(marking).to_contain_text("TÀI LIỆU HẠN CHẾ")
    expect(printed_by).to_be_visible()
    expect(printed_by).to_contain_text("In bởi Thiếu tá Lê Hoàng Phúc (congan) lúc")
    expect(page.get_by_text("Số hồ sơ", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="In hồ sơ")).to_be_hidden()
    page.pdf(path="/tmp/h19-record.pdf", format="A4")

