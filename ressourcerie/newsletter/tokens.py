"""Signed links for subscribers: confirm (7 days), preferences and unsubscribe (no expiry,
but bound to the subscriber's token_version so a re-subscription voids older links).

Preference and unsubscribe links go into every message of an edition: they are
``core.tokens.sign_ids`` tokens ("id.version[.edition].mac", a precomputed HMAC), a tenth of
the cost of ``signing.dumps``. Links sent before (``signing.dumps``, with a colon) stay valid."""

from django.core import signing

from ressourcerie.core.tokens import is_signed_ids, read_signed, read_signed_ids, sign_ids

from . import conf
from .models import Subscriber

CONFIRM = "confirm"
PREFERENCES = "preferences"
UNSUBSCRIBE = "unsubscribe"


class InvalidToken(Exception):
    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make(purpose: str, subscriber_id: int, token_version: int, edition_id: int | None = None):
    payload = [subscriber_id, token_version]
    if edition_id:
        payload.append(edition_id)
    if purpose == CONFIRM:  # expires: a timestamped signature
        return signing.dumps(payload, salt=f"newsletter.{purpose}", compress=False)
    return sign_ids(*payload, salt=f"newsletter.{purpose}")


def for_subscriber(purpose: str, subscriber: Subscriber, edition_id: int | None = None) -> str:
    return make(purpose, subscriber.pk, subscriber.token_version, edition_id)


def read(purpose: str, token: str) -> tuple[Subscriber, int | None]:
    """The subscriber a token designates (and the edition it came from), or InvalidToken."""
    salt = f"newsletter.{purpose}"
    if purpose != CONFIRM and is_signed_ids(token):
        payload = read_signed_ids(token, salt=salt, invalid=InvalidToken)
    else:
        max_age = conf.CONFIRMATION_DAYS * 86400 if purpose == CONFIRM else None
        payload = read_signed(token, salt=salt, max_age=max_age, invalid=InvalidToken)
    if not isinstance(payload, list) or len(payload) not in (2, 3):
        raise InvalidToken()
    if not all(isinstance(x, int) for x in payload):
        raise InvalidToken()
    subscriber = Subscriber.objects.filter(pk=payload[0]).first()
    if subscriber is None or subscriber.token_version != payload[1]:
        raise InvalidToken()
    return subscriber, (payload[2] if len(payload) == 3 else None)
