"""The machines of the support itself (part 2, docs/parts/fund.md): one per status field.

Each status changes only in its one transition function (``services/support*.py``), which
locks the row, calls ``MACHINE.check``, checks the actor's right, saves, writes the history
row and notifies after commit. Templates ask ``allowed_moves``, never a copy of these moves.
"""

from django.utils.translation import gettext_lazy as _

from ressourcerie.core.workflow import Machine

from ..errors import FundError
from ..models import CohortStatus, OfferStatus, SupportStatus

S = SupportStatus
SUPPORT_MACHINE = Machine(
    states=SupportStatus,
    moves={
        # Proposed to actors by the matching, or assigned by hand by the team.
        S.TO_ASSIGN: {S.OFFERED, S.ASSIGNED, S.DROPPED},
        # An actor accepts; nobody accepts in time (back to the team, alerted).
        S.OFFERED: {S.ASSIGNED, S.TO_ASSIGN, S.DROPPED},
        # The first session starts it; cancelling the assignment re-runs the matching.
        S.ASSIGNED: {S.RUNNING, S.TO_ASSIGN, S.DROPPED},
        S.RUNNING: {S.DONE, S.TO_ASSIGN, S.DROPPED},
        S.DONE: set(),
        # Only ``open_support``: a decision reopened (support dropped) then accepted again.
        S.DROPPED: {S.TO_ASSIGN},
    },
    error=FundError,
    noun=_("Cet accompagnement"),
)

C = CohortStatus
COHORT_MACHINE = Machine(
    states=CohortStatus,
    moves={
        C.SUGGESTED: {C.TO_ASSIGN, C.DROPPED},
        C.TO_ASSIGN: {C.OFFERED, C.ASSIGNED, C.DROPPED},
        C.OFFERED: {C.ASSIGNED, C.TO_ASSIGN, C.DROPPED},
        C.ASSIGNED: {C.RUNNING, C.TO_ASSIGN, C.DROPPED},
        C.RUNNING: {C.DONE, C.TO_ASSIGN, C.DROPPED},
        C.DONE: set(),
        C.DROPPED: set(),
    },
    error=FundError,
    noun=_("Ce groupe"),
)

OS = OfferStatus
OFFER_MACHINE = Machine(
    states=OfferStatus,
    moves={
        OS.SENT: {OS.ACCEPTED, OS.DECLINED, OS.TAKEN, OS.REVOKED, OS.EXPIRED},
        # The team cancels an accepted assignment (the actor loses access).
        OS.ACCEPTED: {OS.REVOKED},
        OS.DECLINED: set(),
        OS.TAKEN: set(),
        OS.REVOKED: set(),
        OS.EXPIRED: set(),
    },
    error=FundError,
    noun=_("Cette proposition"),
)
