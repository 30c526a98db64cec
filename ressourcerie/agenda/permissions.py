"""Who may see and do what in the agenda. Used by views, the API and templates alike."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.accounts.models import Role
from ressourcerie.accounts.permissions import has_role
from ressourcerie.core.permissions import can_moderate
from ressourcerie.core.refusals import Action, Refusal, role_refusal
from ressourcerie.directory import selectors as directory

from .models import Publication, RegistrationStatus


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def organiser_structures(user):
    """The support structures whose events ``user`` may publish (they edit them)."""
    return directory.support_structures_edited_by(user)


def can_create_event(user) -> bool:
    return _signed_in(user) and (can_moderate(user) or organiser_structures(user).exists())


def create_refusal() -> Refusal:
    """Publishing needs a structure of the directory: which role, who grants it, the way in."""
    refusal = role_refusal(Role.EDITOR)
    refusal.title = _("Seules les structures d'accompagnement publient des événements")
    refusal.situation = _(
        "Un événement est publié au nom d'un lieu ou d'une structure de l'annuaire, par l'un "
        "de ses éditeurs. Votre compte n'en gère aucun."
    )
    refusal.how_to_ask = _(
        "Trouvez votre lieu dans l'annuaire et demandez à gérer sa fiche (un code est envoyé "
        "à son adresse publiée), ou demandez à un éditeur de votre structure de vous inviter."
    )
    refusal.actions = [
        Action(_("Trouver votre lieu dans l'annuaire"), reverse("directory:near"), True),
        *refusal.actions,
    ]
    return refusal


def can_edit_event(user, event) -> bool:
    """The team, and editors of the organising structure (never another structure's)."""
    if not _signed_in(user):
        return False
    return can_moderate(user) or has_role(user, Role.EDITOR, organisation=event.organiser)


def can_see_event(user, event) -> bool:
    return event.publication == Publication.PUBLISHED or can_edit_event(user, event)


def can_moderate_events(user) -> bool:
    return can_moderate(user)


def can_see_online_link(user, event) -> bool:
    """Registered people and the organisers; nobody else learns the link."""
    if can_edit_event(user, event):
        return True
    return (
        _signed_in(user)
        and event.registrations.filter(user=user, status=RegistrationStatus.REGISTERED).exists()
    )
