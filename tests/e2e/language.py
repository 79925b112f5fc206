"""No English in the Vietnamese pages (issue 19 §2, must hold): the words seen in them before, and Python's
raw values, looked for in what a page shows (its visible text, its titles and its placeholders)."""
import re

from playwright.sync_api import Page

# Seen in the Vietnamese pages before the clean-up, or what a missed translation or a raw value looks like.
ENGLISH_SEEN = ["---------", "descending", "ascending", "access attempt", "Access attempt", "TOTP device", "Axes",
                "Form Data", "Meta Data", "User Agent", "Attempt Time", "Dashboard", "Log out", "Logout", "Search",
                "Submit", "Save", "Delete", "Export", "Download", "Previous", "Next", "Page", "of", "None", "True",
                "False", "quarter", "month", "year", "Chưa xác định"]
_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(word) for word in ENGLISH_SEEN) + r")(?![\w-])")

_SHOWN_TEXT = """() => [document.title, document.body.innerText,
    ...[...document.querySelectorAll('[placeholder], [title], [aria-label]')].map((element) =>
        [element.getAttribute('placeholder'), element.getAttribute('title'), element.getAttribute('aria-label')]
        .filter(Boolean).join(' '))].join('\\n')"""


def english_words(page: Page) -> list[str]:
    """One line per English word a Vietnamese page shows, with the page's path."""
    if page.evaluate("() => document.documentElement.lang") != "vi":
        return [f"{page.url}: the page is not in Vietnamese"]
    found = sorted(set(_PATTERN.findall(page.evaluate(_SHOWN_TEXT))))
    return [f"{page.url.split('//', 1)[-1].split('/', 1)[-1] or '/'}: {word}" for word in found]
