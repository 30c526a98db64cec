"""Registries for the rights of access and erasure (RGPD articles 15 and 17).

Every app that stores data about a person registers, in its ``AppConfig.ready``:

- an export provider: ``register("toolbox", provider)`` where ``provider(user)`` returns
  JSON-serialisable data (dates are fine: the export uses DjangoJSONEncoder);
- an erasure step: ``register_erasure(step)`` where ``step(user)`` deletes or anonymises what
  the app holds about the person. Steps run inside the deletion transaction, before the user
  row is deleted (foreign keys to users in shared content are SET_NULL).
"""

from collections.abc import Callable
from typing import Any

Provider = Callable[[Any], Any]
ErasureStep = Callable[[Any], None]

_providers: dict[str, Provider] = {}
_erasure_steps: list[ErasureStep] = []


def register(name: str, provider: Provider) -> None:
    """Add (or replace) the export section ``name``."""
    _providers[name] = provider


def register_erasure(step: ErasureStep) -> None:
    if step not in _erasure_steps:
        _erasure_steps.append(step)


def providers() -> dict[str, Provider]:
    return dict(_providers)


def collect(user) -> dict[str, Any]:
    """Everything the platform holds about ``user``, one section per registered provider."""
    return {name: provider(user) for name, provider in sorted(_providers.items())}


def run_erasure_steps(user) -> None:
    for step in list(_erasure_steps):
        step(user)


# --- The data of accounts and core ----------------------------------------------------


def accounts_data(user) -> dict[str, Any]:
    from .models import ApiToken, Invitation

    return {
        "utilisateur": {
            "id": user.pk,
            "adresse_e_mail": user.email,
            "nom_affiche": user.display_name,
            "inscrit_le": user.date_joined,
            "adresse_confirmee_le": user.email_confirmed_at,
            "derniere_connexion": user.last_login,
            "actif": user.is_active,
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
    from ressourcerie.core.models import ModerationTransition, Organisation

    return {
        "organisations_creees": [
            {"id": o.pk, "nom": o.name, "type": o.kind, "creee_le": o.created_at}
            for o in Organisation.objects.filter(created_by=user).order_by("created_at")
        ],
        "organisations_verifiees": [
            {"id": o.pk, "nom": o.name, "verifiee_le": o.verified_at}
            for o in Organisation.objects.filter(verified_by=user).order_by("verified_at")
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


register("compte", accounts_data)
register("organisations_et_moderation", core_data)
