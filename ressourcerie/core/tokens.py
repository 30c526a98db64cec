"""Secret tokens kept only as their hash: a leaked database leaks no usable link or key.

One way for every app (API keys, private resume links, donor links, invitations):
``raw, digest = new_token()``; store ``digest``; send ``raw``; look up with ``hash_token(raw)``.
"""

import hashlib
import secrets

from django.core import signing


def hash_token(raw: str) -> str:
    """SHA-256 of the token, hex: what the database keeps."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token(nbytes: int = 24) -> tuple[str, str]:
    """A new URL-safe token and its hash."""
    raw = secrets.token_urlsafe(nbytes)
    return raw, hash_token(raw)


def read_signed(token: str, *, salt: str, max_age=None, invalid: type[Exception]):
    """The payload of a signed link (``signing.dumps``), or ``invalid(expired=True)`` when it is
    past ``max_age`` and ``invalid()`` when it is forged, mistyped or cut: the one way every
    part reads its signed links. The caller still checks the payload's shape."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise invalid(expired=True) from exc
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise invalid() from exc
