"""Accessibility basics read from the rendered DOM, in place of a vendored axe-core.

Each check returns a list of human-readable problems (empty when the page is fine):
labels of form controls, names of links and buttons, headings, the document
language and title, positive tabindex, and WCAG 2.1 AA colour contrast of text.
The DOM is read once by a small script; the judging is done here in Python.
"""
from playwright.sync_api import Page

# Collects what the checks need: form controls and their names, headings, named
# elements, and for each element holding text its colour, background and font.
COLLECT = """(skipContrast) => {
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0;
  };
  const text = (el) => (el ? (el.innerText || el.textContent || '') : '').replace(/\\s+/g, ' ').trim();
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : '');
  const nameOf = (el) => {
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label').trim();
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    if (ids.length) return ids.map((id) => text(document.getElementById(id))).join(' ').trim();
    if (el.labels && el.labels.length) return Array.from(el.labels).map(text).join(' ').trim();
    if (['submit', 'button', 'reset'].includes(el.type) && el.value) return el.value.trim();
    return (el.getAttribute('title') || '').trim();
  };
  const controls = Array.from(document.querySelectorAll('input, select, textarea'))
    .filter((el) => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
    .filter(visible)
    .map((el) => ({what: describe(el), name: nameOf(el)}));
  const named = Array.from(document.querySelectorAll('a[href], button, [role=button], img'))
    .filter(visible)
    .map((el) => ({what: describe(el) + (el.getAttribute('href') ? ` ${el.getAttribute('href')}` : ''),
                   name: el.tagName === 'IMG' ? (el.getAttribute('alt') ?? null)
                         : (text(el) || el.getAttribute('aria-label') || el.getAttribute('title') || '').trim()}));
  const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
    .filter(visible).map((el) => ({level: Number(el.tagName[1]), text: text(el)}));
  const tabindex = Array.from(document.querySelectorAll('[tabindex]'))
    .filter((el) => Number(el.getAttribute('tabindex')) > 0).map(describe);
  // The background an element's text is drawn on: the first opaque-ish ancestor colour.
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      layers.push(colour);
      const alpha = colour.startsWith('rgba') ? parseFloat(colour.split(',')[3]) : 1;
      if (alpha >= 1) break;
    }
    return layers;
  };
  const texts = [];
  for (const el of document.querySelectorAll('body *')) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION', 'svg'].includes(el.tagName) || el.closest('svg')) continue;
    const own = Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
    if (!own || !visible(el)) continue;
    if (el.closest('.visually-hidden, .visually-hidden-focusable, [aria-hidden=true]')) continue;
    if (skipContrast && el.closest(skipContrast)) continue;
    const style = getComputedStyle(el);
    texts.push({what: describe(el), sample: own.slice(0, 40), colour: style.color, layers: background(el),
                size: parseFloat(style.fontSize), weight: parseInt(style.fontWeight, 10) || 400,
                disabled: el.matches(':disabled') || !!el.closest('[disabled], .disabled')});
  }
  return {lang: document.documentElement.lang, title: document.title, controls, named, headings, tabindex, texts};
}"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    parts = css[css.index("(") + 1:css.index(")")].replace("/", ",").split(",")
    values = [float(p) for p in parts if p.strip()]
    return (*values[:3], values[3] if len(values) > 3 else 1.0)


def _over(top, bottom):
    """Alpha-composite colour *top* over opaque *bottom*."""
    alpha = top[3]
    return tuple(alpha * t + (1 - alpha) * b for t, b in zip(top[:3], bottom[:3])) + (1.0,)


def _luminance(rgb) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, layers: list[str]) -> float:
    """WCAG contrast of text colour *foreground* drawn on the stacked background *layers* (innermost first)."""
    backdrop = (255.0, 255.0, 255.0, 1.0)  # the canvas under everything
    for layer in reversed(layers):
        backdrop = _over(_rgba(layer), backdrop)
    text = _over(_rgba(foreground), backdrop)
    lighter, darker = sorted((_luminance(text), _luminance(backdrop)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def audit_page(page: Page, *, skip_contrast: str = "") -> list[str]:
    """Everything this page gets wrong, prefixed with its path; [] when it passes.

    *skip_contrast* is a CSS selector whose text is left out of the contrast check only.
    """
    found = page.evaluate(COLLECT, skip_contrast or None)
    where = page.url.split("//", 1)[-1].split("/", 1)[-1]
    problems = []
    if not found["lang"]:
        problems.append("<html> has no lang attribute")
    if not found["title"].strip():
        problems.append("the page has no <title>")
    problems += [f"form field {c['what']} has no label" for c in found["controls"] if not c["name"]]
    problems += [f"{n['what']} has no accessible name" for n in found["named"] if n["name"] == ""]
    problems += [f"{n['what']} has no alt attribute" for n in found["named"] if n["name"] is None]
    problems += [f"{what} has a positive tabindex (breaks the reading order)" for what in found["tabindex"]]
    levels = [h["level"] for h in found["headings"]]
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} <h1> headings instead of one")
    for before, heading in zip([0] + levels, found["headings"]):
        if heading["level"] > before + 1:
            problems.append(f"heading '{heading['text'][:40]}' jumps from h{before} to h{heading['level']}")
    for item in found["texts"]:
        if item["disabled"]:
            continue  # WCAG 1.4.3 exempts inactive controls
        large = item["size"] >= 24 or (item["size"] >= 18.66 and item["weight"] >= 700)
        needed = 3.0 if large else 4.5
        ratio = contrast_ratio(item["colour"], item["layers"])
        if ratio < needed:
            problems.append(f"text '{item['sample']}' ({item['what']}) has contrast {ratio:.2f}:1, needs {needed}:1")
    return [f"/{where}: {problem}" for problem in problems]


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
    where = page.url.split("//", 1)[-1].split("/", 1)[-1]
    return [f"/{where}: {found['scroll']} px wide in a {found['width']} px window, because of {found['culprits']}"]


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
