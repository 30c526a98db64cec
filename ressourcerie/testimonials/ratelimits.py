"""Rate limits of the testimonials forms: (hits, seconds) per action, overridable by the
setting TESTIMONIALS_RATE_LIMITS. New testimonials and edits feed the moderation queue, and
each uploaded image is decoded and re-encoded: all are counted per account (``*_user``) and
per client (``*_ip``), the team exempt (``Table.check_contribution``)."""

from ressourcerie.core import ratelimit

DEFAULTS = {
    "create_user": (5, 3600),
    "create_ip": (20, 3600),
    "edit_user": (10, 3600),
    "edit_ip": (40, 3600),
    "image_user": (20, 3600),
    "image_ip": (60, 3600),
    "contact_user": (5, 3600),
    "contact_ip": (10, 3600),
}

LIMITS = ratelimit.Table("testimonials", DEFAULTS, setting="TESTIMONIALS_RATE_LIMITS")
