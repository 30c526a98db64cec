from .base import TimeStampedModel
from .moderation import Moderated, ModerationStatus, ModerationTransition
from .organisations import (
    Organisation,
    OrganisationChange,
    OrganisationCorrection,
    OrganisationKind,
)
from .search import SearchEntry, SearchFilter, SearchSynonym, SearchTerm
from .territories import Commune, Department, Region

__all__ = [
    "Commune",
    "Department",
    "Moderated",
    "ModerationStatus",
    "ModerationTransition",
    "Organisation",
    "OrganisationChange",
    "OrganisationCorrection",
    "OrganisationKind",
    "Region",
    "SearchEntry",
    "SearchFilter",
    "SearchSynonym",
    "SearchTerm",
    "TimeStampedModel",
]
