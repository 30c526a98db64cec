"""Rate limits of the accounts forms: (hits, seconds) per action, overridable by the setting
ACCOUNTS_RATE_LIMITS = {"login_email": (10, 300), ...}. RATE_LIMITS_ENABLED=False turns all off.
``*_ip`` actions count a client (``core.ratelimit.client_key``), ``*_email`` ones the typed
address: every form that e-mails an address is limited on both."""

from ressourcerie.core import ratelimit

DEFAULTS = {
    "signup_ip": (10, 3600),
    "signup_email": (3, 3600),
    "login_ip": (30, 300),  # an association's training room shares one address
    "login_email": (10, 300),
    "code_request_ip": (10, 900),
    "code_request_email": (5, 3600),
    "code_verify_ip": (20, 900),
    # Failed sign-in codes per address over a sliding day: past this, no code is sent or
    # accepted for that address until the oldest failures age out (services.code_lock_until).
    "code_failures_email": (20, 86400),
    "resend_ip": (10, 3600),
    "resend_email": (3, 3600),
    "password_reset_ip": (10, 3600),
    "password_reset_email": (3, 3600),
    "delete_user": (10, 300),
}

LIMITS = ratelimit.Table("accounts", DEFAULTS, setting="ACCOUNTS_RATE_LIMITS")


def check(request, client: str, email_action: str = "", email: str = "") -> int:
    """One hit for the client, then for the typed address: 0, or the seconds to wait."""
    return LIMITS.check(
        client=(client, request), address=(email_action, email) if email_action else None
    )


def check_address(action: str, email: str) -> int:
    """One hit for the typed address alone: 0, or the seconds to wait."""
    return LIMITS.check(address=(action, email))


def check_user(action: str, user) -> int:
    """One hit for the signed-in account: 0, or the seconds to wait."""
    return LIMITS.check(user=(action, user))
