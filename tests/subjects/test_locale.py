"""The English catalog of the register is complete."""
import re
from pathlib import Path

import apps.subjects

CATALOG = Path(apps.subjects.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries():
    """(msgid, [msgstr...]) for every entry but the header, continuation lines joined."""
    text = CATALOG.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n")[1:]:
        strings = {}
        key = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                strings[key] = match.group(2)
            elif line.startswith('"') and key:
                strings[key] += line.strip('"')
        if "msgid" in strings:
            entries.append((strings["msgid"], [v for k, v in strings.items() if k.startswith("msgstr")]))
    return entries


def test_the_english_catalog_has_no_fuzzy_entries():
    assert "#, fuzzy" not in CATALOG.read_text(encoding="utf-8")


def test_every_message_of_the_register_has_an_english_translation():
    entries = _entries()
    assert len(entries) > 100
    assert [msgid for msgid, translations in entries if not all(translations)] == []
