"""Text normalisation shared by the commune resolver and the search module."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case, no accents, œ→oe, punctuation as single spaces."""
    text = strip_accents(text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    return _NON_WORD.sub(" ", text.lower()).strip()
