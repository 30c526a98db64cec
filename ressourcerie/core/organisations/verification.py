"""The team's check of an organisation: a ``core.workflow.Machine`` over
``Organisation.verification_status``, its one transition function, the checklist the team
reads, and the e-mail the organisation's members get on each decision.

pending → verified | incomplete (the team decides, with a reason when something is missing);
incomplete → pending (a member completed the page) | verified.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import emails, identifiers
from ..errors import DomainError
from ..models import Organisation, OrganisationVerification, VerificationStatus
from ..permissions import can_verify_organisation, is_organisation_member
from ..roles import Role
from ..services import queue_email
from ..workflow import Machine, TransitionRecord

V = VerificationStatus


class VerificationError(DomainError):
    """A refused verification step (French ``message``)."""


VERIFICATION_MACHINE = Machine(
    states=VerificationStatus,
    moves={
        V.PENDING: {V.VERIFIED, V.INCOMPLETE},
        V.INCOMPLETE: {V.PENDING, V.VERIFIED},
        V.VERIFIED: set(),
    },
    error=VerificationError,
    noun=gettext_lazy("Cette organisation"),
)
TEAM_DECISIONS = {V.VERIFIED, V.INCOMPLETE}


def allowed_moves(organisation: Organisation, user) -> list:
    """The moves this person may make now (the team decides; members only send it back)."""
    moves = VERIFICATION_MACHINE.moves_from(organisation.verification_status)
    if can_verify_organisation(user, organisation):
        return moves
    if is_organisation_member(user, organisation):
        return [m for m in moves if m == V.PENDING]
    return []


def transition_verification(*, organisation: Organisation, to_status, actor, reason: str = ""):
    """The only place ``verification_status`` changes: locked, checked, recorded, e-mailed."""
    reason = (reason or "").strip()[:500]
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        VERIFICATION_MACHINE.check(current.verification_status, to_status)
        if to_status in TEAM_DECISIONS and not can_verify_organisation(actor, current):
            raise VerificationError(_("Seule l'équipe de la plateforme vérifie les organisations."))
        if to_status == V.PENDING and not (
            is_organisation_member(actor, current) or can_verify_organisation(actor, current)
        ):
            raise VerificationError(_("Seuls les membres de l'organisation peuvent faire cela."))
        if to_status == V.INCOMPLETE and not reason:
            raise VerificationError(
                _("Indiquez ce qui manque : le message est envoyé à l'association."),
                field="reason",
            )
        from_status = current.verification_status
        organisation.verification_status = to_status
        fields = ["verification_status", "updated_at"]
        if to_status == V.VERIFIED:
            organisation.verified_at = timezone.now()
            organisation.verified_by = TransitionRecord.actor_or_none(actor)
            fields += ["verified_at", "verified_by"]
        organisation.save(update_fields=fields)
        record = OrganisationVerification.objects.create(
            organisation=organisation,
            from_status=from_status,
            to_status=to_status,
            actor=TransitionRecord.actor_or_none(actor),
            reason=reason,
        )
        if to_status in TEAM_DECISIONS:
            queue_email(purpose="core.organisation_verification", ids={"step": record.pk})
    return organisation


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool
    detail: str = ""
    url: str = ""


def checklist(organisation: Organisation) -> list[Check]:
    """What the team checks before verifying, with what the platform already knows."""
    checks = []
    if organisation.rna:
        try:
            identifiers.normalize_rna(organisation.rna)
            checks.append(Check(_("Numéro RNA"), True, organisation.rna))
        except ValidationError as error:
            checks.append(Check(_("Numéro RNA"), False, " ".join(error.messages)))
    if organisation.siret or organisation.siren:
        number = organisation.siret or organisation.siren
        valid = (
            identifiers.siret_is_valid(organisation.siret)
            if organisation.siret
            else identifiers.luhn_valid(organisation.siren)
        )
        checks.append(
            Check(
                _("Numéro SIRET") if organisation.siret else _("Numéro SIREN"),
                valid,
                number if valid else _("%(n)s : clé de contrôle fausse") % {"n": number},
                f"https://annuaire-entreprises.data.gouv.fr/entreprise/{number[:9]}"
                if valid
                else "",
            )
        )
    if not (organisation.rna or organisation.siren or organisation.siret):
        checks.append(Check(_("Numéro RNA ou SIREN"), False, _("Aucun numéro indiqué.")))
    confirmed = organisation.memberships.filter(
        role__in=[Role.MEMBER, Role.EDITOR], user__email_confirmed_at__isnull=False
    ).exists()
    checks.append(
        Check(
            _("Adresse e-mail d'un membre confirmée"),
            confirmed,
            "" if confirmed else _("Aucun membre n'a encore confirmé son adresse."),
        )
    )
    if organisation.website:
        checks.append(
            Check(_("Site web"), True, _("À consulter : %(url)s") % {"url": organisation.website})
        )
    else:
        checks.append(Check(_("Site web"), True, _("Pas de site indiqué (facultatif).")))
    return checks


def verification_queue() -> QuerySet[Organisation]:
    """Organisations not verified yet, those waiting for the team first, oldest first."""
    return (
        Organisation.objects.filter(verified_at__isnull=True)
        .exclude(verification_status=V.VERIFIED)
        .select_related("commune__department")
        .order_by("-verification_status", "created_at", "pk")
    )


def pending_count() -> tuple[int, datetime | None]:
    """How many wait for the team, and since when the oldest waits (for /gestion/)."""
    queryset = Organisation.objects.filter(verified_at__isnull=True, verification_status=V.PENDING)
    row = queryset.aggregate(oldest=Min("created_at"))
    return queryset.count(), row["oldest"]


@emails.purpose("core.organisation_verification")
def verification_email(*, step: int) -> emails.Email | None:
    """The team's decision, to the organisation's members, rebuilt from the history row."""
    record = OrganisationVerification.objects.select_related("organisation").filter(pk=step)
    record = record.first()
    if record is None or record.to_status not in TEAM_DECISIONS:
        return None
    organisation = record.organisation
    to = sorted(
        set(
            organisation.memberships.filter(
                role__in=[Role.MEMBER, Role.EDITOR], user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
    if not to:
        return None
    verified = record.to_status == V.VERIFIED
    return emails.Email(
        to=to,
        subject=_("%(name)s est vérifiée") % {"name": organisation.name}
        if verified
        else _("%(name)s : il manque une information") % {"name": organisation.name},
        template="organisation_verification",
        context={
            "name": organisation.name,
            "verified": verified,
            "reason": record.reason,
            "url": emails.site_url(organisation.get_absolute_url()),
            "edit_url": emails.site_url(
                reverse("core:organisation_edit", args=[organisation.slug])
            ),
        },
    )
