"""Reserved events (``RegistrationMode.RESERVED``): only members of the chosen associations
(``Event.reserved_for``, e.g. a fund cohort) register, on behalf of their association. Such an
event is in no public list, feed, API answer nor search; its page is visible to those members,
its organisers and the team. Created by other parts through
``services.create_reserved_event``."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.accounts.permissions import organisations_for
from ressourcerie.core.models import Commune
from ressourcerie.core.refusals import Action, Refusal

from .errors import AgendaError
from .models import RegistrationMode


def member_organisations(user, event):
    """The admitted associations ``user`` is a member of (none when signed out)."""
    return organisations_for(user).filter(pk__in=event.reserved_for.values("pk"))


def is_admitted(user, event) -> bool:
    return member_organisations(user, event).exists()


def refusal_text(user) -> str:
    """Why a person may not register, and what to do, in French."""
    if not (user and user.is_authenticated):
        return _(
            "Cet événement est réservé aux membres de certaines associations, choisies par "
            "l'organisateur (par exemple une promotion du fonds). Si votre association en fait "
            "partie, connectez-vous avec votre compte membre pour vous inscrire en son nom."
        )
    return _(
        "Cet événement est réservé aux membres de certaines associations, choisies par "
        "l'organisateur, et votre compte n'est membre d'aucune d'elles. Si votre association "
        "en fait partie, demandez à l'un de ses membres de vous y inviter depuis sa page ; "
        "sinon, écrivez à l'organisateur ou cherchez un événement ouvert dans l'agenda."
    )


def may_see(user, event) -> bool:
    """A reserved event's page: its admitted members (organisers and the team are let in
    by ``permissions.can_see_event`` first)."""
    return not event.is_reserved or is_admitted(user, event)


def refusal(user, next_url: str) -> Refusal:
    """The 403 of a reserved event's page for anyone else: why, and what to do."""
    actions = []
    if not (user and user.is_authenticated):
        login = f"{reverse('accounts:login')}?{urlencode({'next': next_url})}"
        actions.append(Action(_("Me connecter"), login, primary=True))
    actions.append(Action(_("Voir les événements ouverts à tous"), reverse("agenda:index")))
    return Refusal(
        title=_("Événement réservé"),
        situation=refusal_text(user),
        missing=_("Être membre d'une des associations admises par l'organisateur."),
        granted_by=_("Les membres de l'association : ils vous invitent depuis sa page."),
        how_to_ask=_("Demandez à un membre de votre association de vous inviter."),
        actions=actions,
    )


def check_registration(event, user, organisation) -> None:
    """Refuses anyone but a member registering on behalf of an admitted association."""
    if not event.is_reserved:
        return
    if not is_admitted(user, event):
        raise AgendaError(refusal_text(user))
    if (
        organisation is None
        or not member_organisations(user, event).filter(pk=organisation.pk).exists()
    ):
        raise AgendaError(
            _("Choisissez l'association admise au nom de laquelle vous vous inscrivez."),
            field="organisation",
        )


def commune_of(insee: str):
    """The commune of an INSEE code given by another part ("" = none)."""
    if not insee:
        return None
    found = Commune.objects.filter(insee=insee).first()
    if found is None:
        raise AgendaError(_("Commune inconnue : %(code)s.") % {"code": insee}, field="commune")
    return found


def event_data(
    *,
    organiser,
    title: str,
    kind: str,
    attendance_mode: str,
    place_id=None,
    address: str = "",
    commune: str = "",
    online_url: str = "",
    capacity: int | None = None,
    description: str = "",
) -> dict:
    """The fields of ``services.create_reserved_event`` as ``save_event`` takes them;
    ``commune`` is an INSEE code."""
    return {
        "organiser": organiser,
        "title": title[:200],
        "kind": kind,
        "attendance_mode": attendance_mode,
        "place_id": place_id,
        "address": address,
        "commune": commune_of(commune),
        "online_url": online_url,
        "capacity": capacity,
        "description": description,
        "registration_mode": RegistrationMode.RESERVED,
    }
