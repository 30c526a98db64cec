from .base import TimeStampedModel
from .mail import ContactMessage, HeldAddress
from .moderation import Moderated, ModerationStatus, ModerationTransition
from .organisations import (
    Organisation,
    OrganisationChange,
    OrganisationCorrection,
    OrganisationKind,
    OrganisationVerification,
    VerificationStatus,
)
from .pagecache import ContentVersion
from .search import SearchEntry, SearchFilter, SearchSynonym, SearchTerm
from .territories import Commune, Department, Region

__all__ = [
    "Commune",
    "ContactMessage",
    "ContentVersion",
    "Department",
    "HeldAddress",
    "Moderated",
    "ModerationStatus",
    "ModerationTransition",
    "Organisation",
    "OrganisationChange",
    "OrganisationCorrection",
    "OrganisationKind",
    "OrganisationVerification",
    "Region",
    "SearchEntry",
    "SearchFilter",
    "SearchSynonym",
    "SearchTerm",
    "TimeStampedModel",
    "VerificationStatus",
]
