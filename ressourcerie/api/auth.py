"""Personal API tokens (``Authorization: Bearer rn_…``) and the API's rate limits.

Writes accept only Bearer tokens, never the session cookie: a token is not sent by the
browser on its own, so cross-site request forgery cannot use it and no CSRF token is needed.
"""

import math
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from ressourcerie.accounts.models import ApiToken
from ressourcerie.accounts.tokens import prefix_of
from ressourcerie.core import ratelimit
from ressourcerie.core.tokens import hash_token

from .errors import ApiError

# last_used_at is written at most this often, so reads do not become writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)

# (requests, seconds); override with the API_RATE_LIMITS setting.
DEFAULT_RATE_LIMITS = {"anonymous": (120, 60), "token": (600, 60), "failed_auth": (30, 60)}


def rate_limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_RATE_LIMITS, **getattr(settings, "API_RATE_LIMITS", {})}


class RateLimited(ApiError):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(429, details={"retry_after": retry_after})


def _seconds_left(period: int) -> int:
    return max(1, math.ceil(period - time.time() % period))


def rate_limited(period: int) -> RateLimited:
    """The 429 for a ``core.ratelimit`` window of ``period`` seconds, with its Retry-After."""
    return RateLimited(_seconds_left(period))


def find_token(raw: str) -> ApiToken | None:
    """The live token for this raw value: known hash, not revoked, owner active."""
    if not raw or len(raw) > 200 or prefix_of(raw) is None:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def bearer_value(request) -> str | None:
    """The raw token of an ``Authorization: Bearer …`` header; None for no or another scheme."""
    scheme, _sep, value = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def _refuse_invalid_token(request):
    # Guessing is hopeless (256-bit secrets) but costs a query: limit it per address.
    count, period = rate_limits()["failed_auth"]
    ip = ratelimit.client_key(request)
    if not ratelimit.allow("api-failed-auth", key=ip, limit=count, period=period):
        raise RateLimited(_seconds_left(period))
    raise ApiError(401, _("Jeton d'API invalide, révoqué ou dont le compte est désactivé."))


def identify(request) -> ApiToken | None:
    """The live token a request carries, looked up once per request (None without one).

    Called before every operation, public reads included: a read made with a valid token
    counts against the token's quota, not the address's anonymous one, and a token that is
    invalid, revoked or whose account is disabled is refused (401) wherever it is sent,
    rather than silently treated as anonymous."""
    if hasattr(request, "_api_token"):
        return request._api_token
    raw = bearer_value(request)
    token = None
    if raw is not None:
        token = find_token(raw)
        if token is None:
            _refuse_invalid_token(request)
        touch(token)
    request._api_token = token
    return token


class TokenAuth(HttpBearer):
    """Required on writes and on /me. ``request.auth`` is the ApiToken, ``request.auth.user``
    its owner."""

    def authenticate(self, request, token):
        return identify(request)


token_auth = TokenAuth()


class ApiThrottle(BaseThrottle):
    """Fixed windows from core.ratelimit: per token when authenticated, else per address."""

    # wait() is called right after allow_request() in the same thread, without the request.
    _last = threading.local()

    def allow_request(self, request) -> bool:
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            token = getattr(request, "_api_token", None)  # a public read made with a token
        if isinstance(token, ApiToken):
            scope, key = "token", f"token:{token.pk}"
        else:
            scope, key = "anonymous", f"ip:{ratelimit.client_key(request)}"
        limit, period = rate_limits()[scope]
        self._last.period = period
        return ratelimit.allow(f"api-{scope}", key=key, limit=limit, period=period)

    def wait(self) -> float:
        return _seconds_left(getattr(self._last, "period", 60))
