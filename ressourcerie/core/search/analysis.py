"""Text analysis shared by indexing and querying: fold, split, stem (French).

Accents are stripped *before* stemming (DESIGN §8): the French Snowball stemmer gives
different stems for "comptabilité" and "comptabilite" otherwise.
"""

import re
from functools import lru_cache

import snowballstemmer

from ..text import fold

# PostgreSQL's french.stop (Snowball's list), folded: the words neither engine searches on.
STOPWORDS = frozenset(
    fold(
        "au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même "
        "mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te "
        "tes toi ton tu un une vos votre vous c d j l à m n s t y été étée étées étés étant "
        "étante étants étantes suis es est sommes êtes sont serai seras sera serons serez "
        "seront serais serait serions seriez seraient étais était étions étiez étaient fus fut "
        "fûmes fûtes furent sois soit soyons soyez soient fusse fusses fût fussions fussiez "
        "fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai auras "
        "aura aurons aurez auront aurais aurait aurions auriez auraient avais avait avions "
        "aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses eût "
        "eussions eussiez eussent"
    ).split()
)

# Words longer than this are not words (hashes, URLs glued together): not indexed as terms.
MAX_WORD_LENGTH = 40

_stemmer = snowballstemmer.stemmer("french")


def words(text: str) -> list[str]:
    """Folded words of a text, in order: lower case, no accents, [a-z0-9] only."""
    return [w for w in fold(text or "").split() if len(w) <= MAX_WORD_LENGTH]


_RAW_WORD = re.compile(r"[^\W_]+")


def surface_words(text: str) -> list[tuple[str, str]]:
    """(folded, as written in lower case) pairs for each word of a text."""
    pairs = []
    for raw in _RAW_WORD.findall((text or "").lower()):
        folded = fold(raw)
        if folded and " " not in folded and len(folded) <= MAX_WORD_LENGTH:
            pairs.append((folded, raw[:60]))
    return pairs


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The French stem of one folded word."""
    return _stemmer.stemWord(word)


def shadow(text: str) -> str:
    """The folded, stemmed text an engine without French stemming indexes."""
    return " ".join(stem(w) for w in words(text))
