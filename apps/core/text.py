"""Vietnamese text folding for accent-insensitive search."""
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Return *text* lower-cased, without diacritics, with đ/Đ as d and single spaces.

    ``unicodedata`` decomposes "ễ" into "e" plus marks but leaves "đ" alone,
    because đ is a letter of its own, not d with a mark.
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


# The PostgreSQL collation of Vietnamese (ICU, created by the khóm app's migration 0005): the alphabet
# a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, tones compared after the letters.
VIETNAMESE_COLLATION = "vi_vn_icu"
