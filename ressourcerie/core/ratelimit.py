"""A small fixed-window rate limiter on Django's cache (no extra dependency).

if not ratelimit.allow("login", key=ip, limit=10, period=300): ...
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The visitor's address. Behind the reverse proxy of docs/deployment.md, REMOTE_ADDR is
    the proxy's own; the proxy overwrites X-Real-IP, so a client cannot forge it."""
    if settings.BEHIND_PROXY and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"].strip()[:64]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(scope: str, *, key: str, limit: int, period: int) -> bool:
    """Count one hit for (scope, key); False once more than ``limit`` hits in ``period`` s."""
    if not settings.RATE_LIMITS_ENABLED:
        return True
    window = int(time.time() // period)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=period + 5)
    try:
        hits = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=period + 5)
        hits = 1
    return hits <= limit
