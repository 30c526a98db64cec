"""Reviews (scores on the call's grid with a recommendation) and expert opinions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import TimeStampedModel

from .applications import Application
from .calls import ReviewCriterion


class Recommendation(models.TextChoices):
    FAVOURABLE = "favorable", _("Favorable")
    RESERVED = "reserve", _("Réservé")
    UNFAVOURABLE = "defavorable", _("Défavorable")


class Review(TimeStampedModel):
    """One reviewer's assessment of one application. A reviewer who declares a conflict of
    interest keeps a row with ``conflict_declared`` and can neither score nor read scores."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fund_reviews"
    )
    recommendation = models.CharField(
        _("avis"), max_length=12, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("commentaire"), max_length=3000, blank=True)
    conflict_declared = models.BooleanField(_("conflit d'intérêts déclaré"), default=False)
    submitted_at = models.DateTimeField(_("rendu le"), null=True, blank=True)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("évaluation")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="fund_one_review_per_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.application.reference} — {self.reviewer}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("note"))
    comment = models.CharField(_("commentaire"), max_length=1000, blank=True)

    class Meta:
        ordering = ["review", "criterion__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="fund_one_score_per_criterion"
            ),
            models.CheckConstraint(condition=Q(score__lte=5), name="fund_score_0_to_5"),
        ]

    def __str__(self):
        return f"{self.criterion} : {self.score}/5"


class ExpertOpinion(TimeStampedModel):
    """An opinion asked of a directory actor by e-mail, through a private link (no account):
    the expert sees the project, the plan and the documents, never the reviewers' scores.
    Only the hash of the link's token is stored (``core.tokens``)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="expert_opinions"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("structure de l'expert"),
    )
    expert_name = models.CharField(_("nom de l'expert"), max_length=200)
    expert_email = models.EmailField(_("adresse de l'expert"))
    token_hash = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.TextField(_("question posée"), max_length=2000, blank=True)
    deadline = models.DateField(_("à rendre avant le"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(_("avis de l'expert"), max_length=5000, blank=True)
    recommendation = models.CharField(
        _("avis"), max_length=12, choices=Recommendation.choices, blank=True
    )

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("avis d'expert")
        verbose_name_plural = _("avis d'experts")

    def __str__(self):
        return f"{self.application.reference} — {self.expert_name}"
