"""The preposition "de" before a place name, as French writes it: "près d'Angoulême",
"à 3 km du Mans", "des Sables-d'Olonne", "de La Rochelle" (a capitalised "La" stays)."""

from ressourcerie.core.text import strip_accents

_VOWELS = set("aeiouyh")  # a mute h takes the elision too ("d'Hérouville"), as usage does


def de_parts(name: str) -> tuple[str, str]:
    """``"Le Mans"`` → ``("du ", "Mans")``: the preposition and what follows it."""
    text = (name or "").strip()
    if text.startswith("Le "):
        return "du ", text[3:]
    if text.startswith("Les "):
        return "des ", text[4:]
    if text and strip_accents(text[0]).lower() in _VOWELS:
        return "d'", text
    return "de ", text


def de(name: str) -> str:
    """``"Angoulême (16)"`` → ``"d'Angoulême (16)"``; ``"Le Mans"`` → ``"du Mans"``."""
    return "".join(de_parts(name)).strip()
