"""Rate limits of the directory forms and API writes: (hits, seconds) per action, overridable
by the setting DIRECTORY_RATE_LIMITS. Reports, claims and listing edits feed the team's
queues: counted per account (``*_user``) and per client (``*_ip``), the team exempt
(``Table.check_contribution``). A claim code goes to a listing's address: also counted per
address."""

from ressourcerie.core import ratelimit

DEFAULTS = {
    "report_user": (5, 3600),
    "report_ip": (5, 3600),
    "claim_user": (5, 3600),
    "claim_ip": (20, 3600),
    "claim_code_email": (3, 3600),
    "edit_user": (10, 3600),
    "edit_ip": (40, 3600),
    "contact_user": (5, 3600),
    "contact_place": (10, 86400),
}

LIMITS = ratelimit.Table("directory", DEFAULTS, setting="DIRECTORY_RATE_LIMITS")
