"""Optional DKIM signature (dkimpy), enabled when NEWSLETTER_DKIM_PRIVATE_KEY is set.

The signed headers include List-Unsubscribe and List-Unsubscribe-Post, as RFC 8058 asks.
"""

from . import conf

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
    import dkim

    signature = dkim.sign(
        raw,
        selector=conf.get("DKIM_SELECTOR").encode(),
        domain=conf.get("DKIM_DOMAIN").encode(),
        privkey=key.encode(),
        include_headers=SIGNED_HEADERS,
    )
    return signature + raw
