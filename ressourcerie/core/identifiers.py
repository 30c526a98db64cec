"""French organisation identifiers: RNA (associations), SIREN and SIRET (INSEE's Sirene).

Each ``normalize_*`` function accepts what people paste (spaces, dots, lower case), returns the
canonical form, or raises ``ValidationError`` with a French message.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's establishments share this SIREN; their SIRETs do not follow the Luhn key
# (INSEE: the sum of the 14 digits is a multiple of 5 instead), except the head office's
# 35600000000048, which is Luhn-valid.
LA_POSTE_SIREN = "356000000"

_SEPARATORS = re.compile(r"[\s.\-_/]+")


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", str(value or "")).strip()


def luhn_valid(digits: str) -> bool:
    """True when ``digits`` (only 0-9) passes the Luhn check."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def luhn_check_digit(partial: str) -> str:
    """The digit to append to ``partial`` to make it Luhn-valid."""
    for digit in "0123456789":
        if luhn_valid(partial + digit):
            return digit
    raise ValueError("not digits")  # pragma: no cover - unreachable for digit strings


def normalize_rna(value: str) -> str:
    """'w 123 456 789' → 'W123456789'."""
    compact = _compact(value).upper()
    if not re.fullmatch(r"W[0-9]{9}", compact, flags=re.ASCII):
        raise ValidationError(
            _(
                "Le numéro RNA s'écrit W suivi de 9 chiffres (par exemple W442001234). "
                "Vous le trouvez sur le récépissé de déclaration en préfecture ou au "
                "Journal officiel."
            ),
            code="invalid_rna",
        )
    return compact


def normalize_siren(value: str) -> str:
    """'732 829 320' → '732829320', checked with the Luhn key."""
    compact = _compact(value)
    if not re.fullmatch(r"[0-9]{9}", compact, flags=re.ASCII):
        raise ValidationError(_("Le numéro SIREN compte 9 chiffres."), code="invalid_siren_format")
    if not luhn_valid(compact):
        raise ValidationError(
            _("Ce numéro SIREN n'existe pas : vérifiez les chiffres (clé de contrôle fausse)."),
            code="invalid_siren_key",
        )
    return compact


def siret_is_valid(compact: str) -> bool:
    if not re.fullmatch(r"[0-9]{14}", compact, flags=re.ASCII):
        return False
    if compact.startswith(LA_POSTE_SIREN):
        return sum(int(c) for c in compact) % 5 == 0 or luhn_valid(compact)
    return luhn_valid(compact)


def normalize_siret(value: str) -> str:
    """'732 829 320 00074' → '73282932000074', checked with the Luhn key."""
    compact = _compact(value)
    if not re.fullmatch(r"[0-9]{14}", compact, flags=re.ASCII):
        raise ValidationError(
            _("Le numéro SIRET compte 14 chiffres (le SIREN suivi de 5 chiffres)."),
            code="invalid_siret_format",
        )
    if not siret_is_valid(compact):
        raise ValidationError(
            _("Ce numéro SIRET n'existe pas : vérifiez les chiffres (clé de contrôle fausse)."),
            code="invalid_siret_key",
        )
    return compact


def siren_from_siret(siret: str) -> str:
    """The SIREN is the first 9 digits of a SIRET."""
    return normalize_siret(siret)[:9]


def normalize_siren_or_siret(value: str) -> tuple[str, str]:
    """Accept either number in one field; returns (siren, siret) with siret possibly ''."""
    compact = _compact(value)
    if len(compact) == 14:
        siret = normalize_siret(compact)
        return siret[:9], siret
    if len(compact) == 9:
        return normalize_siren(compact), ""
    raise ValidationError(
        _(
            "Tapez un SIREN (9 chiffres) ou un SIRET (14 chiffres). "
            "Vous les trouvez sur l'avis de situation Sirene ou sur annuaire-entreprises.data.gouv.fr."
        ),
        code="invalid_siren_or_siret",
    )
