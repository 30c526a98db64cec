"""Places in the open API: nearest first, filters, the open-data exports (schema v1.0.1),
and the managers' own writes: proposed edits (moderated) and "toujours à jour"."""

import json
from typing import Annotated, Any

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from ninja import Path, Query, Router, Schema, Status
from pydantic import BaseModel, BeforeValidator, ConfigDict

from ressourcerie.api import geo, v1
from ressourcerie.api.auth import RateLimited
from ressourcerie.core.models import ModerationStatus

from . import exports, opening_hours, permissions, selectors, services
from . import vocabulary as v
from .forms import CODE_LIST_FIELDS, PlaceEditForm
from .ratelimits import LIMITS

router = Router(tags=["Annuaire des acteurs"])
EmptyIsNone = BeforeValidator(lambda value: value if value not in ("", None) else None)


class OriginOut(Schema):
    latitude: float
    longitude: float
    label: str


class PlaceOut(Schema):
    id: int
    slug: str
    url: str
    name: str
    latitude: float | None
    longitude: float | None
    distance_km: float | None
    address: str
    postal_code: str
    commune: str
    insee_code: str
    kinds: list[str]
    guidasso_level: int | None
    association_support: list[str]
    services: list[str]
    publics: list[str]
    specific_support: list[str]
    fees: list[str]
    opening_hours: str
    open_now: bool | None
    phone: str
    websites: list[str]
    summary: str
    updated_on: str
    licence: str


class NearPage(Schema):
    count: int
    origin: OriginOut | None
    results: list[PlaceOut]


EXAMPLE = {
    "id": 12,
    "slug": "mediatheque-angouleme",
    "url": "https://ressourcerie.example.org/acteurs/mediatheque-angouleme/",
    "name": "Médiathèque l'Alpha",
    "latitude": 45.6506,
    "longitude": 0.1606,
    "distance_km": 0.42,
    "address": "1 rue Coulomb",
    "postal_code": "16000",
    "commune": "Angoulême",
    "insee_code": "16015",
    "kinds": ["mediation"],
    "guidasso_level": None,
    "association_support": [],
    "services": ["Maîtrise des outils numériques du quotidien"],
    "publics": [],
    "specific_support": [],
    "fees": ["Gratuit"],
    "opening_hours": "Tu-Sa 10:00-18:00",
    "open_now": True,
    "phone": "+33545000000",
    "websites": [],
    "summary": "",
    "updated_on": "2023-05-11",
    "licence": "etalab-2.0",
}


def place_to_dict(request, place) -> dict:
    hours_open = opening_hours.is_open_now(place.opening_hours)
    return {
        "id": place.pk,
        "slug": place.slug,
        "url": request.build_absolute_uri(place.get_absolute_url()),
        "name": place.name,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "distance_km": getattr(place, "distance_km", None),
        "address": place.address,
        "postal_code": place.postal_code,
        "commune": place.commune_name,
        "insee_code": place.insee_code,
        "kinds": v.decode(place.kinds),
        "guidasso_level": place.guidasso_level,
        "association_support": v.decode(place.association_support),
        "services": place.labels("services"),
        "publics": place.labels("publics"),
        "specific_support": place.labels("specific_support"),
        "fees": place.labels("fees"),
        "opening_hours": place.opening_hours,
        "open_now": hours_open,
        "phone": place.phone,
        "websites": place.websites or [],
        "summary": place.summary,
        "updated_on": exports.place_row(place)["date_maj"] if place.latitude is not None else "",
        "licence": "etalab-2.0",
    }


Str = Annotated[str | None, EmptyIsNone, Query(None, max_length=100)]
Ident = Annotated[
    str,
    Path(
        pattern=r"^[-a-zA-Z0-9_]+$",
        max_length=220,
        description="Adresse courte (slug) ou numéro du lieu.",
    ),
]


def _place(ident: str):
    place = selectors.place_by_slug_or_id(ident)
    if place is None:
        raise v1.ApiError(404, _("Aucun lieu n'a cette adresse."))
    return place


@router.get(
    "/places",
    response=NearPage,
    summary="Lieux et acteurs, les plus proches d'abord",
    description=(
        "Donnez `lat` et `lon`, ou `commune`, ou `code_postal` : les lieux les plus proches "
        "d'abord, avec `distance_km`. Filtres : kind, service, support, public, free, "
        "accessible, open_now. Sans position : les lieux par nom. Licence etalab-2.0."
    ),
    openapi_extra=v1.example(
        path="/api/v1/places?code_postal=16000&limit=1",
        errors=[404, 422],  # unknown commune or postal code; lat without lon
        response={
            "count": 1,
            "origin": {"latitude": 45.6484, "longitude": 0.1562, "label": "Angoulême (16)"},
            "results": [EXAMPLE],
        },
    ),
)
def list_places(
    request,
    lat: geo.Latitude = None,
    lon: geo.Longitude = None,
    commune: Str = None,
    # An empty value means "not given" (EmptyIsNone), so the documented pattern allows it.
    code_postal: Annotated[str | None, EmptyIsNone, Query(None, pattern=r"^(\d{5})?$")] = None,
    radius_km: geo.RadiusKm = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    kind: Str = None,
    service: Str = None,
    support: Str = None,
    public: Str = None,
    free: bool = False,
    accessible: bool = False,
    open_now: bool = False,
):
    filters = selectors.Filters(
        kind=kind or "",
        service=service or "",
        support=support or "",
        public=public or "",
        free=free,
        accessible=accessible,
        open_now=open_now,
    )
    geo.require_pair(lat, lon)
    text = code_postal or commune or ""
    if lat is None and not text:
        places = list(selectors.filtered_places(filters).order_by("name")[:limit])
        origin = None
    else:
        result = selectors.search_near(
            text=text,
            latitude=lat,
            longitude=lon,
            filters=filters,
            radius_km=radius_km,
            limit=limit,
        )
        if result.origin is None:
            suggestions = [
                c.name for c in (result.resolution.suggestions if result.resolution else [])
            ]
            raise v1.ApiError(
                404,
                _("Commune ou code postal inconnu."),
                code="unknown_place",
                details={"suggestions": suggestions},
            )
        places, origin = result.places, result.origin
    return {
        "count": len(places),
        "origin": (
            {"latitude": origin.latitude, "longitude": origin.longitude, "label": origin.label}
            if origin
            else None
        ),
        "results": [place_to_dict(request, p) for p in places],
    }


def _export_response(body, content_type: str, filename: str, streaming: bool = False):
    response_class = StreamingHttpResponse if streaming else HttpResponse
    response = response_class(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = (
        f'<{exports.LICENCE["path"]}>; rel="license", <{exports.SCHEMA_URI}>; rel="describedby"'
    )
    response["X-Licence"] = "etalab-2.0"
    return response


@router.get(
    "/places/export.csv",
    summary="Export CSV au standard des lieux de médiation numérique v1.0.1",
    description="Tous les lieux publiés, 32 colonnes du schéma v1.0.1. Licence etalab-2.0.",
    openapi_extra=v1.example(
        path="/api/v1/places/export.csv",
        response="id,pivot,nom,commune,code_postal,...\r\nmediatheque-angouleme,0000...",
    ),
)
def export_csv(request):
    lines = exports.csv_lines(selectors.published_places())
    return _export_response(lines, "text/csv; charset=utf-8", "lieux-mediation.csv", True)


@router.get(
    "/places/export.json",
    summary="Export JSON au standard v1.0.1",
    openapi_extra=v1.example(
        path="/api/v1/places/export.json",
        response={"schema": exports.SCHEMA_URI, "licence": exports.LICENCE, "count": 0, "data": []},
    ),
)
def export_json(request):
    body = json.dumps(exports.json_document(selectors.published_places()), ensure_ascii=False)
    return _export_response(body, "application/json", "lieux-mediation.json")


@router.get(
    "/places/export.geojson",
    summary="Export GeoJSON au standard v1.0.1",
    openapi_extra=v1.example(
        path="/api/v1/places/export.geojson",
        response={"type": "FeatureCollection", "licence": exports.LICENCE, "features": []},
    ),
)
def export_geojson(request):
    body = json.dumps(exports.geojson_document(selectors.published_places()), ensure_ascii=False)
    return _export_response(body, "application/geo+json", "lieux-mediation.geojson")


@router.get(
    "/places/{ident}",
    response=PlaceOut,
    summary="Un lieu",
    openapi_extra=v1.example(path="/api/v1/places/mediatheque-angouleme", response=EXAMPLE),
)
def get_place(request, ident: Ident):
    return place_to_dict(request, _place(ident))


# --- Managers' writes: proposed edits and "toujours à jour" -----------------------------
#
# The body of an edit is checked by the web page's own form (PlaceEditForm), so the rules and
# the French messages are the same on both sides; only the shape of the values differs (JSON
# lists instead of lines of text and checkboxes).

TEXT_LIST_FIELDS = {"emails", "websites"}  # one value per line in the form
LIST_HELP = {  # the form's help speaks of lines
    "emails": _l("Cinq au plus, publiques : elles figurent aussi dans les données ouvertes."),
    "websites": _l("Cinq au plus, chacun commençant par https://"),
}


def _field_schema(name: str) -> dict:
    if name in CODE_LIST_FIELDS:
        choices, label = CODE_LIST_FIELDS[name]
        return {
            "type": "array",
            "items": {"type": "string", "enum": list(choices.values)},
            "description": f"{label}. Codes : {', '.join(choices.values)}.",
        }
    field = PlaceEditForm.base_fields[name]
    help_text = f" {field.help_text}" if field.help_text else ""
    if name in TEXT_LIST_FIELDS:
        return {
            "type": "array",
            "items": {"type": "string"},
            "maxItems": 5,
            "description": f"{field.label}. {LIST_HELP[name]}",
        }
    if name == "guidasso_level":
        return {
            "anyOf": [{"type": "integer", "enum": list(v.GuidassoLevel.values)}, {"type": "null"}],
            "description": f"{field.label} (1, 2, 3 ou null).",
        }
    schema = {"type": "string", "description": f"{field.label}.{help_text}"}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return schema


def _document_editable_fields(schema: dict, *_args) -> None:
    # The body is read by the form, not by pydantic (type errors must be 422 by field like
    # the form's own): the documented properties are derived from the form, field by field.
    schema["properties"] = {name: _field_schema(name) for name in services.EDITABLE_FIELDS}
    schema["additionalProperties"] = False


class PlaceEditIn(BaseModel):
    # A plain pydantic model: ninja's Schema reads objects' attributes and drops extras.
    model_config = ConfigDict(extra="allow", json_schema_extra=_document_editable_fields)


class ChangeOut(Schema):
    before: Any
    after: Any


class PlaceEditOut(Schema):
    id: int
    place: str
    status: str
    status_label: str
    changes: dict[str, ChangeOut]
    submitted_at: str | None
    moderation_reason: str | None
    url: str


class ConfirmOut(Schema):
    place: str
    last_confirmed_at: str


EDIT_EXAMPLE = {
    "id": 31,
    "place": "mediatheque-angouleme",
    "status": "submitted",
    "status_label": "En attente de modération",
    "changes": {
        "opening_hours": {"before": "Tu-Sa 10:00-18:00", "after": "Tu-Sa 10:00-19:00; PH off"},
        "phone": {"before": "+33545000000", "after": "+33545000001"},
    },
    "submitted_at": "2025-03-14T10:12:00+00:00",
    "moderation_reason": None,
    "url": "https://ressourcerie.example.org/api/v1/places/mediatheque-angouleme/edits/31",
}


def _unprocessable(message, details=None) -> v1.ApiError:
    return v1.ApiError(422, message, code="validation_error", details=details)


class _BadValue(Exception):
    pass


def _is_text(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")  # a lone surrogate ("\ud800") is valid JSON, not storable text
    except UnicodeEncodeError:
        return False
    return True


def _form_value(name: str, value):
    """A JSON value as the web form receives it (lines of text, list of checked codes)."""
    if name in CODE_LIST_FIELDS or name in TEXT_LIST_FIELDS:
        if value is None:
            value = []
        if not isinstance(value, list) or not all(_is_text(item) for item in value):
            raise _BadValue(_("Envoyez une liste de textes."))
        if name in CODE_LIST_FIELDS:
            return value
        if any("\n" in item or "\r" in item for item in value):
            raise _BadValue(_("Une adresse par élément de la liste, sans retour à la ligne."))
        return "\n".join(value)
    if name == "guidasso_level":
        if value is None:
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if _is_text(value):
            return value
        raise _BadValue(
            _("Envoyez un niveau parmi %(levels)s, ou null.")
            % {"levels": ", ".join(str(level) for level in v.GuidassoLevel.values)}
        )
    if value is None:
        return ""
    if not _is_text(value):
        raise _BadValue(_("Saisissez un texte."))
    return value


def _current_form_data(place) -> dict:
    """What the web form shows for ``place``: its initial values as submitted data."""
    data = {}
    for name, value in PlaceEditForm(place=place).initial.items():
        if name in CODE_LIST_FIELDS:
            offered = CODE_LIST_FIELDS[name][0].values
            # As the checkboxes do: codes the form does not offer are kept by changes().
            data[name] = [code for code in value if code in offered]
        else:
            data[name] = "" if value is None else value
    return data


def _safe_key(name: str) -> str:
    # Unknown names are echoed in the error; a lone surrogate would break the response.
    return name.encode("utf-8", "backslashreplace").decode("utf-8")[:100]


def _validated_changes(place, sent: dict) -> dict:
    """The sent fields, cleaned by the web form, in the place's storage; raises a 422."""
    if not sent:
        raise _unprocessable(
            _("Aucune modification : envoyez au moins un des champs modifiables de la fiche.")
        )
    errors: dict[str, list[str]] = {}
    unknown = [name for name in sent if name not in services.EDITABLE_FIELDS]
    for name in unknown:
        errors[_safe_key(name)] = [
            _("Ce champ est inconnu ou ne peut pas être modifié. Champs modifiables : %(fields)s.")
            % {"fields": ", ".join(services.EDITABLE_FIELDS)}
        ]
    data = _current_form_data(place)
    for name, value in sent.items():
        if name in unknown:
            continue
        try:
            data[name] = _form_value(name, value)
        except _BadValue as error:
            errors[name] = [str(error)]
    form = PlaceEditForm(data, place=place)
    form.is_valid()
    for name, messages in form.errors.items():
        # Only what was sent: a value stored before today's rules is left as it is.
        if name in sent and name not in errors:
            errors[name] = [str(m) for m in messages]
        elif name == "__all__":
            errors["body"] = [str(m) for m in messages]
    if errors:
        if unknown:
            message = _("Champ inconnu ou non modifiable : %(fields)s.") % {
                "fields": ", ".join(_safe_key(name) for name in unknown)
            }
        else:
            message = _("Valeur refusée pour : %(fields)s.") % {"fields": ", ".join(errors)}
        raise _unprocessable(message, details=errors)
    changes = form.changes()
    return {name: changes[name] for name in sent}


def _api_value(name: str, value):
    if name in CODE_LIST_FIELDS:
        return v.decode(value or "")
    return value


def edit_to_dict(request, edit) -> dict:
    status = ModerationStatus(edit.moderation_status)
    decided = status in {ModerationStatus.CHANGES_REQUESTED, ModerationStatus.REJECTED}
    path = reverse("api:place_edit", kwargs={"ident": edit.place.slug, "edit_id": edit.pk})
    return {
        "id": edit.pk,
        "place": edit.place.slug,
        "status": status.value,
        "status_label": str(status.label),
        "changes": {
            name: {
                "before": _api_value(name, edit.previous.get(name)),
                "after": _api_value(name, after),
            }
            for name, after in edit.changes.items()
        },
        "submitted_at": edit.submitted_at.isoformat() if edit.submitted_at else None,
        "moderation_reason": edit.moderation_reason if decided else None,
        "url": request.build_absolute_uri(path),
    }


def _editable_place(request, ident: str):
    place = _place(ident)
    if not permissions.can_edit_place(request.auth.user, place):
        raise v1.ApiError(
            403,
            _(
                "Seuls les éditeurs de la structure qui gère ce lieu, et l'équipe de la "
                "plateforme, peuvent modifier sa fiche. Pour la gérer, demandez-le depuis "
                "la page du lieu (« Vous gérez ce lieu ? »)."
            ),
        )
    return place


@router.post(
    "/places/{ident}/edits",
    response={201: PlaceEditOut, 202: PlaceEditOut},
    auth=v1.token_auth,
    summary="Proposer une modification de la fiche d'un lieu",
    description=(
        "Réservé aux éditeurs de la structure qui gère le lieu (après une demande de gestion "
        "acceptée) et à l'équipe de la plateforme. Envoyez seulement les champs à changer ; "
        "ils sont vérifiés comme sur le formulaire du site (mêmes règles, mêmes messages). "
        "Listes (courriels, sites, codes) : la nouvelle liste complète ; `null` ou une valeur "
        "vide efface le champ. La modification est relue par l'équipe : réponse 202, statut "
        "`submitted`, appliquée à la fiche une fois publiée. Celle d'un membre de l'équipe est "
        "publiée et appliquée aussitôt : réponse 201, statut `published`. Champ inconnu, "
        "valeur refusée ou aucun changement : 422 avec le détail par champ."
    ),
    openapi_extra=v1.example(
        path="/api/v1/places/mediatheque-angouleme/edits",
        errors=[422],
        body={"opening_hours": "Tu-Sa 10:00-19:00; PH off", "phone": "05 45 00 00 01"},
        response=EDIT_EXAMPLE,
        status=202,
    ),
)
def propose_edit(request, ident: Ident, payload: PlaceEditIn):
    place = _editable_place(request, ident)
    data = _validated_changes(place, payload.model_extra or {})
    # The same limits as the website's form: an edit lands in the team's queue.
    if wait := LIMITS.check_contribution(request, "edit", user=request.auth.user):
        raise RateLimited(wait)
    try:
        edit = services.propose_place_edit(place=place, user=request.auth.user, data=data)
    except services.DirectoryError:
        raise _unprocessable(
            _("Aucune modification : les valeurs envoyées sont déjà celles de la fiche.")
        ) from None
    published = edit.moderation_status == ModerationStatus.PUBLISHED
    return Status(201 if published else 202, edit_to_dict(request, edit))


@router.get(
    "/places/{ident}/edits/{edit_id}",
    response=PlaceEditOut,
    auth=v1.token_auth,
    url_name="place_edit",
    summary="Suivre une modification proposée",
    description=(
        "Pour son auteur et l'équipe de la plateforme (404 pour toute autre personne). "
        "Statuts : submitted (en attente), published (appliquée à la fiche), "
        "changes_requested ou rejected (avec le motif de l'équipe dans "
        "`moderation_reason`), withdrawn (retirée)."
    ),
    openapi_extra=v1.example(
        path="/api/v1/places/mediatheque-angouleme/edits/31",
        response={
            **EDIT_EXAMPLE,
            "status": "changes_requested",
            "status_label": "Modifications demandées",
            "moderation_reason": "Le lieu ferme à 18 h d'après la mairie : pouvez-vous vérifier ?",
        },
    ),
)
def get_edit(
    request,
    ident: Ident,
    edit_id: Annotated[int, Path(ge=1, le=2**53, description="Numéro de la modification.")],
):
    place = _place(ident)
    edit = selectors.place_edit(place=place, pk=edit_id)
    if edit is None or not permissions.can_see_place_edit(request.auth.user, edit):
        # The same answer whether it does not exist or is someone else's.
        raise v1.ApiError(
            404, _("Vous n'avez proposé aucune modification de ce lieu sous ce numéro.")
        )
    return edit_to_dict(request, edit)


@router.post(
    "/places/{ident}/confirm",
    response=ConfirmOut,
    auth=v1.token_auth,
    summary="Confirmer que la fiche d'un lieu est à jour",
    description=(
        "« Toujours à jour » : la personne qui gère le lieu (ou l'équipe) atteste que la fiche "
        "est juste, sans rien changer. Mêmes droits que pour proposer une modification. "
        "Repousse les rappels de mise à jour ; renvoie la date de dernière confirmation."
    ),
    openapi_extra=v1.example(
        path="/api/v1/places/mediatheque-angouleme/confirm",
        response={
            "place": "mediatheque-angouleme",
            "last_confirmed_at": "2025-03-14T10:12:00+00:00",
        },
    ),
)
def confirm_place(request, ident: Ident):
    place = _editable_place(request, ident)
    services.confirm_place(place=place, by=request.auth.user)
    return {
        "place": place.slug,
        "last_confirmed_at": selectors.last_confirmed_at(place).isoformat(),
    }


v1.add_router("/", router)
