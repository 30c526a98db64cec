"""Who may do what in the directory. Used by views, the API and templates alike;
``edit_refusal`` says why not and what to do instead (``core.refusals``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.accounts.models import Role
from ressourcerie.accounts.permissions import has_role, organisations_for
from ressourcerie.core.models import OrganisationKind
from ressourcerie.core.permissions import can_moderate
from ressourcerie.core.refusals import Action, Refusal

from .models import PlaceClaim


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_place_editor(user, place) -> bool:
    """An editor of the support structure that manages the place (its claimed owner)."""
    if not _signed_in(user) or place.organisation_id is None:
        return False
    return has_role(user, Role.EDITOR, organisation=place.organisation)


def can_edit_place(user, place) -> bool:
    return can_moderate(user) or is_place_editor(user, place)


def can_see_place_edit(user, edit) -> bool:
    """Its author and the team; nobody else learns that an edit exists."""
    if not _signed_in(user):
        return False
    return edit.submitted_by_id == user.pk or can_moderate(user)


def can_claim_place(user, place) -> bool:
    """Any signed-in person may ask; those who already edit it need not."""
    return _signed_in(user) and not is_place_editor(user, place)


def can_move_claim(user, claim, to_status, *, code_proven: bool = False) -> bool:
    """The team decides any claim; the claimer approves their own by typing the code sent
    to the listing's published address (``code_proven``), and nothing else."""
    if code_proven:
        return (
            _signed_in(user)
            and claim.user_id == user.pk
            and to_status == PlaceClaim.Status.APPROVED
        )
    return can_moderate(user)


def associations_writing_as(user):
    """The associations on whose behalf ``user`` may write to an actor (any role in them)."""
    return organisations_for(user).filter(kind=OrganisationKind.ASSOCIATION)


def can_write_to_place(user) -> bool:
    return _signed_in(user) and associations_writing_as(user).exists()


def is_structure_editor(user, organisation) -> bool:
    """An editor of this support structure (sees "Mes fiches" from its page)."""
    if not _signed_in(user):
        return False
    return has_role(user, Role.EDITOR, organisation=organisation)


def edit_refusal(place) -> Refusal:
    """A listing only its structure's editors (and the team) change: who they are, how to
    join them or claim the listing, and how to report a mistake meanwhile."""
    claim = Action(_("Demander à gérer cette fiche"), reverse("directory:claim", args=[place.slug]))
    report = Action(_("Signaler une erreur"), reverse("directory:report", args=[place.slug]))
    if place.organisation_id is None:
        return Refusal(
            title=_("Cette fiche n'est encore gérée par aucune structure"),
            situation=_(
                "« %(place)s » vient d'une source ouverte : personne ne la gère encore sur la "
                "plateforme."
            )
            % {"place": place.name},
            missing=_("Gérer la fiche, comme éditeur de la structure qui tient ce lieu."),
            granted_by=_(
                "Vous-même, avec un code envoyé à l'adresse publiée du lieu, ou l'équipe de la "
                "plateforme."
            ),
            how_to_ask=_(
                "Demandez à gérer la fiche. Pour une simple erreur, signalez-la : l'équipe la "
                "corrige."
            ),
            actions=[Action(claim.label, claim.url, primary=True), report],
        )
    organisation = place.organisation
    return Refusal(
        title=_("Page réservée aux éditeurs de « %(name)s »") % {"name": organisation.name},
        situation=_("« %(place)s » est gérée par « %(name)s ».")
        % {"place": place.name, "name": organisation.name},
        missing=_("Être éditeur de « %(name)s ».") % {"name": organisation.name},
        granted_by=_("Les éditeurs de la structure : ils vous invitent depuis sa page."),
        how_to_ask=_(
            "Demandez à l'un d'eux de vous inviter. Si la structure a changé, demandez à gérer "
            "la fiche : l'équipe tranche. Pour une simple erreur, signalez-la."
        ),
        actions=[
            Action(_("Voir la page de la structure"), organisation.get_absolute_url(), True),
            claim,
            report,
        ],
    )
