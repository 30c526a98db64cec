"""Registries for the rights of access and erasure (RGPD articles 15 and 17).

Each app that stores data about a person has one ``personal_data.py`` and calls, from its
``AppConfig.ready`` (through its ``registrations.py`` where it has one)::

    personal_data.declare(
        "dons_d_ordinateurs",
        export=export,              # export(user) -> JSON-serialisable data
        erase=erase,                # erase(user): deletes or anonymises what the app holds
        fields=[
            personal_data.Held("donations.Offer", ["address", "notes"], BLANKED),
            ...
        ],
    )

``fields`` names every model field that holds a person's data and what erasure does to it;
``tests/accounts/test_personal_data_fields.py`` walks every model and fails on a field that
looks personal and is neither declared here nor listed there as not personal (with a reason).
Export providers return data that DjangoJSONEncoder can write (dates are fine). Erasure steps
run inside the deletion transaction, before the user row is deleted (foreign keys to users in
shared content are SET_NULL).
"""

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ressourcerie.core.contact.services import delete_messages_from
from ressourcerie.core.emails import drop_held_addresses
from ressourcerie.core.models import ModerationTransition, Organisation, OrganisationCorrection
from ressourcerie.core.organisations.services import delete_corrections_by

from .models import ApiToken, Invitation

Provider = Callable[[Any], Any]
ErasureStep = Callable[[Any], None]


class Erasure(enum.Enum):
    """What erasing the account does to a field."""

    DELETED = "the row is deleted"
    BLANKED = "the field is emptied, the row stays"
    ANONYMISED = "the field is replaced by a neutral value, the row stays"
    KEPT = "kept, detached from the person: shared content others need (say why in note)"


DELETED = Erasure.DELETED
BLANKED = Erasure.BLANKED
ANONYMISED = Erasure.ANONYMISED
KEPT = Erasure.KEPT


@dataclass(frozen=True)
class Held:
    """Fields of one model ("app_label.ModelName") that hold a person's data."""

    model: str
    fields: tuple[str, ...]
    erasure: Erasure
    note: str = ""

    def __init__(self, model: str, fields: Iterable[str], erasure: Erasure, note: str = ""):
        if erasure is KEPT and not note:
            raise ValueError(f"{model}: say why kept fields stay")
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "fields", tuple(fields))
        object.__setattr__(self, "erasure", erasure)
        object.__setattr__(self, "note", note)


_providers: dict[str, Provider] = {}
_erasure_steps: list[ErasureStep] = []
_held: dict[str, tuple[Held, ...]] = {}


def declare(
    name: str,
    *,
    export: Provider,
    erase: ErasureStep | None = None,
    fields: Iterable[Held] = (),
) -> None:
    """Register the export section ``name``, its erasure step and the fields it covers."""
    register(name, export)
    if erase is not None:
        register_erasure(erase)
    _held[name] = tuple(fields)


def register(name: str, provider: Provider) -> None:
    """Add (or replace) the export section ``name``."""
    _providers[name] = provider


def register_erasure(step: ErasureStep) -> None:
    if step not in _erasure_steps:
        _erasure_steps.append(step)


def providers() -> dict[str, Provider]:
    return dict(_providers)


def declared_fields() -> dict[tuple[str, str], tuple[str, Held]]:
    """Every declared (model label, field name) → (export section, declaration)."""
    found = {}
    for section, held in _held.items():
        for item in held:
            for field_name in item.fields:
                found[(item.model, field_name)] = (section, item)
    return found


def collect(user) -> dict[str, Any]:
    """Everything the platform holds about ``user``, one section per registered provider."""
    return {name: provider(user) for name, provider in sorted(_providers.items())}


def run_erasure_steps(user) -> None:
    for step in list(_erasure_steps):
        step(user)


# --- The data of accounts and core ----------------------------------------------------


def accounts_data(user) -> dict[str, Any]:
    return {
        "utilisateur": {
            "id": user.pk,
            "adresse_e_mail": user.email,
            "nom_affiche": user.display_name,
            "inscrit_le": user.date_joined,
            "adresse_confirmee_le": user.email_confirmed_at,
            "derniere_connexion": user.last_login,
            "actif": user.is_active,
            "invitations_aux_evenements_du_plan": user.event_invitations_opt_in,
            "equipe_de_la_plateforme": user.is_staff,
            "super_administrateur": user.is_superuser,
            "mot_de_passe_defini": user.has_usable_password(),
        },
        "roles": [
            {
                "role": m.role,
                "role_libelle": str(m.get_role_display()),
                "organisation": (
                    {"id": m.organisation_id, "nom": m.organisation.name}
                    if m.organisation_id
                    else None
                ),
                "depuis": m.created_at,
            }
            for m in user.memberships.select_related("organisation").order_by("created_at")
        ],
        "invitations_envoyees": [
            {
                "organisation": inv.organisation.name,
                "adresse_e_mail": inv.email,
                "role": inv.role,
                "envoyee_le": inv.created_at,
                "acceptee_le": inv.accepted_at,
            }
            for inv in Invitation.objects.filter(invited_by=user)
            .select_related("organisation")
            .order_by("created_at")
        ],
        "invitations_recues": [
            {
                "organisation": inv.organisation.name,
                "role": inv.role,
                "recue_le": inv.created_at,
                "acceptee_le": inv.accepted_at,
            }
            for inv in Invitation.objects.filter(email__iexact=user.email)
            .select_related("organisation")
            .order_by("created_at")
        ],
        "jetons_api": [
            {
                "nom": t.name,
                "prefixe": t.prefix,
                "cree_le": t.created_at,
                "derniere_utilisation": t.last_used_at,
                "revoque_le": t.revoked_at,
            }
            for t in ApiToken.objects.filter(user=user).order_by("created_at")
        ],
        "codes_de_connexion_en_base": user.login_codes.count(),
    }


def core_data(user) -> dict[str, Any]:
    return {
        "organisations_creees": [
            {"id": o.pk, "nom": o.name, "type": o.kind, "creee_le": o.created_at}
            for o in Organisation.objects.filter(created_by=user).order_by("created_at")
        ],
        "organisations_verifiees": [
            {"id": o.pk, "nom": o.name, "verifiee_le": o.verified_at}
            for o in Organisation.objects.filter(verified_by=user).order_by("verified_at")
        ],
        "corrections_proposees": [
            {
                "organisation": c.organisation.name,
                "message": c.message,
                "statut": c.moderation_status,
                "le": c.created_at,
            }
            for c in OrganisationCorrection.objects.filter(submitted_by=user)
            .select_related("organisation")
            .order_by("created_at")
        ],
        "decisions_de_moderation": [
            {
                "contenu": f"{t.content_type.app_label}.{t.content_type.model}",
                "identifiant": t.object_id,
                "de": t.from_status,
                "vers": t.to_status,
                "motif": t.reason,
                "le": t.created_at,
            }
            for t in ModerationTransition.objects.filter(actor=user)
            .select_related("content_type")
            .order_by("created_at")
        ],
    }


def erase_core_data(user) -> None:
    delete_corrections_by(user=user)
    drop_held_addresses(user.email)
    delete_messages_from(email=user.email)


def declare_accounts_and_core() -> None:
    """The sections of accounts and of core (core imports no other app, so accounts declares
    its data); called from accounts' registrations."""
    # accounts' own rows are deleted by services.delete_account, which also clears the traces
    # the framework keeps (sessions, the admin's log, finished e-mail tasks).
    declare(
        "compte",
        export=accounts_data,
        fields=[
            Held(
                "accounts.User",
                ["email", "display_name", "password", "event_invitations_opt_in"],
                DELETED,
            ),
            Held("accounts.Invitation", ["email"], DELETED, "sent and received invitations"),
            Held("accounts.ApiToken", ["name"], DELETED),
        ],
    )
    declare(
        "organisations_et_moderation",
        export=core_data,
        erase=erase_core_data,
        fields=[
            Held("core.OrganisationCorrection", ["message"], DELETED),
            Held(
                "core.HeldAddress",
                ["address"],
                DELETED,
                "an address typed for one e-mail, kept until it is sent (a day at most)",
            ),
            Held(
                "core.ContactMessage",
                ["name", "email", "subject", "message"],
                DELETED,
                "a message to the team, kept until it is relayed by e-mail (a day at most)",
            ),
            Held(
                "core.OrganisationVerification",
                ["actor"],
                KEPT,
                "the check stays in the association's history; who made it is nulled",
            ),
            Held(
                "core.Organisation",
                ["created_by", "verified_by"],
                KEPT,
                "the association stays; who created or verified it is nulled (SET_NULL)",
            ),
            Held(
                "core.ModerationTransition",
                ["actor"],
                KEPT,
                "the decision stays in the history; who took it is nulled (SET_NULL)",
            ),
        ],
    )
