"""The support itself (issue #16, docs/parts/fund.md "Part 2"): what an accepted dossier
becomes.

- ``Provider``: a directory support structure on the fund's list of approved providers,
  with the days per quarter it declares it can give.
- ``Support``: one per accepted application — the days granted, the format, the plan's
  actions covered, objectives in the association's words, dates, the actor assigned
  (individual) or the ``Cohort`` it belongs to (collective), the closing report, the
  association's satisfaction and the measured result (diagnostic before/after).
- ``Cohort``: accepted applications of one call that chose collective support, proposed by
  the platform (with why each association is in it), confirmed by the team, assigned to an
  actor.
- ``Offer``: the proposal of one support or one cohort to one actor, answered through a
  private link (only the hash stored); the first to accept gets it.
- ``SessionLog``: a session the actor logs (date, duration, actions worked on, attendees,
  note); ``SessionCheck``: each association's confirmation or contest of it.
- ``GrantChange``: the team raising (or lowering) the days granted, with a reason.

Every status changes only through its machine in ``services/support*.py``.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Organisation, TimeStampedModel
from ressourcerie.core.workflow import TransitionRecord

from .applications import Application, SupportFormat
from .calls import Call


class Provider(TimeStampedModel):
    """A support structure the team approved to deliver the fund's supports."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="fund_provider",
    )
    days_per_quarter = models.DecimalField(
        _("jours disponibles par trimestre"), max_digits=5, decimal_places=1, default=Decimal("10")
    )
    is_active = models.BooleanField(_("agréée"), default=True)
    note = models.CharField(_("note de l'équipe"), max_length=500, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("prestataire agréé")
        verbose_name_plural = _("prestataires agréés")
        ordering = ["organisation__name"]

    def __str__(self):
        return str(self.organisation)


class SupportStatus(models.TextChoices):
    TO_ASSIGN = "a_attribuer", _("À attribuer")
    OFFERED = "propose", _("Proposé aux acteurs")
    ASSIGNED = "attribue", _("Attribué")
    RUNNING = "en_cours", _("En cours")
    DONE = "termine", _("Terminé")
    DROPPED = "abandonne", _("Abandonné")


class CohortStatus(models.TextChoices):
    SUGGESTED = "suggere", _("Suggéré par la plateforme")
    TO_ASSIGN = "a_attribuer", _("Confirmé, à attribuer")
    OFFERED = "propose", _("Proposé aux acteurs")
    ASSIGNED = "attribue", _("Attribué")
    RUNNING = "en_cours", _("En cours")
    DONE = "termine", _("Terminé")
    DROPPED = "abandonne", _("Abandonné")


class Cohort(TimeStampedModel):
    """A group of associations of one call supported together (collective support)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("nom du groupe"), max_length=200)
    status = models.CharField(
        _("état"), max_length=20, choices=CohortStatus.choices, default=CohortStatus.SUGGESTED
    )
    # Why the platform grouped them: the shared plan actions and the place.
    action_keys = models.JSONField(_("actions du plan partagées"), default=list, blank=True)
    department_code = models.CharField(_("département"), max_length=3, blank=True)
    rationale = models.TextField(_("pourquoi ce groupe"), max_length=3000, blank=True)
    actor = models.ForeignKey(
        Organisation,
        verbose_name=_("acteur attribué"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_cohorts",
    )
    days_planned = models.DecimalField(
        _("jours prévus pour le groupe"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )
    drop_reason = models.TextField(_("motif d'abandon"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("groupe d'accompagnement collectif")
        verbose_name_plural = _("groupes d'accompagnement collectif")
        ordering = ["call_id", "name"]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return self.name


class CohortTransition(TransitionRecord):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("historique d'un groupe")


class CohortEvent(TimeStampedModel):
    """A collective session planned for a cohort: an agenda event reserved to its members
    (an id: parts never share models). A delivered session is a ``SessionLog``."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="planned_events")
    event_id = models.PositiveIntegerField(_("événement de l'agenda"), unique=True)

    class Meta:
        verbose_name = _("séance collective programmée")
        verbose_name_plural = _("séances collectives programmées")
        ordering = ["cohort_id", "pk"]

    def __str__(self):
        return f"{self.cohort} — {self.event_id}"


class Support(TimeStampedModel):
    """The support plan of one accepted application."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="support"
    )
    status = models.CharField(
        _("état"), max_length=20, choices=SupportStatus.choices, default=SupportStatus.TO_ASSIGN
    )
    support_format = models.CharField(
        _("format"), max_length=12, choices=SupportFormat.choices, default=SupportFormat.INDIVIDUAL
    )
    days_granted = models.DecimalField(_("jours accordés"), max_digits=5, decimal_places=1)
    action_keys = models.JSONField(_("actions du plan couvertes"), default=list, blank=True)
    objectives = models.TextField(
        _("objectifs, dans les mots de l'association"), max_length=3000, blank=True
    )
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin prévue"), null=True, blank=True)
    actor = models.ForeignKey(
        Organisation,
        verbose_name=_("acteur attribué"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_supports",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("groupe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supports",
    )
    cohort_reason = models.CharField(_("pourquoi dans ce groupe"), max_length=500, blank=True)
    assigned_at = models.DateTimeField(_("attribué le"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("signalé à l'équipe le"), null=True, blank=True)
    drop_reason = models.TextField(_("motif d'abandon"), max_length=1000, blank=True)
    # The actor's closing report and the association's word.
    report = models.TextField(_("bilan de l'acteur"), max_length=5000, blank=True)
    closed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1 à 5)"), null=True, blank=True
    )
    satisfaction_comment = models.TextField(_("commentaire"), max_length=2000, blank=True)
    # The measured result: the diagnostic before (the application's snapshot) and after.
    rediagnostic_invited_at = models.DateTimeField(null=True, blank=True)
    rediagnostic_reminded_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(_("résultat mesuré"), default=dict, blank=True)
    lasting_invited_at = models.DateTimeField(null=True, blank=True)
    lasting_result = models.JSONField(_("résultat à six mois"), default=dict, blank=True)

    class Meta:
        verbose_name = _("accompagnement")
        verbose_name_plural = _("accompagnements")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["actor", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | (Q(satisfaction__gte=1) & Q(satisfaction__lte=5)),
                name="fund_support_satisfaction_1_5",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="fund_support_end_after_start",
            ),
        ]

    def __str__(self):
        return f"Accompagnement {self.application.reference}"


class SupportTransition(TransitionRecord):
    support = models.ForeignKey(Support, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("historique d'un accompagnement")


class GrantChange(TimeStampedModel):
    """The team changing the days granted to a support, with its reason."""

    support = models.ForeignKey(Support, on_delete=models.CASCADE, related_name="grant_changes")
    days_before = models.DecimalField(max_digits=5, decimal_places=1)
    days_after = models.DecimalField(max_digits=5, decimal_places=1)
    reason = models.CharField(_("motif"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]


class OfferStatus(models.TextChoices):
    SENT = "envoyee", _("Envoyée")
    ACCEPTED = "acceptee", _("Acceptée")
    DECLINED = "declinee", _("Déclinée")
    TAKEN = "prise", _("Prise par un autre acteur")
    REVOKED = "revoquee", _("Retirée par l'équipe")
    EXPIRED = "expiree", _("Sans réponse dans le délai")


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "capacite", _("Nous n'avons pas de disponibilité")
    OUT_OF_SCOPE = "theme", _("Ce n'est pas notre domaine")
    TOO_FAR = "distance", _("Trop loin de chez nous")
    CONFLICT = "conflit", _("Conflit d'intérêts")
    OTHER = "autre", _("Autre raison")


class Offer(TimeStampedModel):
    """One support or one cohort proposed to one actor (exactly one of the two)."""

    support = models.ForeignKey(
        Support, null=True, blank=True, on_delete=models.CASCADE, related_name="offers"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="offers"
    )
    actor = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="fund_offers")
    status = models.CharField(
        _("état"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.SENT
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("réponse attendue avant le"))
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_reason = models.CharField(
        _("motif"), max_length=10, choices=DeclineReason.choices, blank=True
    )
    decline_comment = models.CharField(_("précision"), max_length=500, blank=True)
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    why = models.CharField(_("pourquoi cet acteur"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("proposition à un acteur")
        verbose_name_plural = _("propositions aux acteurs")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(support__isnull=False) & Q(cohort__isnull=True))
                | (Q(support__isnull=True) & Q(cohort__isnull=False)),
                name="fund_offer_support_xor_cohort",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]


class OfferTransition(TransitionRecord):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("historique d'une proposition")


class DurationUnit(models.TextChoices):
    HOURS = "heures", _("heures")
    HALF_DAYS = "demi_journees", _("demi-journées")


class SessionLog(TimeStampedModel):
    """A session the actor delivered, for one support (individual) or one cohort."""

    support = models.ForeignKey(
        Support, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("date de la séance"))
    duration = models.DecimalField(_("durée"), max_digits=4, decimal_places=1)
    unit = models.CharField(
        _("unité"), max_length=14, choices=DurationUnit.choices, default=DurationUnit.HOURS
    )
    # The duration in days (hours / FUND_HOURS_PER_DAY, or half-days / 2), kept at logging.
    days = models.DecimalField(_("jours"), max_digits=5, decimal_places=2)
    action_keys = models.JSONField(_("actions travaillées"), default=list, blank=True)
    attendees = models.CharField(_("participants"), max_length=500, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The cohort's planned agenda event this session delivered (a ``CohortEvent``'s id, parts
    # never share models); its marked attendance pre-fills the associations present.
    event_id = models.PositiveIntegerField(_("séance programmée"), null=True, blank=True)

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(support__isnull=False) & Q(cohort__isnull=True))
                | (Q(support__isnull=True) & Q(cohort__isnull=False)),
                name="fund_session_support_xor_cohort",
            ),
            models.CheckConstraint(condition=Q(duration__gt=0), name="fund_session_positive"),
            # A planned session is delivered once.
            models.UniqueConstraint(
                fields=["event_id"],
                condition=Q(event_id__isnull=False),
                name="fund_one_log_per_event",
            ),
        ]


class CheckStatus(models.TextChoices):
    PENDING = "a_confirmer", _("À confirmer")
    CONFIRMED = "confirmee", _("Confirmée")
    CONTESTED = "contestee", _("Contestée")


class SessionCheck(TimeStampedModel):
    """One association's word on one session: confirmed or contested (with why)."""

    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="checks")
    support = models.ForeignKey(Support, on_delete=models.CASCADE, related_name="session_checks")
    status = models.CharField(
        _("état"), max_length=12, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    comment = models.CharField(_("commentaire"), max_length=1000, blank=True)
    # For a cohort's session: whether this association attended (as the actor logged it,
    # pre-filled from the agenda's attendance); empty for an individual support's session.
    attended = models.BooleanField(_("présente"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "support"], name="fund_one_check_per_session"
            )
        ]
