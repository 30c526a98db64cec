from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("En attente de modération")
    PUBLISHED = "published", _("Publié")
    CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
    REJECTED = "rejected", _("Refusé")
    WITHDRAWN = "withdrawn", _("Retiré par son auteur")


class Moderated(models.Model):
    """Mixin for anything the public submits. Status changes only through
    ``core.moderation.services.transition`` (which writes ModerationTransition)."""

    moderation_status = models.CharField(
        _("statut de modération"),
        max_length=20,
        choices=ModerationStatus.choices,
        default=ModerationStatus.SUBMITTED,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("proposé le"), null=True, blank=True)
    moderation_reason = models.TextField(_("motif de la dernière décision"), blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.moderation_status == ModerationStatus.PUBLISHED


class ModerationTransition(models.Model):
    """History of every moderation decision: who, when, from, to, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(max_length=20, choices=ModerationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ModerationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("décision de modération")

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"
