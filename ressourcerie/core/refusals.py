"""Refusals that say where a person stands: the one way a page refused for a missing role
or state answers (rendered by ``core.views.permission_denied`` with ``templates/403.html``).

A view raises ``Refusal`` (a ``PermissionDenied``) built here: which role or state is
missing, who grants it, how to ask, and the next steps as links — never a generic "ask an
administrator". ``team_required`` raises ``team_refusal()``; a page for verified
associations raises ``verified_association_refusal(user, next_url)``; a page for a role
held in an organisation raises ``role_refusal(Role.…, next_url)``.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Organisation, OrganisationKind, VerificationStatus
from .organisations import selectors as organisation_selectors
from .roles import Role


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    primary: bool = False


@dataclass
class Refusal(PermissionDenied):
    """A 403 that names what is missing, who grants it and how to ask."""

    title: str
    situation: str
    missing: str = ""
    granted_by: str = ""
    how_to_ask: str = ""
    details: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    def __post_init__(self):
        super().__init__(self.title)


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _contact() -> Action:
    return Action(_("Écrire à l'équipe de la plateforme"), reverse("core:contact"))


def team_refusal() -> Refusal:
    return Refusal(
        title=_("Page réservée à l'équipe de la plateforme"),
        situation=_(
            "Cette page sert aux personnes qui animent la plateforme : modération, "
            "vérification des associations, suivi des dons."
        ),
        missing=_("Le rôle de modérateur ou d'administrateur de la plateforme."),
        granted_by=_("Les administrateurs de la plateforme."),
        how_to_ask=_(
            "Si vous rejoignez l'équipe, écrivez-lui en indiquant l'adresse de votre compte."
        ),
        actions=[_contact()],
    )


ROLE_TEXTS = {
    Role.MEMBER: (
        _("Être membre d'une association inscrite sur la plateforme."),
        _("Les membres de l'association : ils vous invitent depuis sa page."),
        _(
            "Demandez à un membre de vous inviter, ou inscrivez votre association si elle "
            "ne l'est pas encore."
        ),
    ),
    Role.EDITOR: (
        _("Être éditeur d'une structure d'accompagnement inscrite sur la plateforme."),
        _("Les éditeurs de la structure : ils vous invitent depuis sa page."),
        _("Demandez à un éditeur de vous inviter, ou inscrivez votre structure."),
    ),
    Role.REFURBISHER: (
        _("Le rôle de reconditionneur, donné à une structure qui remet en état des ordinateurs."),
        _("L'équipe de la plateforme, après avoir vérifié la structure."),
        _("Écrivez à l'équipe en présentant votre structure et la zone où vous intervenez."),
    ),
    Role.REVIEWER: (
        _("Le rôle de relecteur du fonds d'accompagnement."),
        _("L'équipe de la plateforme."),
        _("Écrivez à l'équipe si vous participez à l'instruction des dossiers."),
    ),
}


def role_refusal(role, next_url: str = "") -> Refusal:
    """A page for a role this person does not hold: which one, who grants it, how to ask."""
    if role not in ROLE_TEXTS:
        return team_refusal()
    missing, granted_by, how_to_ask = ROLE_TEXTS[role]
    actions = [_contact()]
    if role == Role.MEMBER:
        actions = [
            Action(
                _("Inscrire votre association"),
                _with_next("core:organisation_create", next_url),
                primary=True,
            ),
            Action(_("Voir les associations inscrites"), reverse("core:organisation_list")),
        ]
    elif role == Role.EDITOR:
        actions = [
            Action(_("Voir les structures inscrites"), reverse("core:organisation_list")),
            _contact(),
        ]
    return Refusal(
        title=_("Il vous manque un rôle pour ouvrir cette page"),
        situation=_("Votre compte n'a pas encore le rôle que cette page demande."),
        missing=missing,
        granted_by=granted_by,
        how_to_ask=how_to_ask,
        actions=actions,
    )


WHAT_THE_TEAM_CHECKS = [
    _("le numéro RNA ou SIREN de l'association ;"),
    _("qu'au moins un membre a confirmé son adresse e-mail ;"),
    _("le site web de l'association, s'il y en a un."),
]


def _associations_of(user):
    if not (user and user.is_authenticated):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=OrganisationKind.ASSOCIATION,
        memberships__user=user,
        memberships__role=Role.MEMBER,
    ).order_by("created_at", "pk")


def verified_association_refusal(user, next_url: str = "") -> Refusal:
    """A page for members of a verified association: no association yet, or one waiting for
    (or missing something for) the team's verification — each with its way forward."""
    associations = list(_associations_of(user).distinct())
    if not associations:
        refusal = role_refusal(Role.MEMBER, next_url)
        refusal.title = _("Cette démarche est réservée aux associations vérifiées")
        refusal.missing = _(
            "Être membre d'une association inscrite sur la plateforme et vérifiée par l'équipe."
        )
        refusal.granted_by = _(
            "Vous, en inscrivant votre association (ou un de ses membres, en vous invitant) ; "
            "puis l'équipe de la plateforme, qui la vérifie."
        )
        refusal.situation = _(
            "Votre compte n'est rattaché à aucune association. Inscrivez la vôtre : vous "
            "reviendrez ici ensuite, et l'équipe la vérifiera. Si elle est déjà inscrite, "
            "demandez à l'un de ses membres de vous inviter."
        )
        return refusal
    incomplete = [a for a in associations if a.verification_status == VerificationStatus.INCOMPLETE]
    if incomplete:
        association = incomplete[0]
        step = organisation_selectors.last_step(association)
        return Refusal(
            title=_("L'équipe attend une information pour vérifier votre association"),
            situation=_(
                "L'équipe n'a pas encore pu vérifier « %(name)s » : il manque une information."
            )
            % {"name": association.name},
            missing=step.reason if step is not None else "",
            granted_by=_("L'équipe de la plateforme vérifie chaque association."),
            how_to_ask=_(
                "Complétez la page de l'association : elle revient aussitôt dans la liste de "
                "l'équipe, qui vous écrit dès qu'elle est vérifiée."
            ),
            actions=[
                Action(
                    _("Compléter la page de l'association"),
                    reverse("core:organisation_edit", args=[association.slug]),
                    primary=True,
                ),
                _contact(),
            ],
        )
    association = associations[0]
    since = timezone.localtime(organisation_selectors.waiting_since(association))
    return Refusal(
        title=_("Votre association est en attente de vérification"),
        situation=_(
            "« %(name)s » attend la vérification de l'équipe depuis le %(date)s. Dès qu'elle "
            "est vérifiée, vous recevez un courriel et pouvez revenir sur cette page."
        )
        % {"name": association.name, "date": date_format(since, "j F Y")},
        missing=_("La vérification de l'association par l'équipe de la plateforme."),
        granted_by=_("L'équipe de la plateforme."),
        how_to_ask=_(
            "Rien à faire de plus : la vérification prend habituellement %(days)s jours "
            "ouvrés. Vous pouvez compléter la page de l'association en attendant."
        )
        % {"days": organisation_selectors.USUAL_DELAY_DAYS},
        details=[str(d) for d in WHAT_THE_TEAM_CHECKS],
        actions=[
            Action(_("Voir la page de l'association"), association.get_absolute_url(), True),
            _contact(),
        ],
    )


def organisation_member_refusal(organisation) -> Refusal:
    """A page for the members of one organisation (edit it, invite people)."""
    structure = organisation.kind == OrganisationKind.SUPPORT_STRUCTURE
    return Refusal(
        title=_("Page réservée aux membres de « %(name)s »") % {"name": organisation.name},
        situation=_("Votre compte ne fait pas partie de cette organisation."),
        missing=_("Être éditeur de cette structure.")
        if structure
        else _("Être membre de cette association."),
        granted_by=_("Ses membres actuels : ils vous invitent depuis sa page."),
        how_to_ask=_(
            "Demandez à l'un d'eux de vous inviter. Si une information de sa page est fausse, "
            "vous pouvez la signaler à l'équipe."
        ),
        actions=[
            Action(_("Voir sa page"), organisation.get_absolute_url(), primary=True),
            Action(
                _("Signaler une erreur"),
                reverse("core:organisation_correction", args=[organisation.slug]),
            ),
        ],
    )
