"""The one error a service raises when it refuses an action.

A service says *why* in French (``DomainError(_("Ce lot est déjà collecté."))``); a view shows
``error.message`` to the person (``messages.error`` or a form error) and keeps what they typed;
the API's error handler answers 422 with the same message (``api.errors``). Each app subclasses
it (``DonationError``, ``DirectoryError``…) so a caller may catch one app's refusals only.
"""


class DomainError(Exception):
    """A refused action; ``message`` is French and shown to the person as it is."""

    status = 422

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
