"""Rate limits of the contact page (per client and per typed address), overridable by the
setting CONTACT_RATE_LIMITS. RATE_LIMITS_ENABLED=False turns them off."""

from .. import ratelimit

DEFAULTS = {
    "contact_ip": (5, 3600),
    "contact_email": (3, 3600),
}

LIMITS = ratelimit.Table("contact", DEFAULTS, setting="CONTACT_RATE_LIMITS")
