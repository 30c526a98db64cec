"""Calls for applications (appels), their priority criteria, review grid and reviewer groups."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Department, TimeStampedModel
from ressourcerie.core.workflow import TransitionRecord


class CallStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    PUBLISHED = "publie", _("Publié (à venir)")
    OPEN = "ouvert", _("Ouvert")
    CLOSED = "clos", _("Clos")
    ARCHIVED = "archive", _("Archivé")


# States visible to the public (list, page, feeds, open data).
PUBLIC_CALL_STATUSES = (CallStatus.PUBLISHED, CallStatus.OPEN, CallStatus.CLOSED)


class Call(TimeStampedModel):
    """An appel: budget in euros and in support days, dates, eligibility rules, priority
    criteria, the support formats offered, the documents asked for and the review grid."""

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse courte"), max_length=220, unique=True)
    summary = models.CharField(_("résumé"), max_length=300)
    text = models.TextField(_("texte de l'appel (Markdown)"), max_length=20000)
    status = models.CharField(
        _("état"), max_length=12, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    budget_euros = models.PositiveIntegerField(_("budget en euros"))
    budget_days = models.DecimalField(
        _("budget en jours d'accompagnement"), max_digits=6, decimal_places=1
    )
    day_value_euros = models.PositiveIntegerField(
        _("valeur d'une journée d'accompagnement (€)"),
        help_text=_(
            "Sert à valoriser les jours accordés (aide en nature dans les données ouvertes)."
        ),
    )
    opens_on = models.DateField(_("ouverture le"))
    closes_on = models.DateField(_("clôture le"))
    # Eligibility: empty means "no restriction" for each of them.
    departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("départements éligibles")
    )
    members_bands = models.JSONField(
        _("tailles éligibles (nombre de membres)"), default=list, blank=True
    )
    budget_bands = models.JSONField(_("budgets annuels éligibles"), default=list, blank=True)
    sectors = models.JSONField(_("secteurs éligibles"), default=list, blank=True)
    verified_only = models.BooleanField(_("associations vérifiées seulement"), default=True)
    # Support formats offered.
    individual_support = models.BooleanField(_("accompagnement individuel"), default=True)
    individual_max_days = models.DecimalField(
        _("jours au plus par association (individuel)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("5.0"),
    )
    collective_support = models.BooleanField(_("accompagnement collectif"), default=False)
    cohort_min = models.PositiveSmallIntegerField(_("taille minimale d'un groupe"), default=4)
    cohort_max = models.PositiveSmallIntegerField(_("taille maximale d'un groupe"), default=12)
    # Support (part 2): how far from the association an actor may be proposed, and how far
    # apart the members of a cohort may be when they are not in the same department.
    support_radius_km = models.PositiveSmallIntegerField(
        _("distance maximale d'un acteur (km)"), default=50
    )
    # What an applicant ticks before submitting ("J'atteste que…"), one sentence per item.
    checklist = models.JSONField(_("liste de vérification"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("appel")
        verbose_name_plural = _("appels")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="fund_call_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(budget_days__gte=0), name="fund_call_budget_days_positive"
            ),
            models.CheckConstraint(
                condition=Q(individual_support=True) | Q(collective_support=True),
                name="fund_call_offers_a_format",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("fund:call_detail", args=[self.slug])


class CallTransition(TransitionRecord):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("changement d'état d'un appel")


class PriorityKind(models.TextChoices):
    RURAL = "rural", _("Commune de moins de N habitants")
    FIRST_APPLICATION = "first", _("Première demande au fonds")
    PRIORITY_AXIS = "axis", _("Axe prioritaire du diagnostic")
    SECTOR = "sector", _("Secteur d'activité")
    DEPARTMENT = "department", _("Département")


class PriorityCriterion(models.Model):
    """A priority orientation of a call ("numérique et rural"): points added to the ranking
    of an application that meets it. ``parameter`` is N for RURAL, an axis key for
    PRIORITY_AXIS, a sector code for SECTOR, a department code for DEPARTMENT."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="priorities")
    kind = models.CharField(_("critère"), max_length=12, choices=PriorityKind.choices)
    parameter = models.CharField(_("paramètre"), max_length=60, blank=True)
    label = models.CharField(_("libellé public"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["call", "pk"]
        verbose_name = _("orientation prioritaire")
        verbose_name_plural = _("orientations prioritaires")

    def __str__(self):
        return self.label


class RequestedDocument(models.Model):
    """A document the call asks applicants for (statuts, budget prévisionnel…)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    label = models.CharField(_("document"), max_length=200)
    help_text = models.CharField(_("aide"), max_length=300, blank=True)
    required = models.BooleanField(_("obligatoire"), default=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("document demandé")
        verbose_name_plural = _("documents demandés")

    def __str__(self):
        return self.label


class ReviewCriterion(models.Model):
    """A criterion of the call's review grid, scored 0 to 5 by reviewers; ``levels`` holds the
    guidance for each score, six sentences from 0 to 5."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("critère"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("poids"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    levels = models.JSONField(_("repères de notation (0 à 5)"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("critère de la grille")
        verbose_name_plural = _("critères de la grille")

    def __str__(self):
        return self.title


class ReviewerGroup(TimeStampedModel):
    """Reviewers (role ``reviewer``) who instruct the applications routed to them: by
    department, else by a priority axis of the diagnostic, else the default group (no
    department and no axis). Groups serve every call; ``order`` breaks ties."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="fund_groups", verbose_name=_("membres")
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("départements")
    )
    axis_keys = models.JSONField(_("axes du diagnostic"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("groupe d'instruction")
        verbose_name_plural = _("groupes d'instruction")

    def __str__(self):
        return self.name
