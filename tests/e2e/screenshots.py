"""Refresh the README screenshots from a running server with the demo data.

    make run                                   # in one shell: demo data on 127.0.0.1:8000
    .venv/bin/python -m tests.e2e.screenshots  # in another: writes docs/screenshots/*.png

Uses the same Debian chromium as the journeys. The people shown are the demo's
fictional ones; never point this at a server holding real records.
"""
import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("MYHOI_CHROMIUM", "/usr/bin/chromium")
MAX_HEIGHT = 1800
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def shoot(page, path, out: Path, name: str):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    # As wide as the window (nothing a reader must scroll sideways to), as tall as the page up to MAX_HEIGHT.
    width = page.viewport_size["width"]
    height = min(page.evaluate("() => document.documentElement.scrollHeight"), MAX_HEIGHT)
    page.screenshot(path=str(out / name), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
    print(f"{out / name}  ←  {page.url}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--username", default="lanhdao", help="a ward leader: sees every page shown")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "MyThoi@2025"))
    options = parser.parse_args(argv)
    options.out.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(base_url=options.base_url, locale="vi-VN",
                                      viewport={"width": 1280, "height": 800}, device_scale_factor=1)
        page = context.new_page()
        log_in(page, options.username, options.password)

        shoot(page, "/", options.out, "dashboard.png")
        # The person whose record has the most to show: the first one on the to-do list.
        page.goto("/subjects/deadlines/")
        person = page.locator("main table tbody a").first.get_attribute("href")
        shoot(page, person, options.out, "person.png")
        shoot(page, "/criteria/roadmap/", options.out, "roadmap.png")
        # The latest quarterly report already sent to the province: figures frozen, as the province reads it.
        page.goto("/reports/")
        sent = page.locator("main table tbody tr").filter(has_text="Quý").filter(has_text="Đã nộp")
        report = sent.first.locator("a").first.get_attribute("href")
        shoot(page, report, options.out, "report.png")
        browser.close()


if __name__ == "__main__":
    main()
