"""One error shape for the whole API: ``{"error": {"code", "message", "details"}}``.

Used by the exception handlers of the v1 API, by the middleware that catches what happens
outside it (unknown paths, 405, CSRF, crashes) and by apps that raise ``ApiError``. A service's
refusal (``core.errors.DomainError`` and its subclasses) that an endpoint does not catch is a
422 with the service's French message (``refusal_body``).
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from ressourcerie.core.errors import DomainError

CODES = {
    400: "validation_error",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
}


def default_message(status: int) -> str:
    messages = {
        400: _("La requête contient des erreurs."),
        401: _("Authentification requise : envoyez un jeton d'API personnel."),
        403: _("Vous n'avez pas le droit de faire cette action."),
        404: _("Cette ressource n'existe pas."),
        405: _("Cette méthode HTTP n'est pas acceptée ici."),
        413: _("La requête est trop volumineuse."),
        415: _("Envoyez le corps de la requête en JSON."),
        422: _("La requête est bien formée mais ne peut pas être acceptée."),
        429: _("Trop de requêtes : réessayez plus tard."),
        500: _("Erreur interne du serveur. L'équipe a été prévenue."),
    }
    return messages.get(status, _("La requête n'a pas pu aboutir."))


def code_for(status: int) -> str:
    if status in CODES:
        return CODES[status]
    return "client_error" if status < 500 else "server_error"


def error_body(status: int, *, code: str | None = None, message=None, details=None) -> dict:
    return {
        "error": {
            "code": code or code_for(status),
            "message": str(message or default_message(status)),
            "details": details,
        }
    }


def refusal_body(error: DomainError) -> dict:
    """A service refused the request on its merits: 422, its French message, and the field
    it names (if any) in ``details``."""
    details = {error.field: [error.message]} if error.field else None
    return error_body(422, message=error.message, details=details)


def error_response(status: int, *, code=None, message=None, details=None) -> JsonResponse:
    return JsonResponse(
        error_body(status, code=code, message=message, details=details),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


class ApiError(Exception):
    """Raise from an endpoint to answer with a JSON error (any status)."""

    def __init__(self, status: int, message=None, *, code: str | None = None, details=None):
        self.status = status
        self.message = message or default_message(status)
        self.code = code or code_for(status)
        self.details = details
        super().__init__(str(self.message))


class FieldErrors(ApiError):
    """French messages by field: ``{"website": ["Saisissez une URL valide."]}``.

    400 when a value breaks what the OpenAPI document says of it; ``status=422`` when every
    value fits the document but the request is refused on its merits (two parameters that go
    together, a rule the document cannot state)."""

    def __init__(self, errors: dict[str, list[str]], *, status: int = 400):
        super().__init__(status, details={k: [str(m) for m in v] for k, v in errors.items()})


def _number(value) -> str:
    """A bound as a French reader expects it: 90, not 90.0; 0,5, not 0.5."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    simple = {
        "missing": _("Ce champ est obligatoire."),
        "string_type": _("Saisissez un texte."),
        "int_parsing": _("Saisissez un nombre entier."),
        "int_type": _("Saisissez un nombre entier."),
        "int_from_float": _("Saisissez un nombre entier."),
        "float_parsing": _("Saisissez un nombre."),
        "float_type": _("Saisissez un nombre."),
        "finite_number": _("Saisissez un nombre fini."),
        "bool_parsing": _("Saisissez true ou false."),
        "string_pattern_mismatch": _("Le format de cette valeur n'est pas valide."),
        "extra_forbidden": _("Ce champ est inconnu ou ne peut pas être modifié."),
        "model_attributes_type": _("Envoyez un objet JSON."),
        "dict_type": _("Envoyez un objet JSON."),
        "model_type": _("Envoyez un objet JSON."),
        "json_invalid": _("Le corps de la requête n'est pas du JSON valide."),
        "string_unicode": _("Le texte contient des caractères invalides."),
    }
    if kind in simple:
        return simple[kind]
    if kind == "greater_than_equal":
        return _("Saisissez une valeur supérieure ou égale à %(bound)s.") % {
            "bound": _number(ctx.get("ge"))
        }
    if kind == "greater_than":
        return _("Saisissez une valeur strictement supérieure à %(bound)s.") % {
            "bound": _number(ctx.get("gt"))
        }
    if kind == "less_than_equal":
        return _("Saisissez une valeur inférieure ou égale à %(bound)s.") % {
            "bound": _number(ctx.get("le"))
        }
    if kind == "less_than":
        return _("Saisissez une valeur strictement inférieure à %(bound)s.") % {
            "bound": _number(ctx.get("lt"))
        }
    if kind == "string_too_long":
        return _("Saisissez au plus %(n)s caractères.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Saisissez au moins %(n)s caractères.") % {"n": ctx.get("min_length")}
    if kind in {"enum", "literal_error"}:
        return _("Valeur inconnue ; valeurs possibles : %(values)s.") % {
            "values": str(ctx.get("expected", "")).replace(" or ", ", ")
        }
    return _("Valeur invalide.")


def field_errors_from_ninja(errors: list[dict]) -> dict[str, list[str]]:
    """Ninja/pydantic errors (English, by location) as French messages by field name."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        source, rest = (loc[0], loc[1:]) if loc else ("body", [])
        if source == "body" and rest:
            rest = rest[1:]  # the name of the view's body argument means nothing to clients
        name = ".".join(rest) or source
        fields.setdefault(name, []).append(_pydantic_message(error))
    return fields
