"""Secret tokens kept only as their hash: a leaked database leaks no usable link or key.

One way for every app (API keys, private resume links, donor links, invitations):
``raw, digest = new_token()``; store ``digest``; send ``raw``; look up with ``hash_token(raw)``.
Signed links: ``signing.dumps`` read with ``read_signed``; links sent in bulk that carry only
integers: ``sign_ids`` read with ``read_signed_ids``.
"""

import base64
import functools
import hashlib
import hmac
import re
import secrets

from django.conf import settings
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


# --- compact signed ids: links sent in bulk ------------------------------------------------
# ``signing.dumps`` costs a JSON dump, base64 and two key derivations per link; a newsletter
# signs two links per message. These links carry only integers and never expire (what voids
# them is a counter among the ids, checked by the caller), so an HMAC-SHA256 (128 bits kept)
# over the ids with a per-salt key derived once is enough: "12.1.7.<22 characters>".
_IDS = re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,18}){0,7}")


@functools.lru_cache(maxsize=32)
def _ids_mac(salt: str, secret: str):
    key = hashlib.sha256(f"ressourcerie.core.tokens.sign_ids:{salt}:{secret}".encode()).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def _mac(salt: str, secret: str, body: str) -> str:
    mac = _ids_mac(salt, secret).copy()
    mac.update(body.encode("ascii"))
    return base64.urlsafe_b64encode(mac.digest()[:16]).rstrip(b"=").decode("ascii")


def sign_ids(*ids: int, salt: str) -> str:
    """A link token for up to eight non-negative integers, tamper-proof, without expiry."""
    body = ".".join(str(int(i)) for i in ids)
    if not _IDS.fullmatch(body):
        raise ValueError("sign_ids takes one to eight non-negative integers")
    return f"{body}.{_mac(salt, settings.SECRET_KEY, body)}"


def is_signed_ids(token: str) -> bool:
    """Whether ``token`` has the shape of ``sign_ids`` (a ``signing.dumps`` one has a colon)."""
    return ":" not in token


def read_signed_ids(token: str, *, salt: str, invalid: type[Exception]) -> list[int]:
    """The integers of a ``sign_ids`` token, or ``invalid()`` when forged, mistyped or cut
    (also checked against SECRET_KEY_FALLBACKS, as ``signing`` does)."""
    body, _dot, mac = token.rpartition(".")
    if not _IDS.fullmatch(body) or len(mac) != 22:
        raise invalid()
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        if hmac.compare_digest(mac, _mac(salt, secret, body)):
            return [int(i) for i in body.split(".")]
    raise invalid()
