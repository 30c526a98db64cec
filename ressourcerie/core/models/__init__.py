from .base import TimeStampedModel
from .moderation import Moderated, ModerationStatus, ModerationTransition
from .organisations import Organisation, OrganisationCorrection, OrganisationKind
from .search import SearchSynonym
from .territories import Commune, Department, Region

__all__ = [
    "Commune",
    "Department",
    "Moderated",
    "ModerationStatus",
    "ModerationTransition",
    "Organisation",
    "OrganisationCorrection",
    "OrganisationKind",
    "Region",
    "SearchSynonym",
    "TimeStampedModel",
]
