from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Department, TimeStampedModel
from ressourcerie.core.workflow import TransitionRecord


class Topic(models.TextChoices):
    TOOLS = "outils", _("Outils numériques")
    EVENTS = "evenements", _("Événements et formations")
    FUND_CALLS = "appels-a-projets", _("Appels à projets du fonds")
    DONATIONS = "dons", _("Dons d'ordinateurs")
    TESTIMONIALS = "temoignages", _("Témoignages")


def encode_topics(codes) -> str:
    """Topics as ",a,b," so that `topics__contains=",a,"` filters on every database."""
    valid = [c for c in Topic.values if c in set(codes)]
    return "," + ",".join(valid) + "," if valid else ""


def decode_topics(value: str) -> list[str]:
    return [c for c in (value or "").split(",") if c]


def topic_filter(code: str) -> models.Q:
    return models.Q(topics__contains=f",{code},")


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("En attente de confirmation")
    CONFIRMED = "confirmed", _("Confirmé")
    UNSUBSCRIBED = "unsubscribed", _("Désinscrit")
    BOUNCING = "bouncing", _("Adresse en échec")


class Subscriber(TimeStampedModel):
    email = models.EmailField(_("adresse e-mail"), max_length=254)
    status = models.CharField(
        _("statut"), max_length=20, choices=SubscriberStatus, default=SubscriberStatus.PENDING
    )
    topics = models.CharField(_("thèmes"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounce_count = models.PositiveIntegerField(default=0)
    last_bounce_at = models.DateTimeField(null=True, blank=True)
    # Bumped on each (re)subscription: links signed for an older version stop working.
    token_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("abonné")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci"),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return self.email

    @property
    def topic_codes(self) -> list[str]:
        return decode_topics(self.topics)

    @property
    def topic_labels(self) -> list[str]:
        return [str(Topic(c).label) for c in self.topic_codes]


class ConsentAction(models.TextChoices):
    SUBSCRIBE = "subscribe", _("Inscription")
    CONFIRM = "confirm", _("Confirmation")
    UPDATE = "update", _("Changement de préférences")
    UNSUBSCRIBE = "unsubscribe", _("Désinscription")
    BOUNCE = "bounce", _("Adresse en échec")


class ConsentRecord(TransitionRecord):
    """The subscriber's history, one row per consent event or status change: the proof of
    consent and the record of the status machine at once (``from_status`` = ``to_status``
    when only the preferences changed; both empty on rows older than the machine)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=20, choices=ConsentAction)
    wording_version = models.CharField(max_length=20, blank=True)
    topics = models.CharField(max_length=200, blank=True)
    # "formulaire", "compte", "lien en un clic", "serveur de messagerie"…: how it came.
    source = models.CharField(max_length=40, blank=True)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("trace de consentement")

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d}"


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SCHEDULED = "scheduled", _("Programmée")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyée")


class Edition(TimeStampedModel):
    subject = models.CharField(_("objet"), max_length=150)
    body = models.TextField(_("texte (Markdown)"), blank=True)
    blocks = models.JSONField(_("blocs automatiques"), default=list, blank=True)
    period_start = models.DateField(_("début de la période"), null=True, blank=True)
    period_end = models.DateField(_("fin de la période"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=EditionStatus, default=EditionStatus.DRAFT)
    scheduled_at = models.DateTimeField(_("envoi prévu le"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients_count = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    unsubscribed_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("édition")

    def __str__(self):
        return self.subject

    @property
    def is_scheduled(self) -> bool:
        return self.status == EditionStatus.SCHEDULED

    def get_absolute_url(self):
        return reverse("newsletter:archive_detail", args=[self.pk])


class EditionTransition(TransitionRecord):
    """One status change of an edition (written by ``services.transition_edition`` only)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("changement d'état d'une édition")

    def __str__(self):
        return f"{self.edition_id}: {self.from_status} → {self.to_status}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    CLAIMED = "claimed", _("En cours")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")


class Delivery(models.Model):
    """One edition to one subscriber: the row that makes sending exactly once."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="newsletter_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self):
        return f"{self.edition_id}/{self.subscriber_id}: {self.status}"
