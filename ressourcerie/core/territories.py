"""Turn what people type ("44000", "Nantes", "st nazaire", "Saint-Nazaire (44)") into communes.

Works offline on the shipped gazetteer (data/communes.csv, loaded by ``load_territories``).
"""

import difflib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from .models import Commune
from .text import fold

_ABBREVIATIONS = {"saint": "st", "sainte": "ste"}
_DEPARTMENT_HINT = re.compile(r"[\(\s,-]+(\d{2}|2a|2b|97\d)\)?\s*$")
_POSTAL = re.compile(r"^\d{5}$")


def commune_search_name(name: str) -> str:
    """The form stored in Commune.search_name: folded, "saint" shortened to "st"."""
    words = fold(name).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


@dataclass
class Resolution:
    query: str
    communes: list[Commune] = field(default_factory=list)
    # True when the text designates exactly one commune.
    exact: bool = False
    # Close spellings when nothing matched ("Nantte" → "Nantes").
    suggestions: list[Commune] = field(default_factory=list)

    @property
    def commune(self) -> Commune | None:
        return self.communes[0] if self.exact else None


def resolve_commune(text: str, *, limit: int = 10) -> Resolution:
    """Communes that ``text`` designates, most populous first."""
    raw = (text or "").strip()[:120]
    result = Resolution(query=raw)
    if not raw:
        return result
    base = Commune.objects.select_related("department__region").order_by("-population", "name")
    folded = fold(raw)

    if _POSTAL.match(folded.replace(" ", "")):
        code = folded.replace(" ", "")
        matches = list(base.filter(Q(insee=code) | Q(postal_codes__contains=code))[: limit * 3])
        matches = [c for c in matches if c.insee == code or code in c.postal_codes.split()]
        result.communes = matches[:limit]
        result.exact = len(result.communes) == 1
        return result

    department = None
    hint = _DEPARTMENT_HINT.search(folded)
    if hint and not folded.isdigit():
        department = hint.group(1).upper()
        folded = folded[: hint.start()].strip()
    name = commune_search_name(folded)
    if not name:
        return result
    scoped = base.filter(department__code=department) if department else base

    same_name = list(scoped.filter(search_name=name)[:limit])
    if same_name:
        result.communes, result.exact = _rank_homonyms(same_name)
        return result
    starting = list(scoped.filter(search_name__startswith=name)[:limit])
    if starting:
        result.communes = starting
        return result
    result.suggestions = _close_spellings(scoped, name, limit=5)
    return result


def _rank_homonyms(communes: list[Commune]) -> tuple[list[Commune], bool]:
    """Order communes sharing a name; say whether one is obviously meant: the only one in
    the instance's region, or one ten times more populous than the next."""
    if len(communes) == 1:
        return communes, True
    local = [c for c in communes if c.department.region.code == settings.REGION_CODE]
    if len(local) == 1:
        return local + [c for c in communes if c is not local[0]], True
    first, second = communes[0].population or 0, communes[1].population or 0
    return communes, first >= 10 * max(second, 1)


def _close_spellings(queryset, name: str, *, limit: int) -> list[Commune]:
    """Communes whose name is a small typo away: same first letter, similar length."""
    if len(name) < 3:
        return []
    candidates = queryset.filter(search_name__startswith=name[0]).values_list("pk", "search_name")
    scored = []
    for pk, candidate in candidates.iterator(chunk_size=2000):
        if abs(len(candidate) - len(name)) > 3:
            continue
        ratio = difflib.SequenceMatcher(None, name, candidate).ratio()
        if ratio >= 0.8:
            scored.append((ratio, pk))
    scored.sort(reverse=True)
    by_pk = queryset.in_bulk([pk for _, pk in scored[:limit]])
    return [by_pk[pk] for _, pk in scored[:limit] if pk in by_pk]
