"""The agenda's three state machines: an event's publication, an event's status (the
schema.org ``eventStatus``) and a registration. Moves happen only in ``services``."""

from django.utils.translation import gettext_lazy

from ressourcerie.core.workflow import Machine

from .errors import AgendaError
from .models import Publication, RegistrationStatus, Status

R = RegistrationStatus

PUBLICATION_MACHINE = Machine(
    states=Publication,
    moves={
        Publication.DRAFT: {Publication.TO_MODERATE, Publication.PUBLISHED},
        Publication.TO_MODERATE: {Publication.PUBLISHED, Publication.REFUSED, Publication.DRAFT},
        Publication.REFUSED: {Publication.TO_MODERATE, Publication.DRAFT},
        Publication.PUBLISHED: set(),
    },
    error=AgendaError,
    noun=gettext_lazy("Cet événement"),
)
STATUS_MACHINE = Machine(
    states=Status,
    moves={
        Status.SCHEDULED: {
            Status.RESCHEDULED,
            Status.POSTPONED,
            Status.MOVED_ONLINE,
            Status.CANCELLED,
        },
        Status.RESCHEDULED: {Status.POSTPONED, Status.MOVED_ONLINE, Status.CANCELLED},
        Status.POSTPONED: {Status.RESCHEDULED, Status.CANCELLED},
        Status.MOVED_ONLINE: {Status.RESCHEDULED, Status.CANCELLED},
        Status.CANCELLED: set(),
    },
    error=AgendaError,
    noun=gettext_lazy("Cet événement"),
)
REGISTRATION_MACHINE = Machine(
    states=RegistrationStatus,
    moves={
        R.PENDING: {R.REGISTERED, R.WAITING, R.AWAITING_APPROVAL, R.WITHDRAWN},
        R.AWAITING_APPROVAL: {R.REGISTERED, R.WAITING, R.REFUSED, R.WITHDRAWN},
        R.WAITING: {R.OFFERED, R.WITHDRAWN},
        R.OFFERED: {R.REGISTERED, R.EXPIRED, R.WITHDRAWN},
        R.REGISTERED: {R.WITHDRAWN},
        R.EXPIRED: set(),
        R.WITHDRAWN: set(),
        R.REFUSED: set(),
    },
    error=AgendaError,
    noun=gettext_lazy("Cette inscription"),
)
