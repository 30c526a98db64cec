from ressourcerie.core.errors import DomainError


class FundError(DomainError):
    """A refusal of the support fund, with its French message (and ``field`` when it is
    about one field)."""
