"""Accessibility of the main pages of every role, judged by axe-core; keyboard order and reflow by our own code."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.cases.models import Case, Hotspot
from apps.criteria.models import Assessment
from apps.khom.models import Khom, Ward
from apps.reports.models import Report, ReportingRound
from apps.reports.services import report_create, report_submit
from apps.subjects.models import Person
from tests.e2e.a11y import axe_version, axe_violations, expect_accessible, reflow, sideways_scroll, tab_order
from tests.e2e.helpers import free_quarter, log_in, open_status
from tests.e2e.language import english_words

pytestmark = [pytest.mark.e2e]
db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def main_pages():
    """(username, paths) of the pages each role uses, on the demo data; None is the anonymous visitor."""
    person = Person.objects.filter(khom__code="K01").order_by("pk").first()
    khom = Khom.objects.get(code="K01")
    assessment = Assessment.objects.filter(khom__code="K01").order_by("-year").first()
    draft = Report.objects.filter(status="draft", ward__code="30301").order_by("-period_start").first()
    sent = Report.objects.filter(ward__code="30301").exclude(status="draft").order_by("-period_start").first()
    round_ = ReportingRound.objects.order_by("-period_start").first()
    pending = Report.objects.filter(round=round_, status="submitted").order_by("pk").first()
    case = Case.objects.order_by("pk").first()
    hotspot = Hotspot.objects.order_by("pk").first()
    police = User.objects.get(username="congan")
    assert all([person, assessment, draft, sent, case, hotspot, round_, pending]), "the demo data has one of each"
    return [
        (None, ["/accounts/login/"]),
        ("congan", ["/", "/subjects/", "/subjects/?q=nguyen", f"/subjects/{person.pk}/", "/subjects/new/",
                    f"/subjects/{person.pk}/edit/", f"/subjects/{person.pk}/tests/new/",
                    f"/subjects/{person.pk}/episodes/new/", f"/subjects/{person.pk}/moves/new/",
                    f"/subjects/{person.pk}/support/new/", "/subjects/deadlines/", "/khom/", f"/khom/{khom.pk}/",
                    "/cases/", f"/cases/{case.pk}/", "/cases/new/", f"/cases/{case.pk}/edit/", "/cases/hotspots/",
                    f"/cases/hotspots/{hotspot.pk}/", "/cases/hotspots/new/", "/activities/", "/activities/new/",
                    "/activities/commitments/", "/activities/commitments/new/", "/activities/reintegration/",
                    "/activities/reintegration/new/", "/criteria/", "/criteria/new/", "/criteria/roadmap/",
                    f"/criteria/{assessment.pk}/", "/reports/", "/reports/new/", f"/reports/{draft.pk}/", "/imports/",
                    "/notifications/"]),
        ("lanhdao", ["/", "/subjects/", f"/khom/{khom.pk}/", f"/criteria/{assessment.pk}/", "/reports/new/",
                     f"/reports/{draft.pk}/", f"/reports/{draft.pk}/edit/", f"/reports/{sent.pk}/", "/audit/",
                     "/notifications/"]),
        ("khom01", ["/", "/subjects/", f"/subjects/{person.pk}/", "/khom/", f"/khom/{khom.pk}/", "/criteria/",
                    f"/criteria/{assessment.pk}/", "/activities/", "/activities/new/", "/activities/commitments/new/"]),
        ("tinh", ["/", "/khom/", "/reports/", f"/reports/{sent.pk}/", "/criteria/roadmap/", "/criteria/province/",
                  f"/criteria/classification/{khom.ward_id}/", "/criteria/province/?year=2025"]),
        ("pc04", ["/", "/reports/rounds/", "/reports/rounds/new/", f"/reports/rounds/{round_.pk}/",
                  f"/reports/{pending.pk}/"]),
        ("ubndtinh", ["/criteria/province/?year=2025", "/criteria/self-assessments/"]),
        ("admin", ["/", "/imports/", "/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{police.pk}/change/",
                   "/admin/subjects/person/", "/admin/subjects/episodekind/add/", "/admin/core/auditevent/"]),
    ]


def walk_main_pages(page, check) -> list[str]:
    """Log in as each role in turn, open each of its main pages and collect what *check* finds there."""
    problems = []
    for username, paths in main_pages():
        page.context.clear_cookies()  # a fresh session for each role
        if username:
            log_in(page, username)
        for path in paths:
            assert open_status(page, path) == 200, f"{username} {path}"
            problems += check(page)
    return problems


def test_the_language_check_finds_an_english_word_a_raw_value_and_a_page_not_in_vietnamese(blank_page):
    blank_page.set_content('<html lang="vi"><head><title>Trang</title></head><body><main><h1>Danh sách</h1>'
                           '<p>Họ tên (descending)</p><p>Đã nộp: None</p><input placeholder="Search"></main></body></html>')
    assert [line.split(": ")[-1] for line in english_words(blank_page)] == ["None", "Search", "descending"]

    blank_page.set_content('<html lang="vi"><head><title>Trang</title></head><body><main><h1>Số liệu tháng 11, '
                           'quý IV, năm 2026 — Trang 2/5</h1></main></body></html>')
    assert english_words(blank_page) == []
    blank_page.set_content('<html lang="en"><head><title>Page</title></head><body></body></html>')
    assert english_words(blank_page)[0].endswith("the page is not in Vietnamese")


def test_axe_finds_a_missing_label_a_nameless_button_a_skipped_heading_and_faint_text(blank_page):
    blank_page.set_content("""<html><head><title>t</title></head><body><main>
        <h1>Trang</h1><h3>Nhảy cấp</h3>
        <input id="a" name="a"><label for="b">Có nhãn</label><input id="b">
        <button></button><p style="color:#aaa">Chữ mờ</p><p style="color:#595959">Chữ đủ đậm</p>
        </main></body></html>""")

    problems = "\n".join(axe_violations(blank_page))

    assert "label (critical)" in problems and "#a" in problems and "#b " not in problems
    assert "button-name (critical)" in problems
    assert "html-has-lang (serious)" in problems
    assert "heading-order (moderate)" in problems
    assert "color-contrast (serious)" in problems and "Chữ mờ" in problems and "Chữ đủ đậm" not in problems
    assert "https://dequeuniversity.com/rules/axe/" in problems  # each rule with its help URL

    blank_page.set_content('<html lang="vi"><head><title>t</title></head><body><main><h1>Trang</h1></main></body></html>')
    assert axe_violations(blank_page) == []


def test_the_reflow_check_finds_a_page_wider_than_the_window(blank_page):
    blank_page.set_viewport_size({"width": 1280, "height": 900})
    blank_page.set_content('<html lang="vi"><body><div style="width:2000px">Rộng</div></body></html>')
    assert sideways_scroll(blank_page) != []
    blank_page.set_content('<html lang="vi"><body><div style="width:600px">Vừa 1280, rộng ở 320</div></body></html>')
    assert sideways_scroll(blank_page) == []
    assert [p for p in reflow(blank_page) if "in a 320 px window" in p] != []
    assert blank_page.viewport_size["width"] == 1280  # the window is given back as it was
    blank_page.set_content('<html lang="vi"><body><div style="width:200px">Hẹp</div></body></html>')
    assert reflow(blank_page) == []


@db
def test_axe_runs_under_the_pages_own_content_security_policy_and_sees_what_is_wrong_there(page, live_server):
    response = page.goto("/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe" not in response.headers["content-security-policy"]
    assert axe_version(page).startswith("4.")
    assert axe_violations(page) == []

    # The same page with its labels taken away: axe, injected under the policy, names both fields.
    page.evaluate("() => document.querySelectorAll('label').forEach((label) => label.remove())")
    problems = "\n".join(axe_violations(page))

    assert "label (critical)" in problems
    assert "#id_username" in problems and "#id_password" in problems
    # The page fixture then checks that nothing, axe included, broke the policy.


@db
def test_every_main_page_of_every_role_passes_axe_reflows_at_320_px_and_shows_no_english(page, live_server):
    problems = walk_main_pages(page, lambda tab: axe_violations(tab) + reflow(tab) + english_words(tab))

    assert problems == [], "\n".join(problems)


@db
def test_a_submitted_report_page_passes_axe(page, live_server):
    # A report sent and still open to corrections, whatever today's date does to the demo's reports.
    leader, ward = User.objects.get(username="lanhdao"), Ward.objects.get(code="30301")
    period = free_quarter(ward)
    report = report_create(user=leader, data={"ward": ward, "period_kind": "quarter", "period_start": period.start})
    # Still open to the ward's corrections whatever today is (the dates are set here, not by the ward).
    Report.objects.filter(pk=report.pk).update(due_on=dt.date.today(),
                                               editable_until=dt.date.today() + dt.timedelta(days=30))
    report.refresh_from_db()
    submitted = report_submit(user=leader, report=report)
    log_in(page, "lanhdao", start=f"/reports/{submitted.pk}/")

    expect(page.get_by_role("button", name="Trả lại để sửa")).to_be_visible()
    expect_accessible(page)


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
    for _ in range(14):
        page.keyboard.press("Tab")
        fields.append(page.evaluate("() => document.activeElement.name || document.activeElement.innerText.trim()"))

    assert fields == ["full_name", "gender", "date_of_birth", "cccd", "khom", "address", "phone", "occupation",
                      "ethnicity", "education", "stable_residence", "prior_criminal", "prior_administrative",
                      "notes", "Lưu"]
