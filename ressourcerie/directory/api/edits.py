"""The managers' writes: proposed edits of a listing (moderated) and "toujours à jour".

The body of an edit is checked by the web page's own form (PlaceEditForm), so the rules and
the French messages are the same on both sides; only the shape of the values differs (JSON
lists instead of lines of text and checkboxes).
"""

from typing import Annotated, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from ninja import Path, Schema, Status
from pydantic import BaseModel, ConfigDict

from ressourcerie.api import v1
from ressourcerie.api.auth import RateLimited
from ressourcerie.core.models import ModerationStatus

from .. import permissions, selectors, services
from .. import vocabulary as v
from ..forms import CODE_LIST_FIELDS, PlaceEditForm
from ..ratelimits import LIMITS
from .places import Ident, place_or_404
from .routes import OPERATION_PREFIX, router

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
    place = place_or_404(ident)
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
    operation_id=f"{OPERATION_PREFIX}propose_edit",
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
    operation_id=f"{OPERATION_PREFIX}get_edit",
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
    place = place_or_404(ident)
    edit = selectors.place_edit(place=place, pk=edit_id)
    if edit is None or not permissions.can_see_place_edit(request.auth.user, edit):
        # The same answer whether it does not exist or is someone else's.
        raise v1.ApiError(
            404, _("Vous n'avez proposé aucune modification de ce lieu sous ce numéro.")
        )
    return edit_to_dict(request, edit)


@router.post(
    "/places/{ident}/confirm",
    operation_id=f"{OPERATION_PREFIX}confirm_place",
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
