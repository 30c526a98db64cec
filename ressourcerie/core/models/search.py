from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class SearchSynonym(TimeStampedModel):
    """A curated equivalence used by the site search: "visio" ≈ "visioconférence"."""

    term = models.CharField(_("terme"), max_length=100, unique=True)
    synonyms = models.TextField(
        _("équivalents"),
        help_text=_("Séparés par des virgules : visioconférence, réunion en ligne"),
    )

    class Meta:
        ordering = ["term"]
        verbose_name = _("synonyme de recherche")
        verbose_name_plural = _("synonymes de recherche")

    def __str__(self):
        return self.term

    def synonym_list(self):
        return [s.strip() for s in self.synonyms.split(",") if s.strip()]
