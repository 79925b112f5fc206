"""Accessibility basics on the main pages of every role: labels, names, headings, contrast, keyboard order."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.cases.models import Case
from apps.criteria.models import Assessment
from apps.khom.models import Ward
from apps.reports.models import Report
from apps.reports.services import report_create, report_submit
from apps.subjects.models import Person
from tests.e2e.a11y import audit_page, contrast_ratio, sideways_scroll, tab_order
from tests.e2e.helpers import free_quarter, log_in, log_out, open_status

pytestmark = [pytest.mark.e2e]
db = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The navigation bar is checked on its own below (see test_the_navigation_bar_text_has_enough_contrast).
NAVBAR = "nav.navbar"


def main_pages():
    """(username, paths) of the pages each role uses most, on the demo data."""
    person = Person.objects.filter(khom__code="K01").order_by("pk").first()
    assessment = Assessment.objects.filter(khom__code="K01").order_by("-year").first()
    report = Report.objects.filter(status="draft").order_by("-period_start").first()
    case = Case.objects.order_by("pk").first()
    return [
        ("congan", ["/", "/subjects/", f"/subjects/{person.pk}/", "/subjects/new/", f"/subjects/{person.pk}/edit/",
                    f"/subjects/{person.pk}/tests/new/", f"/subjects/{person.pk}/episodes/new/",
                    "/subjects/deadlines/", "/khom/", "/cases/", f"/cases/{case.pk}/", "/cases/new/", "/activities/", "/activities/new/",
                    "/criteria/", "/criteria/roadmap/", "/reports/", "/reports/new/"]),
        ("lanhdao", ["/", f"/criteria/{assessment.pk}/", f"/reports/{report.pk}/", "/audit/"]),
        ("khom01", ["/", "/subjects/", f"/subjects/{person.pk}/", f"/criteria/{assessment.pk}/", "/activities/new/"]),
        ("tinh", ["/", "/reports/", "/criteria/roadmap/"]),
    ]


def test_the_checks_find_a_missing_label_a_nameless_button_a_skipped_heading_faint_text_and_a_wide_page(blank_page):
    blank_page.set_content("""<html><head><title>t</title></head><body>
        <h1>Trang</h1><h3>Nhảy cấp</h3>
        <input id="a" name="a"><label for="b">Có nhãn</label><input id="b">
        <button></button><p style="color:#aaa">Chữ mờ</p><p style="color:#595959">Chữ đủ đậm</p>
        </body></html>""")

    problems = audit_page(blank_page)

    assert any("form field input#a[name=a] has no label" in p for p in problems)
    assert not any("input#b" in p for p in problems)
    assert any("button has no accessible name" in p for p in problems)
    assert any("jumps from h1 to h3" in p for p in problems)
    assert any("<html> has no lang" in p for p in problems)
    assert any("'Chữ mờ'" in p and "needs 4.5:1" in p for p in problems)
    assert not any("Chữ đủ đậm" in p for p in problems)

    blank_page.set_content('<html lang="vi"><body><div style="width:2000px">Rộng</div></body></html>')
    assert sideways_scroll(blank_page) != []
    blank_page.set_content('<html lang="vi"><body><div style="width:200px">Hẹp</div></body></html>')
    assert sideways_scroll(blank_page) == []


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast_ratio("rgb(0, 0, 0)", ["rgb(255, 255, 255)"]) == pytest.approx(21.0)
    assert contrast_ratio("rgb(255, 255, 255)", ["rgb(13, 110, 253)"]) == pytest.approx(4.5, abs=0.02)
    # Half-transparent white over Bootstrap's primary blue: blended before measuring.
    assert contrast_ratio("rgba(255, 255, 255, 0.55)", ["rgba(0, 0, 0, 0)", "rgb(13, 110, 253)"]) < 3


def walk_main_pages(page, check) -> list[str]:
    """Log in as each role in turn, open each of its main pages and collect what *check* finds there."""
    problems = []
    for username, paths in main_pages():
        log_in(page, username)
        for path in paths:
            assert open_status(page, path) == 200, f"{username} {path}"
            problems += check(page)
        log_out(page)
    return problems


@db
def test_the_main_pages_of_every_role_have_labels_names_headings_and_readable_text(page, live_server):
    page.goto("/accounts/login/")
    problems = audit_page(page, skip_contrast=NAVBAR)
    problems += walk_main_pages(page, lambda tab: audit_page(tab, skip_contrast=NAVBAR))

    assert problems == [], "\n".join(problems)


@db
def test_the_navigation_bar_text_has_enough_contrast(page, live_server):
    log_in(page, "congan")

    problems = [p for p in audit_page(page) if "contrast" in p]

    assert problems == [], "\n".join(problems)


@db
def test_no_main_page_scrolls_sideways_in_a_1280_px_window(page, live_server):
    problems = walk_main_pages(page, sideways_scroll)

    assert problems == [], "\n".join(problems)


@db
def test_a_submitted_report_page_has_readable_buttons(page, live_server):
    # A report sent and still open to corrections, whatever today's date does to the demo's reports.
    leader, ward = User.objects.get(username="lanhdao"), Ward.objects.get(code="30301")
    start = free_quarter(ward)
    submitted = report_submit(user=leader, report=report_create(
        user=leader, ward=ward, period_kind="quarter", period_start=start, due_on=dt.date.today(),
        editable_until=dt.date.today() + dt.timedelta(days=30)))
    log_in(page, "lanhdao", start=f"/reports/{submitted.pk}/")

    problems = audit_page(page, skip_contrast=NAVBAR)

    assert problems == [], "\n".join(problems)


@db
def test_the_keyboard_walks_the_login_and_the_person_form_in_reading_order_with_a_visible_focus_ring(
        page, live_server):
    page.goto("/accounts/login/")

    order = tab_order(page, 7)

    assert order[0]["text"] == "Bỏ qua, đến nội dung chính"
    names = [item["name"] for item in order if item]
    assert names.index("username") < names.index("password")
    submit = next(i for i, item in enumerate(order) if item and item["text"] == "Đăng nhập")
    assert names.index("password") < submit
    assert all(item["ring"] for item in order if item), [item for item in order if item and not item["ring"]]
    # The skip link takes keyboard users past the navigation bar.
    assert tab_order(page, 1)[0]["text"] == "Bỏ qua, đến nội dung chính"
    page.keyboard.press("Enter")
    expect(page).to_have_url(page.url.split("#")[0] + "#main")

    log_in(page, "congan", start="/subjects/new/")
    page.get_by_label("Họ và tên").focus()
    fields = [page.evaluate("() => document.activeElement.name")]
    for _ in range(9):
        page.keyboard.press("Tab")
        fields.append(page.evaluate("() => document.activeElement.name || document.activeElement.innerText.trim()"))

    assert fields == ["full_name", "gender", "date_of_birth", "cccd", "khom", "address", "phone", "occupation",
                      "notes", "Lưu"]
