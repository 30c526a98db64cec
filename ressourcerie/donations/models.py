"""Computer donations: donors offer lots, refurbishers handle them, associations receive them.

Statuses change only through ``services.transition_lot`` and ``services.transition_request``;
every change is written to ``Transition`` (one history table for both).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Commune, Organisation, TimeStampedModel
from ressourcerie.core.workflow import TransitionRecord
from ressourcerie.directory import selectors as directory

# The directory's codes: a drop-off point accepts what a lot is.
DeviceType = directory.equipment_kinds()


class DonorKind(models.TextChoices):
    COMPANY = "company", _("Entreprise")
    LOCAL_AUTHORITY = "local_authority", _("Collectivité")
    ASSOCIATION = "association", _("Association")
    INDIVIDUAL = "individual", _("Particulier")


ORGANISATION_DONORS = {DonorKind.COMPANY, DonorKind.LOCAL_AUTHORITY, DonorKind.ASSOCIATION}


class Logistics(models.TextChoices):
    DROP_OFF = "depot", _("Dépôt à un point de collecte")
    PICKUP = "enlevement", _("Enlèvement sur place")


class Erasure(models.TextChoices):
    BY_DONOR = "donateur", _("Déjà faite par le donateur")
    BY_REFURBISHER = "reconditionneur", _("À faire par le reconditionneur")


class Condition(models.TextChoices):
    WORKING = "fonctionne", _("Fonctionne")
    WORN = "use", _("Fonctionne, usé")
    BROKEN = "panne", _("En panne ou incomplet")
    UNKNOWN = "inconnu", _("Je ne sais pas")


class LotStatus(models.TextChoices):
    PROPOSED = "propose", _("Proposé")
    ACCEPTED = "accepte", _("Accepté par un reconditionneur")
    COLLECTED = "collecte", _("Collecté")
    ERASED = "efface", _("Données effacées")
    REFURBISHED = "reconditionne", _("Reconditionné")
    RECYCLED = "recycle", _("Recyclé (filière DEEE)")
    ALLOCATED = "attribue", _("Attribué")
    DELIVERED = "remis", _("Remis")
    WITHDRAWN = "retire", _("Retiré par le donateur")


class RequestStatus(models.TextChoices):
    SUBMITTED = "deposee", _("Déposée")
    VALIDATED = "validee", _("Validée")
    PARTIAL = "partielle", _("Partiellement servie")
    SERVED = "servie", _("Servie")
    CLOSED = "close", _("Close")


class Priority(models.IntegerChoices):
    NORMAL = 1, _("Normale")
    HIGH = 2, _("Élevée")
    URGENT = 3, _("Urgente")


class AreaKind(models.TextChoices):
    RADIUS = "rayon", _("Dans un rayon autour de mon atelier")
    DEPARTMENTS = "departements", _("Dans le ou les départements de mon atelier")


# The radius around a refurbisher's workshop when it has declared nothing (the distance the
# "new offer nearby" notice always used), and the bounds of what it may declare: a wider
# radius would show donors' towns across the country again.
DEFAULT_RADIUS_KM = 80
MIN_RADIUS_KM = 5
MAX_RADIUS_KM = 200


class ServiceArea(TimeStampedModel):
    """Where a refurbisher takes donations: it sees, is told about and may accept only the
    offers inside. No row means the default: 80 km around its workshop."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("reconditionneur"),
        on_delete=models.CASCADE,
        related_name="donation_area",
    )
    kind = models.CharField(
        _("zone d'intervention"), max_length=20, choices=AreaKind.choices, default=AreaKind.RADIUS
    )
    radius_km = models.PositiveSmallIntegerField(_("rayon (km)"), default=DEFAULT_RADIUS_KM)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("zone d'intervention")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(radius_km__gte=MIN_RADIUS_KM, radius_km__lte=MAX_RADIUS_KM),
                name="service_area_radius_bounds",
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_kind_display()}"


class Donor(TimeStampedModel):
    """Who gives. Contacts are private: the refurbisher handling its lots and staff only."""

    kind = models.CharField(_("vous êtes"), max_length=20, choices=DonorKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    email = models.EmailField(_("adresse e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), null=True, blank=True, on_delete=models.SET_NULL
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donation_donors",
    )

    class Meta:
        verbose_name = _("donateur")

    def __str__(self):
        return self.name


class Offer(TimeStampedModel):
    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="offers")
    # sha256 of the secret sent by e-mail; the same secret opens the donor's follow-up page.
    token_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    logistics = models.CharField(_("logistique"), max_length=20, choices=Logistics.choices)
    address = models.CharField(_("adresse d'enlèvement"), max_length=250, blank=True)
    erasure = models.CharField(_("effacement des données"), max_length=20, choices=Erasure.choices)
    erasure_method = models.CharField(_("méthode d'effacement"), max_length=200, blank=True)
    available_from = models.DateField(_("disponible à partir du"))
    available_until = models.DateField(_("disponible jusqu'au"), null=True, blank=True)
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT)
    notes = models.TextField(_("précisions"), max_length=2000, blank=True)
    contacts_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("offre de don")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available_until__isnull=True)
                | models.Q(available_until__gte=models.F("available_from")),
                name="offer_availability_ordered",
            )
        ]

    def __str__(self):
        return str(_("Offre n° %(pk)s") % {"pk": self.pk})


class Lot(TimeStampedModel):
    """A number of devices of one type. Outcome counts (reused + recycled = quantity) say
    what became of each device without splitting the lot."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="lots")
    device_type = models.CharField(_("type d'appareil"), max_length=20, choices=DeviceType.choices)
    quantity = models.PositiveIntegerField(_("quantité"))
    year = models.PositiveIntegerField(_("année approximative"), null=True, blank=True)
    condition = models.CharField(_("état"), max_length=20, choices=Condition.choices)
    specs = models.CharField(_("caractéristiques"), max_length=500, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=LotStatus.choices, default=LotStatus.PROPOSED
    )
    refurbisher = models.ForeignKey(
        Organisation,
        verbose_name=_("reconditionneur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donation_lots",
    )
    erasure_method = models.CharField(_("méthode d'effacement"), max_length=200, blank=True)
    erasure_certificate = models.CharField(
        _("référence du certificat d'effacement"), max_length=100, blank=True
    )
    reused_count = models.PositiveIntegerField(_("reconditionnés"), default=0)
    recycled_count = models.PositiveIntegerField(_("recyclés"), default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("lot")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="lot_quantity_min"),
            models.CheckConstraint(
                condition=models.Q(
                    reused_count__lte=models.F("quantity") - models.F("recycled_count")
                ),
                name="lot_outcomes_within_quantity",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.get_device_type_display()}"

    @property
    def allocated_count(self) -> int:
        return sum(a.quantity for a in self.allocations.all())

    @property
    def available_count(self) -> int:
        return self.reused_count - self.allocated_count


class DeviceRequest(TimeStampedModel):
    """What a verified association needs."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="donation_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    device_type = models.CharField(_("type d'appareil"), max_length=20, choices=DeviceType.choices)
    quantity = models.PositiveIntegerField(_("quantité"))
    minimum_specs = models.CharField(_("caractéristiques minimales"), max_length=500, blank=True)
    intended_use = models.TextField(_("usage prévu"), max_length=2000)
    beneficiaries = models.CharField(_("personnes qui en bénéficieront"), max_length=500)
    priority = models.PositiveSmallIntegerField(
        _("priorité"), choices=Priority.choices, default=Priority.NORMAL
    )
    # Required by the form only for a priority above « Normale ».
    priority_reason = models.TextField(_("pourquoi c'est prioritaire"), max_length=2000, blank=True)
    contact_email = models.EmailField(_("e-mail de contact"))
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    share_name = models.BooleanField(
        _("le donateur peut voir le nom de notre association"), default=False
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("demande de matériel")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="request_quantity_min")
        ]

    def __str__(self):
        return f"{self.organisation} : {self.quantity} × {self.get_device_type_display()}"

    @property
    def allocated_count(self) -> int:
        return sum(a.quantity for a in self.allocations.all())


class Allocation(TimeStampedModel):
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="allocations")
    request = models.ForeignKey(DeviceRequest, on_delete=models.PROTECT, related_name="allocations")
    quantity = models.PositiveIntegerField(_("quantité"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("reçu le"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attribution")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="allocation_quantity_min"
            ),
            models.UniqueConstraint(fields=["lot", "request"], name="allocation_unique"),
        ]


class Transition(TransitionRecord):
    """One status change of a lot or a request: who, when, from, to, why (the fields of
    ``TransitionRecord``), and which lot or request."""

    class Subject(models.TextChoices):
        LOT = "lot", _("lot")
        REQUEST = "request", _("demande")

    subject = models.CharField(max_length=10, choices=Subject.choices)
    object_id = models.PositiveIntegerField()

    class Meta(TransitionRecord.Meta):
        indexes = [models.Index(fields=["subject", "object_id"], name="donation_transition_obj")]

    def __str__(self):
        return f"{self.subject} {self.object_id}: {self.from_status} → {self.to_status}"

    def _label(self, status: str) -> str:
        choices = LotStatus if self.subject == self.Subject.LOT else RequestStatus
        return str(choices(status).label) if status in choices.values else status or "—"

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)
