import re

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import (
    Department,
    Moderated,
    ModerationStatus,
    Organisation,
    TimeStampedModel,
)
from ressourcerie.core.models.organisations import MembersBand, Sector


class DisplayMode(models.TextChoices):
    NAMED = "named", _("Avec le nom de l'association")
    ANONYMOUS = "anonymous", _("Sans nom (« une association de … »)")


class ToolRole(models.TextChoices):
    BEFORE = "before", _("Avant")
    AFTER = "after", _("Après")


# "une association de sport", "d'action sociale…": the sector as the end of a sentence.
SECTOR_PHRASES = {
    Sector.SPORT: _("de sport"),
    Sector.CULTURE: _("de culture et de patrimoine"),
    Sector.SOCIAL: _("d'action sociale et de solidarité"),
    Sector.EDUCATION: _("d'éducation et de jeunesse"),
    Sector.ENVIRONMENT: _("d'environnement"),
    Sector.HEALTH: _("de santé et de handicap"),
    Sector.HUMANITARIAN: _("humanitaire"),
    Sector.LEISURE: _("de loisirs et de vie locale"),
    Sector.RIGHTS: _("de défense des droits"),
    Sector.ECONOMY: _("d'emploi et d'insertion"),
    Sector.OTHER: "",
}
SIZE_PHRASES = {
    MembersBand.UP_TO_10: _("de 1 à 10 membres"),
    MembersBand.UP_TO_50: _("de 11 à 50 membres"),
    MembersBand.UP_TO_200: _("de 51 à 200 membres"),
    MembersBand.UP_TO_1000: _("de 201 à 1 000 membres"),
    MembersBand.MORE: _("de plus de 1 000 membres"),
}


# The story's fields written in Markdown (the page and the moderation review render them).
MARKDOWN_FIELDS = ("problem", "actions", "results", "difficulties", "advice")


class Testimonial(Moderated, TimeStampedModel):
    """How an association did it: the problem, what it did, tools before → after, results.

    Published only through the moderation queue; the author edits (back to "submitted") or
    withdraws it at any time."""

    __test__ = False  # not a pytest class, despite the name

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="testimonials",
        limit_choices_to={"kind": "association"},
    )
    display_mode = models.CharField(
        _("affichage"), max_length=10, choices=DisplayMode.choices, default=DisplayMode.NAMED
    )
    consent_names = models.BooleanField(_("accord pour publier le nom"), default=False)
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices, blank=True)
    members_band = models.CharField(
        _("taille"), max_length=10, choices=MembersBand.choices, blank=True
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("titre"), max_length=200)
    problem = models.TextField(_("le problème de départ"), max_length=5000)
    actions = models.TextField(_("ce que vous avez fait"), max_length=8000)
    results = models.TextField(_("les résultats"), max_length=5000, blank=True)
    difficulties = models.TextField(_("les difficultés"), max_length=5000, blank=True)
    advice = models.TextField(_("vos conseils"), max_length=5000, blank=True)
    cost_note = models.CharField(_("coût"), max_length=300, blank=True)
    cost_amount = models.DecimalField(
        _("montant total (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    time_spent = models.CharField(_("temps passé"), max_length=200, blank=True)
    video_url = models.URLField(_("lien vers une vidéo"), max_length=500, blank=True)
    contact_opt_in = models.BooleanField(_("accepte d'être contactée"), default=False)
    is_example = models.BooleanField(_("exemple (démonstration)"), default=False)
    tools = models.ManyToManyField(
        "toolbox.Tool", through="TestimonialTool", related_name="testimonials", blank=True
    )
    actors = models.ManyToManyField(
        Organisation,
        verbose_name=_("acteurs qui ont aidé"),
        related_name="supported_testimonials",
        blank=True,
        limit_choices_to={"kind": "support_structure"},
    )

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("témoignage")
        indexes = [
            models.Index(
                fields=["moderation_status", "-published_at"], name="testimonial_status_pub"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(display_mode="named") | models.Q(consent_names=True),
                name="testimonial_named_needs_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(cost_amount__isnull=True) | models.Q(cost_amount__gte=0),
                name="testimonial_cost_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("testimonials:detail", args=[self.pk])

    @property
    def cost_text(self) -> str:
        """The cost as read: the note, with the amount only when the note does not already
        say it ("0 € : espace offert" was shown "0 € : espace offert (0 €)"); an amount of
        zero with no note reads "Aucun coût"."""
        note = self.cost_note.strip()
        if self.cost_amount is None:
            return note
        amount = floatformat(self.cost_amount, "-2")
        if not note:
            return gettext("Aucun coût") if self.cost_amount == 0 else f"{amount} €"
        said = re.sub(r"\s", "", note).casefold()
        if f"{amount}€" in said or f"{amount}euro" in said:
            return note
        return f"{note} ({amount} €)"

    @property
    def is_named(self) -> bool:
        return self.display_mode == DisplayMode.NAMED

    @property
    def author_label(self) -> str:
        """The association's name, or "Une association de sport de 51 à 200 membres"."""
        if self.is_named:
            return self.organisation.name
        parts = [gettext("Une association")]
        if self.sector and SECTOR_PHRASES.get(self.sector):
            parts.append(str(SECTOR_PHRASES[self.sector]))
        if self.members_band:
            parts.append(str(SIZE_PHRASES[self.members_band]))
        return " ".join(parts)

    def tools_with_role(self, role):
        return [link.tool for link in self.tool_links.all() if link.role == role]

    @property
    def tools_before(self):
        return self.tools_with_role(ToolRole.BEFORE)

    @property
    def tools_after(self):
        return self.tools_with_role(ToolRole.AFTER)

    @property
    def is_visible(self):
        return self.moderation_status == ModerationStatus.PUBLISHED


class TestimonialTool(models.Model):
    """A tool the association used before, or uses after."""

    __test__ = False  # not a pytest class, despite the name

    testimonial = models.ForeignKey(
        Testimonial, on_delete=models.CASCADE, related_name="tool_links"
    )
    tool = models.ForeignKey(
        "toolbox.Tool", on_delete=models.CASCADE, related_name="testimonial_links"
    )
    role = models.CharField(_("rôle"), max_length=6, choices=ToolRole.choices)

    class Meta:
        ordering = ["role", "tool__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["testimonial", "tool", "role"], name="testimonialtool_unique"
            )
        ]

    def __str__(self):
        return f"{self.testimonial_id} {self.role} {self.tool_id}"


class TestimonialImage(TimeStampedModel):
    """An image re-encoded on upload (WebP, no metadata), with its mandatory alternative text."""

    __test__ = False  # not a pytest class, despite the name

    testimonial = models.ForeignKey(Testimonial, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="testimonials/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # A smaller copy shown in the page (the full image is one click away).
    thumbnail = models.ImageField(
        upload_to="testimonials/thumbs/",
        width_field="thumbnail_width",
        height_field="thumbnail_height",
    )
    thumbnail_width = models.PositiveIntegerField(default=0)
    thumbnail_height = models.PositiveIntegerField(default=0)
    alt = models.CharField(_("texte alternatif"), max_length=250)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("image de témoignage")
        constraints = [
            models.CheckConstraint(condition=~models.Q(alt=""), name="testimonialimage_alt"),
        ]

    def __str__(self):
        return self.alt


class ContactMessage(models.Model):
    """A message relayed to an association by e-mail; purged after 12 months."""

    testimonial = models.ForeignKey(
        Testimonial, on_delete=models.CASCADE, related_name="contact_messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender_email = models.EmailField(_("adresse de l'expéditeur"))
    message = models.TextField(_("message"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message relayé")
        verbose_name_plural = _("messages relayés")

    def __str__(self):
        return f"{self.sender_email} → {self.testimonial_id}"


def delete_image_files(sender, instance, **kwargs):
    """Files of a deleted image (removed, withdrawn, erased, cascaded) go once the row is
    surely gone."""
    files = [(f.storage, f.name) for f in (instance.image, instance.thumbnail) if f and f.name]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


models.signals.post_delete.connect(
    delete_image_files, sender=TestimonialImage, dispatch_uid="testimonial-image-files"
)
