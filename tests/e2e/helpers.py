"""What a person does in the browser, written once for every journey."""
import datetime as dt
import re

from django.conf import settings
from playwright.sync_api import Page, expect

from apps.reports.models import Report

LOGIN_URL = re.compile(r"/accounts/login/")


def log_in(page: Page, username: str, password: str | None = None, *, start: str = "/") -> None:
    """Open *start*, get sent to the login page, and log in with the labelled fields."""
    page.goto(start)
    expect(page).to_have_url(LOGIN_URL)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password or settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(LOGIN_URL)


def log_out(page: Page) -> None:
    """Press the logout button in the navigation bar."""
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)


def open_status(page: Page, path: str) -> int:
    """Navigate to *path* and return the HTTP status the browser got."""
    response = page.goto(path)
    assert response is not None
    return response.status


def switch_language(page: Page, code: str) -> None:
    """Press the language button (VI/EN) in the navigation bar."""
    page.locator(f"button[name=language][value={code}]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def free_quarter(ward):
    """The latest completed quarter, cut as the drug reports' convention says, with no report of *ward* yet
    (the demo data already holds some): a Period, offered by the report form."""
    from apps.reports.forms import offered_periods

    for period in offered_periods():
        if period.kind == "quarter" and period.end < dt.date.today() and not Report.objects.filter(
                ward=ward, period_kind="quarter", period_start=period.start).exists():
            return period
    raise AssertionError("every quarter the form offers has a report")
