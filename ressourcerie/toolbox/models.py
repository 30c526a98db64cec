from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Moderated, TimeStampedModel

from .licences import is_free_licence


class Price(models.TextChoices):
    FREE = "gratuit", _("Gratuit")
    FREE_FOR_ASSOCIATIONS = "gratuit-associations", _("Gratuit pour les associations")
    FREEMIUM = "freemium", _("Gratuit avec options payantes")
    PAID = "payant", _("Payant")
    DISCOUNTED = "tarif-reduit", _("Tarif réduit via un programme")


class Hosting(models.TextChoices):
    PUBLISHER = "editeur", _("Service de l'éditeur")
    ETHICAL_HOST = "hebergeur-ethique", _("Chez des hébergeurs éthiques (CHATONS…)")
    SELF_HOSTABLE = "auto-hebergeable", _("Installable sur son propre serveur")
    LOCAL = "logiciel-local", _("Logiciel installé sur l'appareil")


class DataLocation(models.TextChoices):
    FRANCE = "france", _("France")
    EU = "ue", _("Union européenne")
    OUTSIDE_EU = "hors-ue", _("Hors Union européenne")
    LOCAL = "local", _("Sur votre appareil")
    UNKNOWN = "inconnu", _("Inconnu")


class Difficulty(models.TextChoices):
    BEGINNER = "debutant", _("Débutant")
    INTERMEDIATE = "intermediaire", _("Intermédiaire")
    ADVANCED = "avance", _("Avancé")


class Platform(models.TextChoices):
    WEB = "web", _("Navigateur web")
    WINDOWS = "windows", _("Windows")
    MACOS = "macos", _("macOS")
    LINUX = "linux", _("Linux")
    ANDROID = "android", _("Android")
    IOS = "ios", _("iPhone et iPad")


def pack(values) -> str:
    """Store a small set of codes as ",a,b," so that `__contains=",a,"` filters on any engine."""
    values = [v for v in dict.fromkeys(values) if v]
    return f",{','.join(values)}," if values else ""


def unpack(value: str) -> list[str]:
    return [v for v in (value or "").split(",") if v]


class Need(TimeStampedModel):
    """A need in plain words, two levels: Communiquer › Envoyer une lettre d'information."""

    slug = models.SlugField(_("adresse courte"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("besoin")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("toolbox:need", kwargs={"slug": self.slug})


class Tool(Moderated, TimeStampedModel):
    """A digital tool, or a well-known proprietary product kept as a "replaces" target."""

    slug = models.SlugField(_("adresse courte"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    pitch = models.CharField(_("en une phrase"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="toolbox/logos/", blank=True)
    licence = models.CharField(
        _("licence (identifiant SPDX)"), max_length=60, default="LicenseRef-proprietary"
    )
    is_free_software = models.BooleanField(_("logiciel libre"), default=False, editable=False)
    price = models.CharField(_("prix pour une association"), max_length=24, choices=Price.choices)
    price_note = models.CharField(_("précision sur le prix"), max_length=300, blank=True)
    hosting = models.CharField(_("hébergement"), max_length=100, blank=True)
    data_location = models.CharField(
        _("localisation des données"),
        max_length=10,
        choices=DataLocation.choices,
        default=DataLocation.UNKNOWN,
    )
    rgpd_note = models.CharField(_("données personnelles (RGPD)"), max_length=300, blank=True)
    accessibility_note = models.CharField(_("accessibilité"), max_length=300, blank=True)
    sobriety_note = models.CharField(_("sobriété"), max_length=300, blank=True)
    difficulty = models.CharField(
        _("prise en main"), max_length=16, choices=Difficulty.choices, default="debutant"
    )
    platforms = models.CharField(_("plateformes"), max_length=100, blank=True)
    languages = models.CharField(_("langues"), max_length=100, blank=True)
    keywords = models.CharField(_("mots-clés"), max_length=300, blank=True)
    proprietary_reference = models.BooleanField(
        _("outil propriétaire de référence"),
        default=False,
        help_text=_("Un outil connu qu'on cherche à remplacer (Zoom, Google Drive…)."),
    )
    verified_on = models.DateField(_("vérifié le"), null=True, blank=True)
    needs = models.ManyToManyField(Need, verbose_name=_("besoins"), related_name="tools")
    replaces = models.ManyToManyField(
        "self",
        through="Replacement",
        symmetrical=False,
        related_name="replaced_by",
        verbose_name=_("remplace"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("outil")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__in=[p.value for p in Price]), name="tool_price_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.is_free_software = is_free_licence(self.licence)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("toolbox:tool", kwargs={"slug": self.slug})

    @property
    def platform_list(self):
        return unpack(self.platforms)

    @property
    def hosting_list(self):
        return unpack(self.hosting)

    @property
    def language_list(self):
        return unpack(self.languages)


class Replacement(models.Model):
    """`tool` can replace `replaced`, and why (honest about limits)."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="replacements")
    replaced = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="replaced_in")
    reason = models.CharField(_("pourquoi"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tool", "replaced"], name="replacement_unique"),
            models.CheckConstraint(
                condition=~models.Q(tool=models.F("replaced")), name="replacement_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.tool} remplace {self.replaced}"


class Guide(Moderated, TimeStampedModel):
    """A step-by-step guide linked to tools and needs."""

    slug = models.SlugField(_("adresse courte"), max_length=120, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("résumé"), max_length=400)
    body = models.TextField(_("contenu (Markdown)"))
    difficulty = models.CharField(
        _("niveau"), max_length=16, choices=Difficulty.choices, default="debutant"
    )
    tools = models.ManyToManyField(Tool, blank=True, related_name="guides")
    needs = models.ManyToManyField(Need, blank=True, related_name="guides")

    class Meta:
        ordering = ["title"]
        verbose_name = _("guide")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("toolbox:guide", kwargs={"slug": self.slug})


class GuideImage(TimeStampedModel):
    """An image of a guide, re-encoded on upload, with its mandatory alternative text."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="toolbox/guides/")
    alt = models.CharField(_("texte alternatif"), max_length=250)

    def __str__(self):
        return self.alt


class ToolCorrection(Moderated, TimeStampedModel):
    """A signed-in person proposes a correction to a tool; staff apply it after review."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(_("ce qui est à corriger"), max_length=40)
    proposed_value = models.TextField(_("valeur proposée"), max_length=2000)
    source = models.URLField(_("source (facultatif)"), blank=True)

    class Meta:
        verbose_name = _("correction proposée")

    def __str__(self):
        return f"{self.tool} · {self.field}"
