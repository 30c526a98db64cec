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


class SearchEntry(models.Model):
    """One indexed object of a registered searchable type (ressourcerie.core.search).

    The engine index is kept beside it by the database itself: on SQLite an FTS5 table fed by
    triggers from the ``*_shadow`` columns; on PostgreSQL a generated ``vector`` column (not a
    Django field) built with the ``fr_unaccent`` configuration. See core/search/backends.py.
    """

    type = models.CharField(_("type"), max_length=40)
    object_id = models.CharField(_("identifiant"), max_length=64)
    title = models.CharField(_("titre"), max_length=300)
    keywords = models.TextField(_("mots-clés"), blank=True)
    body = models.TextField(_("texte"), blank=True)
    url = models.CharField(_("adresse"), max_length=500, blank=True)
    boost = models.FloatField(_("poids"), default=1.0)
    filters = models.JSONField(_("filtres"), default=dict, blank=True)
    # Folded title (lower case, no accents): exact title matches rank first.
    title_folded = models.CharField(max_length=300, db_index=True)
    # Folded then stemmed text, what SQLite's FTS5 indexes (DESIGN §8).
    title_shadow = models.TextField(blank=True)
    keywords_shadow = models.TextField(blank=True)
    body_shadow = models.TextField(blank=True)
    indexed_at = models.DateTimeField(_("indexé le"), auto_now=True)

    class Meta:
        verbose_name = _("entrée de l'index de recherche")
        verbose_name_plural = _("entrées de l'index de recherche")
        constraints = [
            models.UniqueConstraint(fields=["type", "object_id"], name="searchentry_unique_object")
        ]

    def __str__(self):
        return f"{self.type}:{self.object_id} {self.title}"


class SearchFilter(models.Model):
    """A filter value of an entry (need slug, department code…), one row per value."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="filter_values")
    name = models.CharField(max_length=40)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["name", "value", "entry"], name="searchfilter_lookup")]

    def __str__(self):
        return f"{self.name}={self.value}"


class SearchTerm(models.Model):
    """A folded word seen in the index, with how many entries hold it: the typo vocabulary."""

    term = models.CharField(max_length=60, unique=True)
    # The word as written (accents kept), for "Vouliez-vous dire …".
    display = models.CharField(max_length=60, blank=True)
    stem = models.CharField(max_length=60, db_index=True)
    # Buckets that keep the edit-distance search small: first letter and length.
    initial = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()
    document_frequency = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["initial", "length"], name="searchterm_bucket")]

    def __str__(self):
        return self.term
