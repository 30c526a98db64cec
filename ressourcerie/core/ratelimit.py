"""A small fixed-window rate limiter on Django's cache (no extra dependency).

if not ratelimit.allow("login", key=ratelimit.client_key(request), limit=10, period=300): ...

Each part keeps its limits in one table named by action (``<app>/ratelimits.py``), built with
``Table``; views ask the table and answer 429 with ``retry_message`` when it refuses.
"""

import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .permissions import can_moderate


def _now() -> float:
    """The clock of every window here (tests freeze it)."""
    return time.time()


def client_ip(request) -> str:
    """The visitor's address. Behind the reverse proxy of docs/deployment.md, REMOTE_ADDR is
    the proxy's own; the proxy overwrites X-Real-IP, so a client cannot forge it."""
    if settings.BEHIND_PROXY and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"].strip()[:64]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_key(request) -> str:
    """Who a per-client limit counts: the IPv4 address, or the IPv6 /64 (one subscriber gets a
    whole /64 and could otherwise draw a fresh address for every request). An IPv4-mapped
    IPv6 address counts as its IPv4 address; anything unparsable is "unknown"."""
    raw = client_ip(request)
    try:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
    except ValueError:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def address_key(email: str) -> str:
    """Who a per-address limit counts: the typed e-mail address, case and spaces folded, so
    "Alix@Example.org " and "alix@example.org" share one quota."""
    return (email or "").strip().lower()


def hit(scope: str, *, key: str, limit: int, period: int) -> int:
    """Count one hit for (scope, key): 0 when allowed, else the seconds until the window ends."""
    if not settings.RATE_LIMITS_ENABLED:
        return 0
    now = _now()
    window = int(now // period)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=period + 5)
    try:
        hits = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=period + 5)
        hits = 1
    if hits <= limit:
        return 0
    return max(1, math.ceil((window + 1) * period - now))


def _step(period: int) -> int:
    return max(1, period // 24)


def _buckets(scope: str, key: str, period: int) -> tuple[str, int]:
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    return f"rlc:{scope}:{digest}", int(_now() // _step(period))


def record(scope: str, *, key: str, period: int) -> None:
    """Count one event for (scope, key) in a sliding window of ``period`` seconds, kept as 24
    buckets (hourly for a day) so that the count ages out gradually and atomically."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    prefix, bucket = _buckets(scope, key, period)
    cache_key = f"{prefix}:{bucket}"
    cache.add(cache_key, 0, timeout=period + _step(period) + 5)
    try:
        cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=period + _step(period) + 5)


def blocked_until(scope: str, *, key: str, limit: int, period: int) -> float | None:
    """When (a timestamp) (scope, key) drops back under ``limit`` events in the last
    ``period`` seconds, or None when it is under already."""
    if not settings.RATE_LIMITS_ENABLED:
        return None
    prefix, bucket = _buckets(scope, key, period)
    step = _step(period)
    first = bucket - period // step + 1
    keys = {b: f"{prefix}:{b}" for b in range(first, bucket + 1)}
    found = cache.get_many(list(keys.values()))
    counts = [(b, int(found.get(k) or 0)) for b, k in keys.items()]
    total = sum(n for _b, n in counts)
    if total < limit:
        return None
    for b, n in counts:  # oldest first: a bucket leaves the window as a whole
        total -= n
        if total < limit:
            return float(b * step + period)
    return float(bucket * step + period)  # not reached: limit is at least 1


def allow(scope: str, *, key: str, limit: int, period: int) -> bool:
    """Count one hit for (scope, key); False once more than ``limit`` hits in ``period`` s."""
    return hit(scope, key=key, limit=limit, period=period) == 0


def retry_message(seconds: int) -> str:
    """Says, in French, when to try again."""
    if seconds <= 0:
        return ""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 90:
        return ngettext(
            "Réessayez dans %(count)d minute.", "Réessayez dans %(count)d minutes.", minutes
        ) % {"count": minutes}
    hours = round(minutes / 60)
    return ngettext(
        "Réessayez dans %(count)d heure environ.", "Réessayez dans %(count)d heures environ.", hours
    ) % {"count": hours}


def too_many_message(seconds: int, *, kept: bool = True) -> str:
    """The whole refusal: what happened, when to try again, and (on a form) that nothing
    typed is lost."""
    parts = [_("Trop de demandes en peu de temps."), retry_message(seconds)]
    if kept:
        parts.append(_("Ce que vous avez saisi est conservé ci-dessous."))
    return " ".join(part for part in parts if part)


class Table:
    """A part's rate limits, named by action: ``{"signup_email": (3, 3600), ...}`` as (hits,
    seconds), each overridable by the settings dict named ``setting``.

        LIMITS = ratelimit.Table("accounts", DEFAULTS, setting="ACCOUNTS_RATE_LIMITS")
        wait = LIMITS.check(client=("signup_ip", request), address=("signup_email", email))
    """

    def __init__(self, prefix: str, defaults: dict[str, tuple[int, int]], *, setting: str):
        self.prefix = prefix
        self.defaults = defaults
        self.setting = setting

    def rule(self, action: str) -> tuple[int, int]:
        return {**self.defaults, **getattr(settings, self.setting, {})}[action]

    def hit(self, action: str, key: str) -> int:
        """Count one hit for ``key``: 0 when allowed, else the seconds to wait."""
        limit, period = self.rule(action)
        return hit(f"{self.prefix}.{action}", key=key, limit=limit, period=period)

    def allow(self, action: str, key: str) -> bool:
        return self.hit(action, key) == 0

    def check(self, *, client=None, user=None, address=None, key=None) -> int:
        """Count one hit in each given limit, stopping at the first that refuses; the seconds
        to wait (0: go ahead). ``client=(action, request)`` keys by ``client_key``,
        ``user=(action, user)`` by account, ``address=(action, email)`` by ``address_key``,
        ``key=(action, text)`` by the text as given."""
        checks = []
        if client is not None:
            checks.append((client[0], client_key(client[1])))
        if user is not None:
            checks.append((user[0], f"user:{user[1].pk}"))
        if address is not None:
            checks.append((address[0], address_key(address[1])))
        if key is not None:
            checks.append(key)
        for action, value in checks:
            if wait := self.hit(action, value):
                return wait
        return 0

    def check_contribution(self, request, action: str, *, user=None) -> int:
        """For a form that feeds the moderation queue: one hit per account
        (``<action>_user``) and per client (``<action>_ip``); the platform team is exempt.
        ``user`` defaults to ``request.user`` (the API passes its token's). 0, or the seconds
        to wait."""
        user = user if user is not None else getattr(request, "user", None)
        if can_moderate(user):
            return 0
        signed_in = user is not None and user.is_authenticated
        return self.check(
            user=(f"{action}_user", user) if signed_in else None,
            client=(f"{action}_ip", request),
        )

    def record(self, action: str, key: str) -> None:
        """Count one event (a failure…) in the action's sliding window."""
        _limit, period = self.rule(action)
        record(f"{self.prefix}.{action}", key=key, period=period)

    def blocked_until(self, action: str, key: str) -> float | None:
        """When ``key`` falls back under the action's limit, or None if it is under it."""
        limit, period = self.rule(action)
        return blocked_until(f"{self.prefix}.{action}", key=key, limit=limit, period=period)
