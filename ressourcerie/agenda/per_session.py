"""Registration session by session (``Event.per_session``): each session of a series has the
event's capacity for itself, its own waiting list and offers; a person registers for one
session at a time (one live registration per address per session). Whole-series events keep
registrations without a session. The services call these checks; seats are counted by
``selectors`` with the session as scope."""

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import selectors
from .errors import AgendaError


def check_session(event, session, now):
    """The session asked must belong to the event and not have started; returns the start
    that closes registration (the session's, or the series' first)."""
    if not event.per_session:
        return event.starts_at
    if session is None or session.event_id != event.pk:
        raise AgendaError(_("Choisissez la séance à laquelle vous inscrire."), field="session")
    if session.starts_at <= now:
        raise AgendaError(
            _("Cette séance a déjà commencé : les inscriptions sont fermées."), field="session"
        )
    return session.starts_at


def check_removed_sessions(event, removed) -> None:
    """A session that people registered for is not deleted: the organiser cancels it by
    moving it, or writes to them first."""
    if removed and any(s.registrations.exists() for s in removed):
        raise AgendaError(
            _(
                "Des personnes sont inscrites à une séance que vous retirez : gardez-la, "
                "ou changez sa date."
            ),
            field="sessions",
        )


def check_scope_change(event, per_session: bool) -> None:
    """Registrations already made keep their scope: the choice is fixed once people register."""
    if event.pk and event.per_session != per_session and event.registrations.exists():
        raise AgendaError(
            _(
                "Des personnes sont déjà inscrites : le choix entre la série entière et "
                "l'inscription par séance ne peut plus changer."
            ),
            field="per_session",
        )


def session_label(session) -> str:
    """A radio button's text: the session's date and what is left of its seats."""
    label = f"{session_text(session)} – {timezone.localtime(session.ends_at):%H:%M}"
    remaining = selectors.remaining_seats(session.event, session)
    if remaining == 0:
        return label + " — " + _("complet, liste d'attente")
    if remaining is not None:
        return label + " — " + _("%(n)s place(s) libre(s)") % {"n": remaining}
    return label


def open_sessions(event, *, now=None):
    """The sessions one may still register for (not started), soonest first."""
    return (
        event.sessions.filter(starts_at__gt=now or timezone.now())
        .select_related("event")
        .order_by("starts_at", "pk")
    )


@dataclass
class SessionRow:
    session: object
    remaining: int | None  # None: no limit
    waiting: int
    registration: object  # the person's live registration for it, or None

    @property
    def full(self) -> bool:
        return self.remaining == 0


def session_rows(event, user) -> list[SessionRow]:
    """Per session: seats left ("complet" derived, never stored), waiting list, and the
    signed-in person's registration."""
    signed_in = user is not None and user.is_authenticated
    rows = []
    for session in event.sessions.all():
        remaining = selectors.remaining_seats(event, session)
        mine = selectors.live_registration(event, user=user, session=session) if signed_in else None
        rows.append(SessionRow(session, remaining, selectors.waiting_count(event, session), mine))
    return rows


def session_text(session) -> str:
    """ "mardi 12 janvier 2027, 14:00" (lists and exports)."""
    return formats.date_format(timezone.localtime(session.starts_at), "l j F Y, H:i")


def registration_label(registration) -> str:
    """The person, and the session when registering per session (attendance forms)."""
    if registration.session_id is None:
        return registration.display_name
    return f"{registration.display_name} — {session_text(registration.session)}"
