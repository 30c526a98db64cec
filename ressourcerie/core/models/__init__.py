from .base import TimeStampedModel
from .moderation import Moderated, ModerationStatus, ModerationTransition
from .organisations import Organisation, OrganisationKind
from .search import SearchEntry, SearchFilter, SearchSynonym, SearchTerm
from .territories import Commune, Department, Region

__all__ = [
    "Commune",
    "Department",
    "Moderated",
    "ModerationStatus",
    "ModerationTransition",
    "Organisation",
    "OrganisationKind",
    "Region",
    "SearchEntry",
    "SearchFilter",
    "SearchSynonym",
    "SearchTerm",
    "TimeStampedModel",
]
