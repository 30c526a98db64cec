"""Optional DKIM signature (dkimpy), enabled when NEWSLETTER_DKIM_PRIVATE_KEY is set.

The signed headers include List-Unsubscribe and List-Unsubscribe-Post, as RFC 8058 asks.
"""

from django.core.exceptions import ImproperlyConfigured

from . import conf

try:
    import dkim
except ImportError:  # dkimpy is needed only when a key is configured
    dkim = None

SIGNED_HEADERS = [
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
]


def sign(raw: bytes) -> bytes:
    key = conf.get("DKIM_PRIVATE_KEY")
    if not key:
        return raw
    if dkim is None:
        raise ImproperlyConfigured(
            "NEWSLETTER_DKIM_PRIVATE_KEY is set but dkimpy is not installed (pip install dkimpy)."
        )
    signature = dkim.sign(
        raw,
        selector=conf.get("DKIM_SELECTOR").encode(),
        domain=conf.get("DKIM_DOMAIN").encode(),
        privkey=key.encode(),
        include_headers=SIGNED_HEADERS,
    )
    return signature + raw
