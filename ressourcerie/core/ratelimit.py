"""A small fixed-window rate limiter on Django's cache (no extra dependency).

if not ratelimit.allow("login", key=ip, limit=10, period=300): ...
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    # Behind the reverse proxy documented in docs/deployment.md, REMOTE_ADDR is set by it.
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
