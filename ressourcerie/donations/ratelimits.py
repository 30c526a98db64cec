"""Rate limits of the donations forms: (hits, seconds) per action, overridable by the setting
DONATIONS_RATE_LIMITS. An offer e-mails its follow link to the address the donor typed:
counted per client and per that address."""

from ressourcerie.core import ratelimit

DEFAULTS = {
    "offer_ip": (10, 3600),
    "offer_email": (3, 3600),
    "request_user": (10, 3600),  # request-form submissions per member
    "request_ip": (30, 3600),
}

LIMITS = ratelimit.Table("donations", DEFAULTS, setting="DONATIONS_RATE_LIMITS")
