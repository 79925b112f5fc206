"""Browser journeys: Debian's chromium driven by Playwright against Django's live server.

The browser is never downloaded by Playwright: `make browser` installs Debian's
chromium with apt. Where it (or Playwright) is missing, every e2e test is skipped
with the reason printed at the end of the run, so `make test` still passes on a
machine without a browser; `make e2e` sets MYHOI_E2E_REQUIRED=1 and fails instead.
"""
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command


CHROMIUM = os.environ.get("MYHOI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the journeys run as root in CI, where chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",  # no traffic to anything but the live server
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "e2e"
DEMO_PASSWORD = settings.DEMO_PASSWORD


def browser_unavailable_reason():
    """Why the journeys cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (run `make setup`)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        return f"no browser at {CHROMIUM} (run `make browser` as root to install Debian's chromium)"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Journeys go first; pytest-django then sorts by kind of database access, keeping this
    # order within each kind. So they run before any other live-server/transactional test:
    # seeding the demo after another such test's flush has been seen to fail (the rows the
    # data migrations wrote, and role permissions, do not all come back).
    items.sort(key=lambda item: not item.get_closest_marker("e2e"))
    journeys = [item for item in items if item.get_closest_marker("e2e")]
    if not journeys:
        return
    reason = browser_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("MYHOI_E2E_REQUIRED"):
        raise pytest.UsageError(f"browser journeys cannot run: {reason}")
    config.stash[_skip_reason_key] = (reason, len(journeys))
    marker = pytest.mark.skip(reason=f"browser journeys skipped: {reason}")
    for item in journeys:
        item.add_marker(marker)


_skip_reason_key = pytest.StashKey[tuple]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = config.stash.get(_skip_reason_key, None)
    if skipped:
        reason, count = skipped
        terminalreporter.write_sep("=", "browser journeys", yellow=True)
        terminalreporter.write_line(f"{count} end-to-end tests SKIPPED: {reason}.", yellow=True)


@pytest.fixture(scope="module")
def browser():
    """One headless chromium per test module.

    Playwright's sync API keeps an asyncio loop running in the main thread; Django's ORM
    sees it and refuses to run ("SynchronousOnlyOperation"). The journeys call the ORM
    only between browser steps, so the guard is lifted, but only while a browser lives:
    module scope stops both before any other module's tests (some of which start
    subprocesses that must not inherit DJANGO_ALLOW_ASYNC_UNSAFE, e.g. `check --deploy`).
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield instance
            instance.close()


@pytest.fixture
def demo(transactional_db):
    """The demo data of every app, as `make run` loads it."""
    call_command("seed_demo", stdout=open(os.devnull, "w"))


@pytest.fixture
def page(browser, live_server, demo, request):
    """A fresh browser tab (own cookies) on the live server; fails the test on CSP violations.

    A CSP forbids inline scripts and styles: a violation shows as a console error, so
    any page of a journey that breaks the policy fails the journey that walked it.
    """
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    violations = [text for text in errors if "Content Security Policy" in text or "Refused to" in text]
    assert not violations, f"CSP violations on a page of the journey: {violations}"


@pytest.fixture
def blank_page(browser):
    """A tab with no server behind it, for checks run on HTML the test writes itself."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep the call's report on the item so the page fixture can screenshot failures."""
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
