"""Rate limits of the newsletter forms: (hits, seconds) per action, overridable by the setting
NEWSLETTER_RATE_LIMITS. A subscription e-mails a confirmation link to the typed address:
counted per client and per that address."""

from ressourcerie.core import ratelimit

DEFAULTS = {
    "subscribe_ip": (10, 3600),
    "subscribe_email": (3, 3600),
}

LIMITS = ratelimit.Table("newsletter", DEFAULTS, setting="NEWSLETTER_RATE_LIMITS")
