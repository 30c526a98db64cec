"""Rate limits of the toolbox forms: (hits, seconds) per action, overridable by the setting
TOOLBOX_RATE_LIMITS. Proposals and corrections feed the moderation queue: counted per account
(``*_user``) and per client (``*_ip``), the team exempt (``Table.check_contribution``)."""

from ressourcerie.core import ratelimit

DEFAULTS = {
    "proposal_user": (5, 3600),
    "proposal_ip": (20, 3600),
    "correction_user": (5, 3600),
    "correction_ip": (20, 3600),
}

LIMITS = ratelimit.Table("toolbox", DEFAULTS, setting="TOOLBOX_RATE_LIMITS")
