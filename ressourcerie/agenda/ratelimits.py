"""Rate limits of the agenda's forms: (hits, seconds) per action, overridable by the setting
AGENDA_RATE_LIMITS. Registration e-mails a typed address: limited per client and per address."""

from ressourcerie.core import ratelimit

DEFAULTS = {
    "register_ip": (20, 3600),
    "register_email": (5, 3600),
    "registration_action_ip": (30, 600),
    # Invitations of the associations whose plan matches (invitations.py): per organiser
    # account, and per event whatever the account.
    "invite_user": (10, 86400),
    "invite_event": (3, 86400),
}

LIMITS = ratelimit.Table("agenda", DEFAULTS, setting="AGENDA_RATE_LIMITS")
