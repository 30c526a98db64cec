"""Rate limits of the organisation forms: (hits, seconds) per action, overridable by the
setting ORGANISATIONS_RATE_LIMITS. An invitation e-mails a typed address: counted per address
and per client (on top of the inviter's daily quota in services). A correction feeds the
moderation queue: per account and per client, the team exempt."""

from .. import ratelimit

DEFAULTS = {
    "create_user": (10, 86400),
    "invite_ip": (30, 3600),
    "invite_email": (3, 3600),
    "correction_user": (10, 3600),
    "correction_ip": (20, 3600),
}

LIMITS = ratelimit.Table("organisations", DEFAULTS, setting="ORGANISATIONS_RATE_LIMITS")
