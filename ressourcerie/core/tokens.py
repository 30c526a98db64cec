"""Secret tokens kept only as their hash: a leaked database leaks no usable link or key.

One way for every app (API keys, private resume links, donor links, invitations):
``raw, digest = new_token()``; store ``digest``; send ``raw``; look up with ``hash_token(raw)``.
"""

import hashlib
import secrets


def hash_token(raw: str) -> str:
    """SHA-256 of the token, hex: what the database keeps."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token(nbytes: int = 24) -> tuple[str, str]:
    """A new URL-safe token and its hash."""
    raw = secrets.token_urlsafe(nbytes)
    return raw, hash_token(raw)
