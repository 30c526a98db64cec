"""The agenda's refusals."""

from ressourcerie.core.errors import DomainError


class AgendaError(DomainError):
    """A refused action of the agenda; ``message`` is French and shown as it is."""
