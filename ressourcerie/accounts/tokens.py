"""Personal API tokens: format and hashing, shared by the account page and the API.

A token reads ``rn_<prefix>_<secret>``: the 8-character prefix identifies it in lists, only the
SHA-256 of the whole token is stored (``core.tokens.hash_token``), so a leaked database does
not leak usable tokens.
"""

import secrets

TOKEN_PREFIX = "rn"  # noqa: S105 - a public marker, not a secret


def generate_token() -> tuple[str, str]:
    """A new raw token and its public prefix."""
    prefix = secrets.token_hex(4)
    return f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def prefix_of(raw: str) -> str | None:
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 8:
        return None
    return parts[1]
