"""Rate limits of the diagnostic: (hits, seconds) per action, overridable by the setting
DIAGNOSTIC_RATE_LIMITS. "Send me my link" e-mails a typed address: counted per client and per
that address."""

from ressourcerie.core import ratelimit

DEFAULTS = {
    "link_ip": (5, 3600),
    "link_email": (3, 3600),
    "resume_ip": (30, 600),  # opening private links: guessing one is hopeless, but cheap to cap
    "api_ip": (30, 3600),  # anonymous submissions through the API
}

LIMITS = ratelimit.Table("diagnostic", DEFAULTS, setting="DIAGNOSTIC_RATE_LIMITS")
