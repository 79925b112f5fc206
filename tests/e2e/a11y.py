"""Accessibility checks of a rendered page: axe-core for the rules, our own code where axe does not reach.

axe-core (Deque's engine, shipped inside the axe-playwright-python package, pinned in requirements.txt)
judges labels, accessible names, colour contrast, headings, landmarks, the document language and title,
ARIA, tables, and the rest of its default rule set (WCAG 2.0/2.1 A and AA and Deque's best practices).

It is injected with Playwright's `page.evaluate`, which goes through the DevTools protocol rather than a
`<script>` element, so the page's Content-Security-Policy (script-src 'self', no inline script) needs no
bypass: the pages are checked under the policy they have in production. `add_script_tag` would be refused.

Two things axe cannot see, kept here: the keyboard's focus order and its visible ring (axe reads the DOM
and presses no key), and reflow (axe never resizes the window).
"""
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE = Axe()
# Which impacts fail a page. The issue asks for no serious or critical violation; the pages have none of
# any impact, and moderate ones include what the checks written before axe enforced (one <h1>, no
# skipped heading level), so every impact fails.
FAILING_IMPACTS = ("critical", "serious", "moderate", "minor")
IMPACT_ORDER = {impact: rank for rank, impact in enumerate(FAILING_IMPACTS)}


def _where(page: Page) -> str:
    return "/" + page.url.split("//", 1)[-1].split("/", 1)[-1]


def axe_version(page: Page) -> str:
    """The version of axe-core the package ships, read from the engine itself."""
    page.evaluate(AXE.axe_script)
    return page.evaluate("() => axe.version")


# resultTypes: full details for violations only (the rest come back with one node each, which is faster).
# preload off: axe's stylesheet preload serves only css-orientation-lock and no-autoplay-audio (the first is
# off by default, and there is no audio here), and on the admin's change forms it breaks: it resolves
# forms.css's `@import url('widgets.css')` against the page's address instead of the stylesheet's, fetches a
# 404, and parses it into an inline <style> that our CSP refuses (a console error the journeys fail on).
# The results are the same with it off on every page walked.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}


def axe_run(page: Page) -> dict:
    """axe-core's raw results for the page as it stands (its default rule set, whole document)."""
    return AXE.run(page, options=AXE_OPTIONS).response


def axe_violations(page: Page, *, impacts=FAILING_IMPACTS) -> list[str]:
    """What axe-core finds wrong on this page, one readable entry per rule; [] when it passes.

    Each entry gives the page, the rule id and impact, what the rule asks, its help URL, and for each
    element the CSS selector axe targets, a piece of its HTML and axe's summary of what to fix. A rule
    axe could not run (an error inside the engine) is reported too, so a broken check cannot pass.
    """
    results = axe_run(page)
    where = _where(page)
    problems = []
    violations = sorted((v for v in results["violations"] if v["impact"] in impacts),
                        key=lambda v: (IMPACT_ORDER.get(v["impact"], len(IMPACT_ORDER)), v["id"]))
    for violation in violations:
        lines = [f"{where}: {violation['id']} ({violation['impact']}) {violation['help']} — {violation['helpUrl']}"]
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(node['target'])}  {' '.join(node['html'].split())[:120]}  → {summary}")
        problems.append("\n".join(lines))
    for rule in results.get("incomplete", []):
        errored = [node for node in rule["nodes"]
                   if any(check["id"] == "error-occurred" for key in ("any", "all", "none") for check in node[key])]
        if errored:
            problems.append(f"{where}: axe-core could not run rule {rule['id']} on this page")
    return problems


def expect_accessible(page: Page) -> None:
    """Fail with axe-core's readable report unless the page as it stands has no violation."""
    problems = axe_violations(page)
    assert not problems, "axe-core found accessibility violations:\n" + "\n".join(problems)


SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = Array.from(document.querySelectorAll('body *'))
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1));
  return {scroll: document.documentElement.scrollWidth, width,
          culprits: wide.slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))};
}"""


def sideways_scroll(page: Page) -> list[str]:
    """A page wider than the window makes people scroll sideways to read it (WCAG 1.4.10, reflow)."""
    found = page.evaluate(SIDEWAYS)
    if found["scroll"] <= found["width"]:
        return []
    return [f"{_where(page)}: {found['scroll']} px wide in a {found['width']} px window, because of {found['culprits']}"]


def reflow(page: Page, widths=(320, 1280)) -> list[str]:
    """sideways_scroll at each window width (320 px is WCAG 1.4.10's: 1280 px zoomed to 400 %)."""
    size = page.viewport_size
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": size["height"]})
        problems += sideways_scroll(page)
    page.set_viewport_size(size)
    return problems


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''), name: el.getAttribute('name') || '',
          text: (el.innerText || el.value || '').trim().slice(0, 40),
          ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none'};
}"""


def tab_order(page: Page, presses: int) -> list[dict]:
    """Press Tab *presses* times from the top of the page; what had the focus after each press."""
    # Focusing the root element moves the browser's "start of sequential navigation" to the top,
    # whatever an autofocus field had taken.
    page.evaluate("""() => { const root = document.documentElement; root.tabIndex = -1; root.focus();
                             root.removeAttribute('tabindex'); }""")
    order = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        order.append(page.evaluate(FOCUSED))
    return order
