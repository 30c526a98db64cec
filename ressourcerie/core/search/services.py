"""Writes of the search module: the staff-curated synonyms."""

from django.db import transaction

from ..models import SearchSynonym


@transaction.atomic
def save_synonym(*, synonym: SearchSynonym | None = None, term: str, synonyms: list[str]):
    """Create or update a synonym entry; takes effect on the next query (no re-indexing)."""
    synonym = synonym or SearchSynonym()
    synonym.term = term
    synonym.synonyms = ", ".join(synonyms)
    synonym.full_clean()
    synonym.save()
    return synonym


@transaction.atomic
def delete_synonym(*, synonym: SearchSynonym) -> None:
    """Remove a synonym entry."""
    synonym.delete()
