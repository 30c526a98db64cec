"""What every operation of the OpenAPI document answers, filled in once for the whole API.

Ninja documents the success of each operation from its ``response=`` model; everything else
an operation can answer is the same for all of them and is added here, after generation, so
no endpoint has to repeat it (and none can forget it):

- the error answers, each with the one error schema (``{"error": {"code", "message",
  "details"}}``): 401 and 429 everywhere (any request may carry a bad token, every operation
  is throttled), 400 where there are parameters or a body, 403 where a token is required,
  404 where a path names a resource or a list is paginated, plus what an operation declares
  itself with ``v1.example(..., errors=[404])`` (a lookup that can fail, a 422);
- the real content type of the open-data exports, from the path's extension (``.csv`` is
  ``text/csv``, ``.geojson`` is ``application/geo+json``…), instead of JSON;
- one key per status: ninja writes its own under integer keys and ``openapi_extra``'s under
  strings, which JSON would serialise twice ("200" then "200"), the second one (the example
  alone, without the schema) winning for every reader.
"""

from http import HTTPStatus

ERROR_REF = {"$ref": "#/components/schemas/Error"}

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "description": "Toute erreur de l'API, quel que soit son statut.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Code stable, en anglais : validation_error, unauthorized, "
                    "forbidden, not_found, rate_limited…",
                },
                "message": {"type": "string", "description": "Message en français."},
                "details": {
                    "anyOf": [{"type": "object"}, {"type": "null"}],
                    "description": "Messages par champ ({nom: [messages]}), ou précisions "
                    "(retry_after, suggestions, pages) ; null sinon.",
                },
            },
            "required": ["code", "message", "details"],
            "additionalProperties": False,
        }
    },
    "required": ["error"],
    "additionalProperties": False,
}

DESCRIPTIONS = {
    400: "Paramètre ou corps contraire à ce document : type, bornes, format, champ inconnu "
    "(`validation_error`) ; `details` donne les messages en français, par paramètre ou champ.",
    401: "Jeton absent, inconnu, révoqué, ou dont le compte est désactivé (`unauthorized`).",
    403: "Jeton valide, mais sans le droit d'agir sur cette ressource (`forbidden`).",
    404: "Ressource inconnue, ou page au-delà de la dernière (`not_found`, `page_not_found`).",
    422: "Requête conforme à ce document mais refusée sur le fond : paramètres qui vont "
    "ensemble, règles du site (`validation_error`) ; `details` donne les messages par champ.",
    429: "Trop de requêtes (`rate_limited`) : réessayez après le nombre de secondes donné "
    "par l'en-tête Retry-After.",
}
PUBLIC_401 = (
    "Jeton inconnu, révoqué, ou dont le compte est désactivé (`unauthorized`). Le jeton est "
    "facultatif ici ; envoyé, il doit être valide (la lecture compte alors dans sa limite)."
)

RETRY_AFTER = {
    "description": "Secondes à attendre avant de réessayer.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
WWW_AUTHENTICATE = {
    "description": 'Le schéma d\'authentification attendu : `Bearer realm="api"`.',
    "schema": {"type": "string"},
}

# Open-data exports: the extension of the path says what the body is.
EXPORT_MEDIA_TYPES = {
    ".csv": ("text/csv", {"type": "string", "description": "CSV en UTF-8, séparateur virgule."}),
    ".geojson": ("application/geo+json", {"type": "object", "description": "FeatureCollection."}),
    ".ics": ("text/calendar", {"type": "string", "description": "iCalendar (RFC 5545)."}),
    ".json": ("application/json", {"type": "object"}),
}


def _merge(target: dict, update: dict) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def _one_key_per_status(responses: dict) -> dict:
    merged: dict[str, dict] = {}
    # Ninja's own entries (integer keys: description, schema) first, then the extra ones.
    for status in sorted(responses, key=lambda s: isinstance(s, str)):
        _merge(merged.setdefault(str(status), {}), responses[status])
    for status, answer in merged.items():
        if not answer.get("description"):
            try:
                answer["description"] = HTTPStatus(int(status)).phrase
            except ValueError:
                answer["description"] = status
    return dict(sorted(merged.items()))


def _export_content(path: str, responses: dict) -> None:
    suffix = next((s for s in EXPORT_MEDIA_TYPES if path.endswith(s)), None)
    if suffix is None or "200" not in responses:
        return
    media_type, schema = EXPORT_MEDIA_TYPES[suffix]
    content = responses["200"].get("content", {})
    example = next((m["example"] for m in content.values() if "example" in m), None)
    body = {"schema": schema}
    if example is not None:
        body["example"] = example
    responses["200"]["content"] = {media_type: body}


def _error_statuses(operation: dict, declared) -> set[int]:
    params = operation.get("parameters", [])
    statuses = {401, 429, *declared}
    if params or "requestBody" in operation:
        statuses.add(400)
    if operation.get("security"):
        statuses.add(403)
    if any(p.get("in") == "path" or p.get("name") == "page" for p in params):
        statuses.add(404)
    return statuses


def _error_answer(status: int, *, secured: bool) -> dict:
    description = DESCRIPTIONS.get(status) or HTTPStatus(status).phrase
    if status == 401 and not secured:
        description = PUBLIC_401
    answer = {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}
    if status == 401:
        answer["headers"] = {"WWW-Authenticate": WWW_AUTHENTICATE}
    if status == 429:
        answer["headers"] = {"Retry-After": RETRY_AFTER}
    return answer


def complete(document: dict) -> dict:
    """Fill in, in place, what every operation answers besides its success; returns it."""
    document.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, item in document.get("paths", {}).items():
        for operation in item.values():
            declared = operation.pop("x-errors", ())
            responses = _one_key_per_status(operation.get("responses", {}))
            _export_content(path, responses)
            secured = bool(operation.get("security"))
            for status in sorted(_error_statuses(operation, declared)):
                answer = _error_answer(status, secured=secured)
                _merge(answer, responses.get(str(status), {}))  # an operation's own example
                responses[str(status)] = answer
            operation["responses"] = dict(sorted(responses.items()))
    return document
