"""Rate limits of the fund's forms: (hits, seconds) per action, overridable by the setting
FUND_RATE_LIMITS. Documents uploaded to a dossier (a save that carries files) and messages
of a dossier's thread (each e-mails the other side) are counted per account (``*_user``) and
per client (``*_ip``), the team included: a flood fills the documents' storage and the
members' inboxes whoever sends it."""

from ressourcerie.core import ratelimit

DEFAULTS = {
    "document_user": (30, 3600),
    "document_ip": (60, 3600),
    "message_user": (30, 3600),
    "message_ip": (60, 3600),
}

LIMITS = ratelimit.Table("fund", DEFAULTS, setting="FUND_RATE_LIMITS")


def check(request, what: str) -> int:
    """One hit for the client, then for the signed-in account (``what``: ``"document"`` or
    ``"message"``): 0, or the seconds to wait."""
    return LIMITS.check(client=(f"{what}_ip", request), user=(f"{what}_user", request.user))
