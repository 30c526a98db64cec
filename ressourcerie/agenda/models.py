"""Events, their sessions, registrations and histories (design: docs/parts/agenda.md)."""

import functools

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Commune, Organisation, TimeStampedModel
from ressourcerie.core.workflow import TransitionRecord


class Kind(models.TextChoices):
    TRAINING = "formation", _("Formation")
    WORKSHOP = "atelier", _("Atelier")
    AWARENESS = "sensibilisation", _("Sensibilisation")
    DROP_IN = "permanence", _("Permanence")
    WEBINAR = "webinaire", _("Webinaire")


class Audience(models.TextChoices):
    VOLUNTEERS = "benevoles", _("Bénévoles")
    EMPLOYEES = "salaries", _("Salariés")
    LEADERS = "dirigeants", _("Dirigeants")


class Level(models.TextChoices):
    BEGINNER = "debutant", _("Débutant")
    INTERMEDIATE = "intermediaire", _("Intermédiaire")
    ADVANCED = "avance", _("Avancé")


class AttendanceMode(models.TextChoices):
    IN_PERSON = "presentiel", _("En présentiel")
    ONLINE = "en_ligne", _("En ligne")
    MIXED = "mixte", _("Mixte")


class RegistrationMode(models.TextChoices):
    OPEN = "ouverte", _("Ouverte")
    APPROVAL = "validation", _("Sur validation de l'organisateur")
    EXTERNAL = "externe", _("Sur un site extérieur")
    RESERVED = "reservee", _("Réservée à des associations choisies")


class Publication(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    TO_MODERATE = "a_moderer", _("À modérer")
    PUBLISHED = "publie", _("Publié")
    REFUSED = "refuse", _("Refusé")


class Status(models.TextChoices):
    SCHEDULED = "programme", _("Programmé")
    RESCHEDULED = "reprogramme", _("Reprogrammé")
    POSTPONED = "reporte", _("Reporté")
    MOVED_ONLINE = "en_ligne", _("Déplacé en ligne")
    CANCELLED = "annule", _("Annulé")


class RegistrationStatus(models.TextChoices):
    PENDING = "a_confirmer", _("En attente de confirmation")
    AWAITING_APPROVAL = "a_valider", _("En attente de validation")
    REGISTERED = "inscrit", _("Inscrit")
    WAITING = "attente", _("Liste d'attente")
    OFFERED = "offre", _("Place proposée")
    EXPIRED = "expire", _("Offre expirée")
    WITHDRAWN = "retire", _("Retiré")
    REFUSED = "refuse", _("Refusé")


# A registration in these states counts against "one per address" and may still change.
LIVE = (
    RegistrationStatus.PENDING,
    RegistrationStatus.AWAITING_APPROVAL,
    RegistrationStatus.REGISTERED,
    RegistrationStatus.WAITING,
    RegistrationStatus.OFFERED,
)
# States that hold a seat: "complet" is derived from them, never stored.
HOLDS_SEAT = (RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED)


class Attendance(models.TextChoices):
    PRESENT = "present", _("Présent")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excuse", _("Excusé")


def _event_url(pk) -> str:
    """``reverse`` once per process: lists and feeds ask it for hundreds of events."""
    return _event_url_prefix() + f"{pk}/"


@functools.cache
def _event_url_prefix() -> str:
    return reverse("agenda:event", args=[1]).removesuffix("1/")


class Event(TimeStampedModel):
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), max_length=5000, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    themes = models.CharField(_("thèmes"), max_length=500, blank=True)  # ",need-slug,…,"
    # The diagnostic plan's actions it serves: EventPlanAction rows (plan_action_keys).
    audience = models.CharField(_("public"), max_length=100, blank=True)  # ",benevoles,…,"
    level = models.CharField(_("niveau"), max_length=20, choices=Level.choices, blank=True)
    attendance_mode = models.CharField(_("modalité"), max_length=20, choices=AttendanceMode.choices)
    place = models.ForeignKey(
        "directory.Place",
        verbose_name=_("lieu de l'annuaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), null=True, blank=True, on_delete=models.SET_NULL
    )
    online_url = models.URLField(_("lien de connexion"), max_length=500, blank=True)
    accessibility = models.TextField(_("accessibilité"), max_length=1000, blank=True)
    price_cents = models.PositiveIntegerField(_("prix (centimes)"), default=0)
    price_payer = models.CharField(_("qui paie"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("structure organisatrice"),
        on_delete=models.PROTECT,
        related_name="organised_events",
    )
    co_organisers = models.ManyToManyField(
        Organisation, verbose_name=_("co-organisateurs"), blank=True, related_name="+"
    )
    capacity = models.PositiveIntegerField(_("nombre de places"), null=True, blank=True)
    registration_mode = models.CharField(
        _("inscription"),
        max_length=20,
        choices=RegistrationMode.choices,
        default=RegistrationMode.OPEN,
    )
    # Per session: each session has its own seats, waiting list and offers (reservation.py).
    per_session = models.BooleanField(_("inscription séance par séance"), default=False)
    # RegistrationMode.RESERVED: only members of these associations register (reservation.py).
    reserved_for = models.ManyToManyField(
        Organisation, verbose_name=_("associations admises"), blank=True, related_name="+"
    )
    external_url = models.URLField(_("lien d'inscription extérieur"), max_length=500, blank=True)
    association_quota = models.PositiveIntegerField(
        _("places par association"), null=True, blank=True
    )
    offer_hours = models.PositiveIntegerField(_("durée d'une place proposée (heures)"), default=48)
    withdrawal_hours = models.PositiveIntegerField(
        _("désinscription jusqu'à (heures avant)"), default=24
    )
    publication = models.CharField(
        max_length=20, choices=Publication.choices, default=Publication.DRAFT, db_index=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    refusal_reason = models.CharField(max_length=500, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    # Kept by the services from the sessions and the place: lists filter without joins.
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    department_code = models.CharField(max_length=3, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        indexes = [
            # Covers the lists' filters, order and near-me box: their ids and counts are
            # read from it alone (selectors.IdsFirst); the page's rows are fetched after.
            models.Index(
                fields=[
                    "publication",
                    "ends_at",
                    "starts_at",
                    "registration_mode",
                    "department_code",
                    "kind",
                    "attendance_mode",
                    "latitude",
                    "longitude",
                    "themes",
                ],
                name="agenda_event_listing",
            ),
            models.Index(fields=["department_code", "starts_at"], name="agenda_event_dept"),
            models.Index(fields=["latitude", "longitude"], name="agenda_event_lat_lon"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="agenda_event_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return _event_url(self.pk)

    @property
    def is_free(self) -> bool:
        return self.price_cents == 0

    @property
    def price_euros(self) -> str:
        """ "12,50 €" in French notation (the event page)."""
        return f"{formats.number_format(self.price_cents / 100, decimal_pos=2)} €"

    @property
    def is_online(self) -> bool:
        return self.attendance_mode != AttendanceMode.IN_PERSON

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def status_note(self) -> bool:
        """Anything but "programmé" is said on the page and in the lists."""
        return self.status != Status.SCHEDULED

    @property
    def is_reserved(self) -> bool:
        return self.registration_mode == RegistrationMode.RESERVED

    @property
    def is_published(self) -> bool:
        return self.publication == Publication.PUBLISHED

    @property
    def can_be_submitted(self) -> bool:
        return self.publication in (Publication.DRAFT, Publication.REFUSED)

    @property
    def has_venue(self) -> bool:
        """Shown at a place (in person or mixed, and not moved online)."""
        return self.attendance_mode != AttendanceMode.ONLINE and self.status != Status.MOVED_ONLINE

    @property
    def online_only(self) -> bool:
        return self.attendance_mode == AttendanceMode.ONLINE

    @property
    def is_mixed(self) -> bool:
        return self.attendance_mode == AttendanceMode.MIXED

    def code_list(self, name: str) -> list[str]:
        return [code for code in getattr(self, name).split(",") if code]

    @property
    def plan_action_keys(self) -> list[str]:
        """The plan actions it serves, in the order they were chosen (prefetch
        ``served_actions`` for a list)."""
        return [served.key for served in self.served_actions.all()]


class EventPlanAction(models.Model):
    """A diagnostic plan action an event serves (a key of ``diagnostic.selectors.
    plan_action_choices``): « Mon plan d'action », the invitations and the filters find the
    events of an action through the (key, event) index."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="served_actions")
    key = models.SlugField(_("action du plan"), max_length=60, db_index=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="agenda_event_action_once"),
        ]
        indexes = [models.Index(fields=["key", "event"], name="agenda_action_events")]

    def __str__(self):
        return f"{self.event_id} — {self.key}"


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="agenda_session_ends_after"
            )
        ]

    def __str__(self):
        return f"{self.event} — {self.starts_at:%Y-%m-%d %H:%M}"


class Registration(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_registrations",
    )
    # The session registered for, when the event registers per session (else the series).
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="registrations"
    )
    email = models.EmailField(_("adresse e-mail"), blank=True)
    name = models.CharField(_("nom"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("au nom de l'association"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    # When the person joined the waiting list: its order.
    waiting_since = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True)
    reminded_until = models.DateTimeField(null=True, blank=True)  # last session reminded
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the private link (services.registration_secret), for the lookup.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=[s.value for s in LIVE])
                & ~Q(email="")
                & Q(session__isnull=True),
                name="agenda_one_live_registration_per_address",
            ),
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(status__in=[s.value for s in LIVE])
                & ~Q(email="")
                & Q(session__isnull=False),
                name="agenda_one_live_registration_per_session",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="agenda_reg_event_status"),
            models.Index(fields=["session", "status"], name="agenda_reg_session_status"),
        ]

    def __str__(self):
        return f"{self.event} — {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == RegistrationStatus.PENDING

    @property
    def is_offered(self) -> bool:
        return self.status == RegistrationStatus.OFFERED

    @property
    def awaits_approval(self) -> bool:
        return self.status == RegistrationStatus.AWAITING_APPROVAL

    @property
    def display_name(self) -> str:
        return self.name or self.email or _("Participant anonymisé")


class RegistrationTransition(TransitionRecord):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="transitions"
    )


class EventTransition(TransitionRecord):
    """A change of one of the two axes (``axis``: publication or status)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="transitions")
    axis = models.CharField(max_length=12)


class CalendarKey(TimeStampedModel):
    """The secret of a person's private feed of registrations; only its hash is kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_calendar_key"
    )
    token_hash = models.CharField(max_length=64, unique=True)


class InvitationRound(models.Model):
    """An organiser's "invite the associations of a department": who asked, and only counts
    (the organiser never learns which associations were invited)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitation_rounds")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department_code = models.CharField(max_length=3)
    associations = models.PositiveIntegerField(default=0)
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.event} — {self.department_code} ({self.associations})"


class EventInvitation(models.Model):
    """An association invited to an event: once per event and association."""

    round = models.ForeignKey(InvitationRound, on_delete=models.CASCADE, related_name="invitations")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="agenda_one_invitation_per_association"
            )
        ]

    def __str__(self):
        return f"{self.event} — {self.organisation_id}"
