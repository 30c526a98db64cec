from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..workflow import TransitionRecord
from .base import TimeStampedModel
from .moderation import Moderated
from .territories import Commune


class OrganisationKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    SUPPORT_STRUCTURE = "support_structure", _("Structure d'accompagnement")


class Sector(models.TextChoices):
    SPORT = "sport", _("Sport")
    CULTURE = "culture", _("Culture et patrimoine")
    SOCIAL = "social", _("Action sociale et solidarité")
    EDUCATION = "education", _("Éducation, jeunesse et éducation populaire")
    ENVIRONMENT = "environment", _("Environnement et transition écologique")
    HEALTH = "health", _("Santé et handicap")
    HUMANITARIAN = "humanitarian", _("Humanitaire et solidarité internationale")
    LEISURE = "leisure", _("Loisirs et vie locale")
    RIGHTS = "rights", _("Défense des droits et citoyenneté")
    ECONOMY = "economy", _("Emploi, insertion et économie sociale")
    OTHER = "other", _("Autre")


class MembersBand(models.TextChoices):
    UP_TO_10 = "1-10", _("1 à 10 membres")
    UP_TO_50 = "11-50", _("11 à 50 membres")
    UP_TO_200 = "51-200", _("51 à 200 membres")
    UP_TO_1000 = "201-1000", _("201 à 1 000 membres")
    MORE = "1000+", _("Plus de 1 000 membres")


class BudgetBand(models.TextChoices):
    UP_TO_10K = "0-10k", _("Moins de 10 000 €")
    UP_TO_50K = "10k-50k", _("10 000 à 50 000 €")
    UP_TO_200K = "50k-200k", _("50 000 à 200 000 €")
    UP_TO_1M = "200k-1m", _("200 000 € à 1 million €")
    MORE = "1m+", _("Plus de 1 million €")


class VerificationStatus(models.TextChoices):
    """Where the team's check of an organisation stands (``organisations.verification``)."""

    PENDING = "pending", _("À vérifier")
    INCOMPLETE = "incomplete", _("Informations manquantes")
    VERIFIED = "verified", _("Vérifiée")


class Organisation(TimeStampedModel):
    """An association (loi 1901) or a support structure. Identified by RNA and/or SIREN/SIRET."""

    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse courte"), max_length=220, unique=True)
    rna = models.CharField(
        _("numéro RNA"), max_length=10, blank=True, help_text=_("W suivi de 9 chiffres")
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT
    )
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices, blank=True)
    members_band = models.CharField(
        _("nombre de membres"), max_length=10, choices=MembersBand.choices, blank=True
    )
    budget_band = models.CharField(
        _("budget annuel"), max_length=10, choices=BudgetBand.choices, blank=True
    )
    description = models.TextField(_("présentation"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    public_email = models.EmailField(_("adresse de contact publique"), blank=True)
    # Changed only by ``organisations.verification.transition_verification`` (history:
    # ``OrganisationVerification``); ``verified_at`` is set with it.
    verification_status = models.CharField(
        _("vérification"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        db_index=True,
    )
    verified_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [
            models.UniqueConstraint(
                fields=["rna"], condition=~models.Q(rna=""), name="organisation_unique_rna"
            ),
            models.UniqueConstraint(
                fields=["siret"], condition=~models.Q(siret=""), name="organisation_unique_siret"
            ),
            models.CheckConstraint(
                condition=models.Q(rna="") | models.Q(rna__regex=r"^W[0-9]{9}$"),
                name="organisation_rna_format",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_verified(self):
        return self.verified_at is not None

    def get_absolute_url(self):
        return reverse("core:organisation_detail", args=[self.slug])


class OrganisationVerification(TransitionRecord):
    """One step of the team's check of an organisation: who, when, from, to, why."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="verification_history"
    )

    class Meta(TransitionRecord.Meta):
        verbose_name = _("étape de vérification")
        verbose_name_plural = _("étapes de vérification")


class OrganisationCorrection(Moderated, TimeStampedModel):
    """Someone reports an error on an organisation's page. It goes through the moderation
    queue; "published" means the team has handled it (the change itself is made by hand)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    message = models.TextField(_("correction proposée"), max_length=2000)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("correction d'organisation")
        verbose_name_plural = _("corrections d'organisations")

    def __str__(self):
        return str(_("Correction pour « %(name)s »") % {"name": self.organisation.name})

    def organisation_url(self):
        return self.organisation.get_absolute_url()


# What the team checked when it verified an organisation, and what e-mails and the public page
# vouch for: once verified, these change only through an accepted OrganisationChange.
VERIFIED_FIELDS = ("name", "rna", "siren", "siret", "public_email", "website")


class OrganisationChange(Moderated, TimeStampedModel):
    """A change of a verified organisation's name, identifiers or contact addresses, proposed
    by one of its administrators. Nothing changes until the team publishes it (the moderation
    queue's ``on_published`` hook applies it); the organisation stays verified."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    # {field name: new value} for the changed fields of VERIFIED_FIELDS only.
    changes = models.JSONField(_("changements proposés"), default=dict)
    # The values they replace, so that the team sees a before/after.
    previous = models.JSONField(_("valeurs remplacées"), default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("changement d'une organisation vérifiée")
        verbose_name_plural = _("changements d'organisations vérifiées")

    def __str__(self):
        return str(_("Changement pour « %(name)s »") % {"name": self.organisation.name})

    def summary(self) -> str:
        """« name: old → new; … » with the fields' French labels, for the moderation queue."""
        parts = []
        for field, value in self.changes.items():
            label = Organisation._meta.get_field(field).verbose_name
            before = self.previous.get(field) or "—"
            parts.append(f"{label} : « {before} » → « {value or '—'} »")
        return f"{self.organisation.name} — " + " ; ".join(parts)
