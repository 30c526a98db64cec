"""Every write of the agenda. Statuses change only in ``transition_publication``,
``transition_status`` and ``transition_registration``; each change is recorded."""

import secrets
from base64 import urlsafe_b64encode
from datetime import UTC, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from ressourcerie.core.permissions import can_moderate, is_organisation_admin
from ressourcerie.core.services import queue_email
from ressourcerie.core.tokens import hash_token

from . import per_session, permissions, plan_actions, reservation, selectors
from .errors import AgendaError
from .models import (
    HOLDS_SEAT,
    LIVE,
    AttendanceMode,
    Event,
    EventTransition,
    Publication,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    RegistrationTransition,
    Session,
    Status,
)
from .states import PUBLICATION_MACHINE, REGISTRATION_MACHINE, STATUS_MACHINE

CONFIRMATION_HOURS = 48
LINK_SALT = "ressourcerie.agenda.registration"
R = RegistrationStatus


def registration_secret(registration: Registration) -> str:
    """The person's private link, derived from the row's id, creation time and SECRET_KEY:
    the worker makes it again when it sends, so no task row keeps it."""
    created = registration.created_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    digest = salted_hmac(LINK_SALT, f"{registration.pk}:{created}", algorithm="sha256").digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


def _record_event(event, axis, from_status, to_status, actor, reason="") -> EventTransition:
    return EventTransition.objects.create(
        event=event,
        axis=axis,
        from_status=from_status,
        to_status=to_status,
        actor=EventTransition.actor_or_none(actor),
        reason=reason[:500],
    )


# --- events --------------------------------------------------------------------------------
def _check_sessions(sessions, *, now, old_starts=()) -> list[tuple]:
    if not sessions:
        raise AgendaError(_("Indiquez au moins une séance."), field="sessions")
    for start, end in sessions:
        if end <= start:
            raise AgendaError(_("Une séance finit avant de commencer."), field="sessions")
        if start < now and start not in old_starts:
            raise AgendaError(_("Une séance ne peut pas être dans le passé."), field="sessions")
    return sorted(sessions)


def _locate(event) -> None:
    """Department and coordinates from the directory's place, else the commune."""
    commune = event.commune
    latitude = longitude = None
    if event.place_id is not None:
        place = event.place
        commune = place.commune or commune
        latitude, longitude = place.latitude, place.longitude
    if commune is not None:
        event.commune = commune
        latitude = latitude if latitude is not None else commune.latitude
        longitude = longitude if longitude is not None else commune.longitude
    event.department_code = commune.department.code if commune is not None else ""
    event.latitude, event.longitude = latitude, longitude


def _check_location(event) -> None:
    in_person = event.attendance_mode != AttendanceMode.ONLINE
    if in_person and event.place_id is None and not (event.address and event.commune_id):
        raise AgendaError(
            _("Choisissez un lieu de l'annuaire, ou indiquez une adresse et sa commune."),
            field="place",
        )
    if event.attendance_mode != AttendanceMode.IN_PERSON and not event.online_url:
        raise AgendaError(_("Indiquez le lien de connexion."), field="online_url")
    if event.registration_mode == RegistrationMode.EXTERNAL and not event.external_url:
        raise AgendaError(_("Indiquez le lien d'inscription extérieur."), field="external_url")


@transaction.atomic
def save_event(
    *, actor, data: dict, sessions: list, co_organisers=(), event=None, vouched=False
) -> Event:
    """Create or change an event and its sessions. A change of time or place raises the
    calendar SEQUENCE and sends the update to registered people. ``vouched``: the calling
    part checked that ``actor`` speaks for the organiser (``create_reserved_event``)."""
    organiser = data["organiser"]
    if not (
        vouched
        or can_moderate(actor)
        or permissions.organiser_structures(actor).filter(pk=organiser.pk).exists()
    ):
        raise AgendaError(
            _("Vous ne pouvez publier que pour une structure dont vous êtes éditeur."),
            field="organiser",
        )
    now = timezone.now()
    if event is not None:
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not permissions.can_edit_event(actor, event):
            raise AgendaError(_("Seuls les organisateurs de cet événement peuvent le modifier."))
        if event.status == Status.CANCELLED:
            raise AgendaError(_("Cet événement est annulé : il ne peut plus être modifié."))
        old_sessions = list(event.sessions.order_by("starts_at", "pk"))
        per_session.check_scope_change(event, data.get("per_session", event.per_session))
        before = ([(s.starts_at, s.ends_at) for s in old_sessions], event.place_id, event.address)
    else:
        old_sessions, before = [], None
        event = Event(created_by=actor if actor.is_authenticated else None)
    sessions = _check_sessions(sessions, now=now, old_starts={s.starts_at for s in old_sessions})
    data = dict(data)
    action_keys = data.pop("plan_actions", None)  # None: kept (a form without the field)
    for name, value in data.items():
        setattr(event, name, value)
    _check_location(event)
    _locate(event)
    event.starts_at, event.ends_at = sessions[0][0], max(end for _s, end in sessions)
    event.save()
    if co_organisers is not None:
        event.co_organisers.set([o for o in co_organisers if o.pk != organiser.pk])
    if action_keys is not None:
        plan_actions.set_for_event(event, action_keys)
    # Sessions keep their rows (and so their calendar UID) in order; extras are added/removed.
    for index, (start, end) in enumerate(sessions):
        if index < len(old_sessions):
            session = old_sessions[index]
            session.starts_at, session.ends_at = start, end
            session.save()
        else:
            Session.objects.create(event=event, starts_at=start, ends_at=end)
    per_session.check_removed_sessions(event, old_sessions[len(sessions) :])
    for session in old_sessions[len(sessions) :]:
        session.delete()
    if before is not None and before != (sessions, event.place_id, event.address):
        _changed(event, actor)
    return event


@transaction.atomic
def create_reserved_event(*, sessions, organisation_ids, actor, **fields) -> Event:
    """An event only members of ``organisation_ids`` register for (e.g. a fund cohort),
    published at once: the caller (the cohort's support actor or the team) answers for it.
    Its people speak for the organiser as for any organisation (``is_organisation_admin``:
    member or editor), not only the editors who publish public events.
    ``sessions``: (start, end) pairs; ``fields``: those of ``reservation.event_data``."""
    if not organisation_ids:
        raise AgendaError(_("Choisissez au moins une association admise."), field="reserved_for")
    if not (can_moderate(actor) or is_organisation_admin(actor, fields.get("organiser"))):
        raise AgendaError(
            _(
                "Seuls les membres ou éditeurs de la structure organisatrice programment ses séances."
            ),
            field="organiser",
        )
    event = save_event(
        actor=actor, data=reservation.event_data(**fields), sessions=sessions, vouched=True
    )
    event.reserved_for.set(organisation_ids)
    _record_event(event, "publication", event.publication, Publication.PUBLISHED, actor)
    event.publication = Publication.PUBLISHED
    event.save(update_fields=["publication", "updated_at"])
    return event


def _changed(event, actor) -> None:
    """Time or place changed: a higher SEQUENCE, "reprogrammé", and the update mailed."""
    event.sequence += 1
    event.save(update_fields=["sequence", "updated_at"])
    if event.publication != Publication.PUBLISHED:
        return
    if event.status in (Status.SCHEDULED, Status.POSTPONED):
        _record_event(event, "status", event.status, Status.RESCHEDULED, actor)
        event.status = Status.RESCHEDULED
        event.save(update_fields=["status", "updated_at"])
    for pk in event.registrations.filter(status=R.REGISTERED).values_list("pk", flat=True):
        queue_email(purpose="agenda.event_update", ids={"registration": pk})


@transaction.atomic
def transition_publication(*, event, to_status, actor, reason: str = "") -> Event:
    """Brouillon → à modérer → publié | refusé. Organisers submit; the team decides (and
    publishes its own drafts directly)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    PUBLICATION_MACHINE.check(event.publication, to_status)
    deciding = to_status in (Publication.PUBLISHED, Publication.REFUSED)
    if deciding and not permissions.can_moderate_events(actor):
        raise AgendaError(_("Seule l'équipe de la plateforme publie ou refuse un événement."))
    if not deciding and not permissions.can_edit_event(actor, event):
        raise AgendaError(_("Seuls les organisateurs de cet événement peuvent le proposer."))
    if to_status == Publication.REFUSED and not reason.strip():
        raise AgendaError(_("Indiquez le motif du refus."), field="reason")
    if to_status == Publication.PUBLISHED and event.ends_at and event.ends_at < timezone.now():
        raise AgendaError(_("Cet événement est passé : il ne peut plus être publié."))
    record = _record_event(event, "publication", event.publication, to_status, actor, reason)
    event.publication = to_status
    event.refusal_reason = reason.strip()[:500] if to_status == Publication.REFUSED else ""
    event.save(update_fields=["publication", "refusal_reason", "updated_at"])
    if deciding:  # the structure's editors learn the team's decision
        queue_email(purpose="agenda.publication", ids={"transition": record.pk})
    return event


def submit_event(*, event, actor) -> Event:
    """The organiser's "Publier": straight to published for the team, to moderation else."""
    target = Publication.PUBLISHED if can_moderate(actor) else Publication.TO_MODERATE
    return transition_publication(event=event, to_status=target, actor=actor)


@transaction.atomic
def transition_status(*, event, to_status, actor, reason: str = "") -> Event:
    """Reporté, déplacé en ligne, annulé…: registered people get the calendar update."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    STATUS_MACHINE.check(event.status, to_status)
    if not permissions.can_edit_event(actor, event):
        raise AgendaError(_("Seuls les organisateurs de cet événement peuvent changer son statut."))
    if to_status == Status.MOVED_ONLINE and not event.online_url:
        raise AgendaError(_("Indiquez d'abord le lien de connexion."), field="online_url")
    _record_event(event, "status", event.status, to_status, actor, reason)
    event.status = to_status
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    purpose = "agenda.event_cancelled" if to_status == Status.CANCELLED else "agenda.event_update"
    live = event.registrations.filter(status__in=HOLDS_SEAT + (R.WAITING,))
    for pk in live.values_list("pk", flat=True):
        queue_email(purpose=purpose, ids={"registration": pk})
    return event


# --- registrations -------------------------------------------------------------------------
@transaction.atomic
def transition_registration(*, registration, to_status, actor, reason: str = "") -> Registration:
    """The registration's one state machine; rights are checked by the callers below."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    REGISTRATION_MACHINE.check(registration.status, to_status)
    record = RegistrationTransition.objects.create(
        registration=registration,
        from_status=registration.status,
        to_status=to_status,
        actor=RegistrationTransition.actor_or_none(actor),
        reason=reason[:500],
    )
    registration.status = to_status
    if to_status == R.WAITING:
        registration.waiting_since = timezone.now()
    if to_status == R.OFFERED:
        hours = registration.event.offer_hours
        registration.offer_expires_at = timezone.now() + timedelta(hours=hours)
    elif to_status != R.EXPIRED:
        registration.offer_expires_at = None
    registration.save()
    if to_status != R.WITHDRAWN or actor is None or actor != registration.user:
        queue_email(purpose="agenda.registration_status", ids={"transition": record.pk})
    return registration


def _check_open(event, now, session=None) -> None:
    if event.publication != Publication.PUBLISHED:
        raise AgendaError(_("Cet événement n'est pas publié."))
    if event.status in (Status.CANCELLED, Status.POSTPONED):
        raise AgendaError(
            _("Cet événement est %(status)s : les inscriptions sont fermées.")
            % {"status": event.get_status_display().lower()}
        )
    if event.registration_mode == RegistrationMode.EXTERNAL:
        raise AgendaError(_("L'inscription à cet événement se fait sur le site de l'organisateur."))
    start = per_session.check_session(event, session, now)
    if start is None or start <= now:
        raise AgendaError(_("Cet événement a déjà commencé : les inscriptions sont fermées."))


def _admit(registration, actor) -> Registration:
    event = registration.event
    if event.registration_mode == RegistrationMode.APPROVAL and registration.status == R.PENDING:
        target = R.AWAITING_APPROVAL
    elif selectors.is_full(event, registration.session) or selectors.waiting_count(
        event, registration.session
    ):
        target = R.WAITING  # nobody jumps the queue
    else:
        target = R.REGISTERED
    return transition_registration(registration=registration, to_status=target, actor=actor)


@transaction.atomic
def register(
    *, event, user=None, email: str = "", name: str = "", organisation=None, session=None
) -> Registration:
    """Register a signed-in person at once, or an e-mail that its link will confirm."""
    event = Event.objects.select_for_update().get(pk=event.pk)  # one seat count at a time
    now = timezone.now()
    session = session if event.per_session else None
    _check_open(event, now, session)
    reservation.check_registration(event, user, organisation)
    signed_in = user is not None and user.is_authenticated
    email = (user.email if signed_in else email).strip()
    if not email:
        raise AgendaError(_("Indiquez votre adresse e-mail."), field="email")
    if selectors.live_registration(
        event, user=user if signed_in else None, email=email, session=session
    ):
        raise AgendaError(
            _("Vous êtes déjà inscrit à cette séance (ou en attente).")
            if session
            else _("Vous êtes déjà inscrit à cet événement (ou en attente)."),
            field="email",
        )
    if organisation is not None and event.association_quota:
        used = event.registrations.filter(
            session=session,
            organisation=organisation,
            status__in=HOLDS_SEAT + (R.WAITING, R.AWAITING_APPROVAL),
        ).count()
        if used >= event.association_quota:
            raise AgendaError(
                _("Cette association a déjà %(n)s inscrits, le maximum fixé par l'organisateur.")
                % {"n": used},
                field="organisation",
            )
    registration = Registration.objects.create(
        event=event,
        session=session,
        user=user if signed_in else None,
        email=email,
        name=(name or (user.display_name if signed_in else "")).strip()[:150],
        organisation=organisation,
        token_hash=hash_token(secrets.token_urlsafe(32)),  # replaced below (needs the id)
    )
    registration.token_hash = hash_token(registration_secret(registration))
    registration.save(update_fields=["token_hash"])
    RegistrationTransition.objects.create(
        registration=registration,
        to_status=R.PENDING,
        actor=RegistrationTransition.actor_or_none(user),
    )
    if signed_in and user.email_confirmed_at:
        return _admit(registration, user)
    queue_email(purpose="agenda.confirm_registration", ids={"registration": registration.pk})
    return registration


@transaction.atomic
def confirm_registration(*, registration) -> Registration:
    """The link reached the inbox: the registration counts from now."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != R.PENDING:
        return registration
    if registration.created_at < timezone.now() - timedelta(hours=CONFIRMATION_HOURS):
        raise AgendaError(_("Ce lien de confirmation a expiré : inscrivez-vous à nouveau."))
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    _check_open(event, timezone.now(), registration.session)
    return _admit(registration, None)


def can_withdraw(registration, now=None) -> bool:
    deadline = selectors.withdrawal_deadline(registration.event, registration.session)
    return registration.status in LIVE and (
        deadline is None
        or (now or timezone.now()) < deadline
        or registration.status != R.REGISTERED
    )


@transaction.atomic
def withdraw(*, registration, actor=None) -> Registration:
    """The person leaves (until the deadline); a freed seat goes to the waiting list."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not can_withdraw(registration):
        if registration.status == R.REGISTERED:
            raise AgendaError(
                _("La date limite pour se désinscrire est passée : prévenez l'organisateur.")
            )
        raise AgendaError(_("Cette inscription n'est plus en cours."))
    held = registration.status in HOLDS_SEAT
    registration = transition_registration(
        registration=registration, to_status=R.WITHDRAWN, actor=actor
    )
    if held:
        offer_next(event=event, session=registration.session)
    return registration


def offer_next(*, event, session=None) -> int:
    """Offer every free seat (of the series, or of ``session``) to the next of its waiting
    list, for ``offer_hours``."""
    offered, start = 0, session.starts_at if session is not None else event.starts_at
    while not selectors.is_full(event, session) and start and start > timezone.now():
        nxt = selectors.first_waiting(event, session)
        if nxt is None:
            break
        transition_registration(registration=nxt, to_status=R.OFFERED, actor=None)
        offered += 1
    return offered


@transaction.atomic
def accept_offer(*, registration, actor=None) -> Registration:
    Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != R.OFFERED:
        raise AgendaError(_("Aucune place ne vous est proposée pour cet événement."))
    if registration.offer_expires_at <= timezone.now():
        raise AgendaError(
            _("Cette place proposée a expiré : elle est passée à la personne suivante.")
        )
    return transition_registration(registration=registration, to_status=R.REGISTERED, actor=actor)


def expire_offers(*, now=None) -> int:
    """Offers past their time expire; their seat goes to the next person. Returns the count."""
    now = now or timezone.now()
    expired = 0
    for registration in Registration.objects.filter(status=R.OFFERED, offer_expires_at__lte=now):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=registration.event_id)
            transition_registration(registration=registration, to_status=R.EXPIRED, actor=None)
            offer_next(event=event, session=registration.session)
        expired += 1
    return expired


@transaction.atomic
def decide_registration(*, registration, accept: bool, actor, reason: str = "") -> Registration:
    """Approval mode: the organiser accepts (a seat, else the waiting list) or refuses."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    if not permissions.can_edit_event(actor, event):
        raise AgendaError(_("Seuls les organisateurs de cet événement décident des inscriptions."))
    if accept:
        return _admit(registration, actor)
    if not reason.strip():
        raise AgendaError(_("Indiquez le motif du refus."), field="reason")
    return transition_registration(
        registration=registration, to_status=R.REFUSED, actor=actor, reason=reason
    )


@transaction.atomic
def set_attendance(*, event, actor, marks: dict) -> int:
    """Présent / absent / excusé for registered people; returns how many changed."""
    if not permissions.can_edit_event(actor, event):
        raise AgendaError(_("Seuls les organisateurs de cet événement notent les présences."))
    changed = 0
    for registration in event.registrations.filter(status=R.REGISTERED, pk__in=list(marks)):
        if registration.attendance != marks[registration.pk]:
            registration.attendance = marks[registration.pk]
            registration.save(update_fields=["attendance", "updated_at"])
            changed += 1
    return changed
