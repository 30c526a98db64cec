"""Turn the OpenAPI document into what the documentation page shows, so the page cannot
drift from the API: every operation of the document is listed, with its example."""

import json

from django.utils.text import slugify
from django.utils.translation import gettext as _

from .auth import rate_limits

METHOD_ORDER = ["get", "post", "put", "patch", "delete"]


def _resolve(schema: dict, components: dict) -> dict:
    ref = schema.get("$ref")
    if ref:
        return components.get(ref.rsplit("/", 1)[-1], {})
    return schema


def describe_type(schema: dict, components: dict) -> str:
    """A short French description of a JSON Schema: "entier de 1 à 100", "texte"…"""
    schema = _resolve(schema, components)
    if "anyOf" in schema:
        parts = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return " ou ".join(describe_type(s, components) for s in parts) or _("vide")
    if "enum" in schema:
        return _("une valeur parmi : %(values)s") % {
            "values": ", ".join(str(v) for v in schema["enum"])
        }
    kind = schema.get("type")
    names = {
        "integer": _("entier"),
        "number": _("nombre"),
        "string": _("texte"),
        "boolean": _("booléen"),
        "array": _("liste"),
        "object": _("objet"),
    }
    text = names.get(kind, _("valeur"))
    if "minimum" in schema and "maximum" in schema:
        text += _(" de %(min)s à %(max)s") % {"min": schema["minimum"], "max": schema["maximum"]}
    if "maxLength" in schema:
        text += _(", %(n)s caractères au plus") % {"n": schema["maxLength"]}
    if "pattern" in schema:
        text += _(", format %(pattern)s") % {"pattern": schema["pattern"]}
    return text


LOCATIONS = {"query": "requête", "path": "chemin", "header": "en-tête"}


def _parameters(operation: dict, components: dict) -> list[dict]:
    rows = []
    for param in operation.get("parameters", []):
        schema = param.get("schema", {})
        rows.append(
            {
                "name": param["name"],
                "location": LOCATIONS.get(param.get("in"), param.get("in")),
                "required": bool(param.get("required")),
                "type": describe_type(schema, components),
                "description": param.get("description") or schema.get("description", ""),
                "default": "" if schema.get("default") is None else str(schema["default"]),
            }
        )
    return rows


def _body_fields(operation: dict, components: dict) -> list[dict]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if not schema:
        return []
    schema = _resolve(schema, components)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "required": name in required,
            "type": describe_type(field, components),
            "description": field.get("description", ""),
        }
        for name, field in schema.get("properties", {}).items()
    ]


def _curl(method: str, path: str, *, base_url: str, secured: bool, body) -> str:
    parts = ["curl"]
    if method != "get":
        parts.append(f"-X {method.upper()}")
    if secured:
        parts.append('-H "Authorization: Bearer $JETON"')
    if body is not None:
        parts.append('-H "Content-Type: application/json"')
        parts.append("-d '" + json.dumps(body, ensure_ascii=False) + "'")
    parts.append(f'"{base_url}{path}"')
    return " \\\n  ".join(parts)


def sections(schema: dict, *, base_url: str) -> list[dict]:
    """Operations grouped by tag, in document order, each ready to render."""
    components = schema.get("components", {}).get("schemas", {})
    groups: dict[str, list] = {}
    for path, item in schema.get("paths", {}).items():
        for method in sorted(item, key=lambda m: METHOD_ORDER.index(m)):
            operation = item[method]
            example = operation.get("x-example") or {}
            secured = bool(operation.get("security"))
            response = example.get("response")
            tag = (operation.get("tags") or [_("Autres")])[0]
            groups.setdefault(tag, []).append(
                {
                    "anchor": slugify(f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "secured": secured,
                    "parameters": _parameters(operation, components),
                    "body_fields": _body_fields(operation, components),
                    "curl": _curl(
                        method,
                        example.get("path", path),
                        base_url=base_url,
                        secured=secured,
                        body=example.get("body"),
                    ),
                    "status": example.get("status", 200),
                    "response": (
                        json.dumps(response, ensure_ascii=False, indent=2)
                        if response is not None
                        else ""
                    ),
                }
            )
    return [{"tag": tag, "anchor": slugify(tag), "operations": ops} for tag, ops in groups.items()]


def rate_limit_rows() -> list[dict]:
    limits = rate_limits()
    return [
        {
            "who": _("Sans jeton, par adresse IP"),
            "count": limits["anonymous"][0],
            "seconds": limits["anonymous"][1],
        },
        {
            "who": _("Avec un jeton, par jeton"),
            "count": limits["token"][0],
            "seconds": limits["token"][1],
        },
        {
            "who": _("Jetons invalides, par adresse IP"),
            "count": limits["failed_auth"][0],
            "seconds": limits["failed_auth"][1],
        },
    ]
