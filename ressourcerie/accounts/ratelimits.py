"""Rate limits of the accounts forms: (hits, seconds) per scope, overridable by the setting
ACCOUNTS_RATE_LIMITS = {"login_email": (10, 300), ...}. RATE_LIMITS_ENABLED=False turns all off."""

from django.conf import settings

from ressourcerie.core import ratelimit

DEFAULTS = {
    "signup_ip": (10, 3600),
    "login_ip": (30, 300),  # an association's training room shares one address
    "login_email": (10, 300),
    "code_request_ip": (10, 900),
    "code_request_email": (5, 900),
    "code_verify_ip": (20, 900),
    "resend_ip": (10, 3600),
    "resend_email": (3, 3600),
    "password_reset_ip": (10, 3600),
    "delete_user": (10, 300),
}


def allow(scope: str, key: str) -> bool:
    """Count one hit; False once the scope's limit is exceeded for ``key``."""
    limit, period = {**DEFAULTS, **getattr(settings, "ACCOUNTS_RATE_LIMITS", {})}[scope]
    return ratelimit.allow(f"accounts.{scope}", key=key, limit=limit, period=period)


def allow_ip(scope: str, request) -> bool:
    return allow(scope, ratelimit.client_ip(request))
