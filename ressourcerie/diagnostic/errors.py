"""The diagnostic's refusals: raised by its services, shown as they are by views and the API."""

from ressourcerie.core.errors import DomainError


class DiagnosticError(DomainError):
    """A refused action of the self-diagnostic (publishing a version, a bad answer…)."""


class QuestionnaireDataError(DiagnosticError):
    """The questionnaire file is not valid; the message says where, in French."""
