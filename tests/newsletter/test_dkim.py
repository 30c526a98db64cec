import base64
import shutil
import subprocess  # noqa: S404

import dkim
import pytest

from ressourcerie.newsletter.rendering import EditionRenderer

from .factories import EditionFactory

OPENSSL = shutil.which("openssl") or "openssl"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(OPENSSL == "openssl", reason="openssl makes the test key"),
]


def test_dkim_signature_covers_list_unsubscribe_headers(settings):
    private = subprocess.run(  # noqa: S603
        [OPENSSL, "genrsa", "2048"],
        capture_output=True,
        check=True,
    ).stdout
    public = subprocess.run(  # noqa: S603
        [OPENSSL, "rsa", "-pubout", "-outform", "DER"],
        input=private,
        capture_output=True,
        check=True,
    ).stdout
    settings.NEWSLETTER_DKIM_PRIVATE_KEY = private.decode()
    settings.NEWSLETTER_DKIM_DOMAIN = "example.org"
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    raw = EditionRenderer(EditionFactory()).message(
        delivery_id=1,
        email="a@example.org",
        topics=",outils,",
        department_id=None,
        subscriber_id=1,
        token_version=1,
    )
    assert raw.startswith(b"DKIM-Signature:")
    header = raw.split(b"\r\n\r\n", 1)[0].decode()
    signed = "".join(header.split())
    assert "list-unsubscribe:list-unsubscribe-post" in signed
    assert dkim.verify(raw, dnsfunc=lambda name, timeout=5: record)
