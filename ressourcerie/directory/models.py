"""Places of the support-actor directory, in the national standard plus what associations need.

Field names follow schema v1.0.1 (``docs/opendata/directory.md`` gives the mapping). Code
lists are stored as ``",a,b,"`` strings (see ``vocabulary``) so filters work on both engines.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Commune, Moderated, Organisation, TimeStampedModel
from ressourcerie.core.workflow import TransitionRecord

from . import vocabulary as v


class CodeListField(models.CharField):
    """A ``",a,b,"`` code list; ``choices_class`` documents which vocabulary it holds."""

    def __init__(self, *args, choices_class=None, **kwargs):
        self.choices_class = choices_class
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class Place(TimeStampedModel):
    # --- schema v1.0.1 -------------------------------------------------------------------
    slug = models.SlugField(_("adresse courte"), max_length=220, unique=True)
    name = models.CharField(_("nom"), max_length=250)  # nom
    pivot = models.CharField(_("SIRET, RNA ou RIDET"), max_length=14, blank=True)
    commune_name = models.CharField(_("commune"), max_length=120)  # commune (as published)
    postal_code = models.CharField(_("code postal"), max_length=5)  # code_postal
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True)  # code_insee
    address = models.CharField(_("adresse"), max_length=250)  # adresse
    address_complement = models.CharField(_("complément d'adresse"), max_length=250, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # "where the coordinates come from": "source" (the file) or "commune" (its centre).
    coordinates_origin = models.CharField(max_length=10, blank=True)
    typology = CodeListField(_("typologie"))  # free codes of the standard (RFS, MUNI, ...)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)  # telephone
    emails = models.JSONField(_("courriels"), default=list, blank=True)  # courriels (list)
    websites = models.JSONField(_("sites web"), default=list, blank=True)  # site_web (list)
    opening_hours = models.CharField(
        _("horaires (format OpenStreetMap)"), max_length=500, blank=True
    )
    summary = models.TextField(_("présentation résumée"), blank=True)  # presentation_resume
    description = models.TextField(_("présentation détaillée"), blank=True)
    source = models.CharField(_("structure collectant la donnée"), max_length=200, blank=True)
    roaming = CodeListField(_("itinérance"), choices_class=v.Roaming)
    parent_structure = models.CharField(_("structure parente"), max_length=250, blank=True)
    source_updated_on = models.DateField(_("date de mise à jour"), null=True, blank=True)
    services = CodeListField(_("services"), choices_class=v.Service)
    publics = CodeListField(_("publics spécifiquement adressés"), choices_class=v.Public)
    specific_support = CodeListField(
        _("prise en charge spécifique"), choices_class=v.SpecificSupport
    )
    fees = CodeListField(_("frais à charge"), choices_class=v.Fee)
    national_programmes = CodeListField(
        _("dispositifs et programmes nationaux"), choices_class=v.NationalProgramme
    )
    training_labels = CodeListField(_("formations et labels"), choices_class=v.TrainingLabel)
    other_labels = models.JSONField(_("autres formations et labels"), default=list, blank=True)
    access_modes = CodeListField(_("modalités d'accès"), choices_class=v.AccessMode)
    support_modes = CodeListField(_("modalités d'accompagnement"), choices_class=v.SupportMode)
    accessibility_url = models.URLField(_("fiche Accès libre"), max_length=500, blank=True)
    booking_url = models.URLField(_("prise de rendez-vous"), max_length=500, blank=True)

    # --- what associations need ---------------------------------------------------------
    kinds = CodeListField(_("type d'acteur"), choices_class=v.ActorKind)
    guidasso_level = models.PositiveSmallIntegerField(
        _("niveau Guid'Asso"), choices=v.GuidassoLevel.choices, null=True, blank=True
    )
    association_support = CodeListField(
        _("accompagnement des associations"), choices_class=v.AssociationSupport
    )
    accepted_equipment = CodeListField(_("matériel accepté"), choices_class=v.Equipment)

    # --- links and life cycle -----------------------------------------------------------
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), null=True, blank=True, on_delete=models.SET_NULL
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure gestionnaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="places",
    )
    is_published = models.BooleanField(_("publié"), default=True, db_index=True)
    # Freshness: last time someone responsible said the listing is right.
    confirmed_at = models.DateTimeField(_("confirmé à jour le"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        # The box of near-me and of the map, and the map's grid clusters read from the index
        # alone (is_published in it): 20,000 places counted without touching the table.
        indexes = [
            models.Index(fields=["latitude", "longitude", "is_published"], name="place_lat_lon_pub")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | (models.Q(latitude__gte=-90, latitude__lte=90)),
                name="place_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | (models.Q(longitude__gte=-180, longitude__lte=180)),
                name="place_longitude_in_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:place_detail", kwargs={"slug": self.slug})

    def labels(self, field_name: str) -> list[str]:
        field = self._meta.get_field(field_name)
        return v.labels(field.choices_class, getattr(self, field_name))


class PlaceSource(models.Model):
    """One row of one imported file that describes this place (merged duplicates keep all)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="sources")
    dataset = models.CharField(_("jeu de données"), max_length=200)
    external_id = models.CharField(_("identifiant dans la source"), max_length=250)
    collector = models.CharField(_("structure collectant la donnée"), max_length=200, blank=True)
    file_name = models.CharField(_("fichier"), max_length=250, blank=True)
    raw = models.JSONField(_("ligne d'origine"), default=dict)
    # The first source of a place writes its fields; later ones only fill blanks.
    is_primary = models.BooleanField(default=False)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_primary", "dataset", "external_id"]
        verbose_name = _("source d'un lieu")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "external_id"], name="place_source_unique")
        ]

    def __str__(self):
        return f"{self.dataset}:{self.external_id}"


class PlaceReport(Moderated, TimeStampedModel):
    """ "Signaler une erreur" on a place page; decided in the shared moderation queue."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="reports")
    message = models.TextField(_("ce qui est inexact"), max_length=2000)
    email = models.EmailField(_("votre adresse (facultatif)"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signalement d'erreur sur un lieu")

    def __str__(self):
        return f"{self.place.name} : {self.message[:60]}"


class PlaceClaim(TimeStampedModel):
    """A user asks to manage a listing: by a code e-mailed to the listing's address, or staff.

    pending → approved | rejected, only through ``services.transition_claim`` (the code
    check and the team's decision both call it), each move written to ``PlaceClaimTransition``.
    Approval links the place to the claimer's support structure and makes them its editor.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Acceptée")
        REJECTED = "rejected", _("Refusée")

    class Method(models.TextChoices):
        CODE = "code", _("Code envoyé à l'adresse publiée")
        STAFF = "staff", _("Validation par l'équipe")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The support structure the claimer chose; empty: one is created, named after the place.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    method = models.CharField(max_length=5, choices=Method.choices, default=Method.STAFF)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(_("votre lien avec ce lieu"), max_length=1000, blank=True)
    code_hash = models.CharField(max_length=64, blank=True)
    code_sent_to = models.EmailField(blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("motif"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande de gestion d'un lieu")

    def __str__(self):
        return f"{self.place.name} ({self.get_status_display()})"


class PlaceClaimTransition(TransitionRecord):
    """One status change of a claim (``services.transition_claim``)."""

    claim = models.ForeignKey(PlaceClaim, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("changement d'état d'une demande de gestion")

    def __str__(self):
        return f"{self.claim_id}: {self.from_status} → {self.to_status}"


class PlaceEdit(Moderated, TimeStampedModel):
    """Changes an editor proposes to a listing; applied to the place when published."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="edits")
    # {field name: new value} for the changed fields only, as the form cleaned them.
    changes = models.JSONField(default=dict)
    # The values they replace, to show the moderator a before/after.
    previous = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("modification d'une fiche de lieu")

    def __str__(self):
        return f"{self.place.name} : {', '.join(self.changes)}"


class ContactMessage(TimeStampedModel):
    """A message from an association member to an actor, relayed by e-mail (purged at 12 months)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("au nom de"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("objet"), max_length=150)
    body = models.TextField(_("message"), max_length=3000)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message à un acteur")
        indexes = [models.Index(fields=["created_at"], name="contact_message_created")]
