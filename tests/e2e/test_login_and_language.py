"""Logging in, logging out and switching the interface language, as a person does it."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import expect_accessible
from tests.e2e.helpers import LOGIN_URL, log_in, log_out, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_visitor_is_sent_to_the_login_page_is_refused_a_wrong_password_logs_in_and_out(page, live_server):
    page.goto("/subjects/")
    expect(page).to_have_url(LOGIN_URL)

    # A wrong password: a Vietnamese error, the username kept, still on the login page.
    page.get_by_label("Tên đăng nhập").fill("congan")
    page.get_by_label("Mật khẩu").fill("not-the-password")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(LOGIN_URL)
    expect(page.get_by_role("alert")).to_contain_text("mật khẩu")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("congan")
    expect_accessible(page)  # the error is announced and the form still labelled

    log_in(page, "congan", start="/subjects/")
    expect(page).to_have_url(re.compile(r"/subjects/$"))
    page.get_by_role("link", name="myhoi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng quan chương trình phường không ma túy 2025–2030")
    expect(page.get_by_role("navigation", name="Điều hướng chính")).to_contain_text("Lê Hoàng Phúc")

    log_out(page)
    page.goto("/")
    expect(page).to_have_url(LOGIN_URL)


def test_the_interface_switches_from_vietnamese_to_english_and_back(page, live_server):
    log_in(page, "lanhdao")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Tổng quan chương trình phường không ma túy 2025–2030")

    switch_language(page, "en")
    expect(heading).not_to_have_text("Tổng quan chương trình phường không ma túy 2025–2030")
    expect(heading).to_contain_text(re.compile("drug-free", re.IGNORECASE))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect_accessible(page)  # lang="en" and the English labels

    # The choice is kept for the next page, not only for the one the button was on.
    page.goto("/khom/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    switch_language(page, "vi")
    page.goto("/")
    expect(heading).to_have_text("Tổng quan chương trình phường không ma túy 2025–2030")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
