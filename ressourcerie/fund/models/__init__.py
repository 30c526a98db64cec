"""The support fund (docs/parts/fund.md): calls, applications, instruction, committee."""

from .applications import (
    Annotation,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ApplicationTransition,
    Label,
    Message,
    SupportFormat,
)
from .calls import (
    Call,
    CallStatus,
    CallTransition,
    PriorityCriterion,
    PriorityKind,
    RequestedDocument,
    ReviewCriterion,
    ReviewerGroup,
)
from .instruction import ExpertOpinion, Recommendation, Review, ReviewScore

__all__ = [
    "Annotation",
    "Application",
    "ApplicationDocument",
    "ApplicationStatus",
    "ApplicationTransition",
    "Call",
    "CallStatus",
    "CallTransition",
    "ExpertOpinion",
    "Label",
    "Message",
    "PriorityCriterion",
    "PriorityKind",
    "Recommendation",
    "RequestedDocument",
    "Review",
    "ReviewCriterion",
    "ReviewScore",
    "ReviewerGroup",
    "SupportFormat",
]
