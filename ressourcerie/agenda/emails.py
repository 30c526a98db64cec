"""E-mails of the agenda, rebuilt by the worker from ids (see core.emails).

The person's private link is derived again from the registration (services.registration_secret);
statuses and reasons come from the history row the change wrote. Invitations carry the event
as ``text/calendar; method=REQUEST`` with the event's current SEQUENCE, or ``METHOD:CANCEL``.
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core.emails import Email, purpose, site_url

from . import ics, selectors, services
from .models import (
    Event,
    EventTransition,
    Publication,
    Registration,
    RegistrationStatus,
    RegistrationTransition,
    Session,
)


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "l j F Y à H:i")


def _context(registration) -> dict:
    event = registration.event
    return {
        "name": registration.name,
        "event": event.title,
        "sessions": [
            f"{_when(s.starts_at)} – {timezone.localtime(s.ends_at):%H:%M}"
            for s in selectors.sessions_of(registration)
        ],
        "where": ics.location_of(event),
        "event_url": site_url(event.get_absolute_url()),
        "manage_url": site_url(
            reverse("agenda:registration", args=[services.registration_secret(registration)])
        ),
    }


def _invitation(registration, cancel: bool = False):
    """The calendar part for the sessions this registration covers."""
    return ics.invitation_part(
        registration.event,
        attendee=registration.email,
        cancel=cancel,
        sessions=selectors.sessions_of(registration),
    )


def _registration(pk) -> Registration | None:
    registration = (
        Registration.objects.select_related("event__organiser", "session").filter(pk=pk).first()
    )
    if registration is None or not registration.email:
        return None
    return registration


@purpose("agenda.confirm_registration")
def confirm_registration(*, registration: int) -> Email | None:
    registration = _registration(registration)
    if registration is None or registration.status != RegistrationStatus.PENDING:
        return None
    return Email(
        to=[registration.email],
        subject=_("Confirmez votre inscription : %(title)s") % {"title": registration.event.title},
        template="agenda_confirm",
        context=_context(registration),
    )


@purpose("agenda.registration_status")
def registration_status(*, transition: int) -> Email | None:
    record = RegistrationTransition.objects.filter(pk=transition).first()
    registration = _registration(record.registration_id) if record is not None else None
    if registration is None:
        return None
    status = RegistrationStatus(record.to_status)
    context = {**_context(registration), "status": status.label, "reason": record.reason}
    context["offer_until"] = (
        _when(registration.offer_expires_at)
        if status == RegistrationStatus.OFFERED and registration.offer_expires_at
        else ""
    )
    attachments = []
    if status == RegistrationStatus.REGISTERED:
        attachments.append(_invitation(registration))
    subjects = {
        RegistrationStatus.OFFERED: _("Une place se libère : %(title)s"),
        RegistrationStatus.REGISTERED: _("Inscription confirmée : %(title)s"),
        RegistrationStatus.WAITING: _("Vous êtes sur la liste d'attente : %(title)s"),
    }
    subject = subjects.get(status, _("Votre inscription : %(title)s"))
    return Email(
        to=[registration.email],
        subject=subject % {"title": registration.event.title},
        template="agenda_registration_status",
        context=context,
        attachments=attachments,
    )


@purpose("agenda.event_update")
def event_update(*, registration: int) -> Email | None:
    registration = _registration(registration)
    if registration is None or registration.status not in (
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITING,
        RegistrationStatus.OFFERED,
    ):
        return None
    event = registration.event
    attachments = []
    if registration.status == RegistrationStatus.REGISTERED:
        attachments.append(_invitation(registration))
    return Email(
        to=[registration.email],
        subject=_("Changement : %(title)s") % {"title": event.title},
        template="agenda_event_update",
        context={**_context(registration), "status": event.get_status_display()},
        attachments=attachments,
    )


@purpose("agenda.event_cancelled")
def event_cancelled(*, registration: int) -> Email | None:
    registration = _registration(registration)
    if registration is None:
        return None
    event = registration.event
    return Email(
        to=[registration.email],
        subject=_("Annulé : %(title)s") % {"title": event.title},
        template="agenda_event_cancelled",
        context=_context(registration),
        attachments=[_invitation(registration, cancel=True)],
    )


@purpose("agenda.reminder")
def reminder(*, registration: int, session: int) -> Email | None:
    registration = _registration(registration)
    session = Session.objects.filter(pk=session).first()
    if (
        registration is None
        or session is None
        or registration.status != RegistrationStatus.REGISTERED
    ):
        return None
    return Email(
        to=[registration.email],
        subject=_("Demain : %(title)s") % {"title": registration.event.title},
        template="agenda_reminder",
        context={**_context(registration), "when": _when(session.starts_at)},
    )


@purpose("agenda.publication")
def publication(*, transition: int) -> Email | None:
    """The organising structure's editors learn the team's decision."""
    record = EventTransition.objects.filter(pk=transition).first()
    event = Event.objects.filter(pk=record.event_id).first() if record is not None else None
    if event is None:
        return None
    recipients = list(
        Membership.objects.filter(organisation=event.organiser, role=Role.EDITOR).values_list(
            "user__email", flat=True
        )
    )
    if not recipients:
        return None
    published = record.to_status == Publication.PUBLISHED
    return Email(
        to=recipients,
        subject=(
            _("Événement publié : %(title)s") if published else _("Événement refusé : %(title)s")
        )
        % {"title": event.title},
        template="agenda_publication",
        context={
            "event": event.title,
            "published": published,
            "reason": record.reason,
            "url": site_url(event.get_absolute_url()),
        },
    )
