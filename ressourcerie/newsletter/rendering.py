"""Turning an edition into messages: the common parts are rendered once per variant
(topics × department), each recipient only gets its links substituted and its headers."""

import binascii
import functools
import re
import time
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from ressourcerie.core.markdown import render_markdown

from . import blocks as block_registry
from . import conf, dkim_signing, tokens
from .models import Department, Topic, decode_topics

UNSUB = "@@UNSUBSCRIBE_URL@@"
PREFS = "@@PREFERENCES_URL@@"
MAX_ITEMS_PER_BLOCK = 10
BOUNDARY = "=_ressourcerie_lettre_alt"
LINK_SLOT = "0TOKEN0"  # a path segment reverse() leaves as it is, replaced by the token


def absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def unsubscribe_url(subscriber_id, token_version, edition_id=None) -> str:
    token = tokens.make(tokens.UNSUBSCRIBE, subscriber_id, token_version, edition_id)
    return absolute(reverse("newsletter:unsubscribe", args=[token]))


def preferences_url(subscriber_id, token_version) -> str:
    token = tokens.make(tokens.PREFERENCES, subscriber_id, token_version)
    return absolute(reverse("newsletter:preferences", args=[token]))


def message_id(edition_id: int, delivery_id: int, domain: str | None = None) -> str:
    """Deterministic: a message re-sent after a crash carries the same Message-ID."""
    return f"<nl.{edition_id}.{delivery_id}@{domain or site_domain()}>"


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _qp(text: str) -> bytes:
    return binascii.b2a_qp(_crlf(text).encode("utf-8"), istext=True)


_PART = (
    'Content-Type: text/{}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
)
_QP_LITERAL = re.compile(r"[!-<>-~]+")  # printable ASCII but "=": written as it is by QP
_SOFT_BREAK = b"=\r\n"


def _mark(letter: str, length: int) -> str:
    return "~" + letter * (length - 2) + "~"


@functools.lru_cache(maxsize=64)
def _marks_pattern(*marks: str) -> re.Pattern:
    """The marks as they appear once encoded: a soft line break possible between any two
    characters."""
    return re.compile(
        b"|".join(
            b"(?:=\r\n)?".join(re.escape(bytes([c])) for c in mark.encode()) for mark in marks
        )
    )


def _fill(layout: list, unsub: str, prefs: str) -> bytes:
    urls = (unsub.encode("ascii"), prefs.encode("ascii"))
    return b"".join(
        piece if piece.__class__ is bytes else urls[piece[0]][piece[1] : piece[2]]
        for piece in layout
    )


class EditionRenderer:
    def __init__(self, edition):
        self.edition = edition
        self.body_html = render_markdown(edition.body)
        self._block_items: dict = {}
        self._variants: dict = {}
        self._departments: dict = {}
        name, addr = parseaddr(conf.get("FROM_EMAIL"))
        self.from_addr = addr
        self.from_header = formataddr((name, addr), charset="utf-8")
        # One line, whatever was typed: a newline would allow header injection.
        subject = " ".join(str(edition.subject).split())
        self.subject_header = _crlf(Header(subject, "utf-8", maxlinelen=76).encode())
        self._domain = site_domain()
        self.list_id = f"<lettre.{self._domain}>"
        # The links' addresses are resolved once per edition; per recipient only the signed
        # token goes in (two reverse() per message cost more than the two signatures).
        self._layouts: dict = {}
        self._date = (0, "")
        self._unsubscribe_link = absolute(reverse("newsletter:unsubscribe", args=[LINK_SLOT]))
        self._preferences_link = absolute(reverse("newsletter:preferences", args=[LINK_SLOT]))

    # --- content ----------------------------------------------------------------------
    def _department(self, department_id):
        if department_id is None:
            return None
        if department_id not in self._departments:
            self._departments[department_id] = Department.objects.filter(pk=department_id).first()
        return self._departments[department_id]

    def blocks_for(self, topic_codes, department_id) -> list[dict]:
        result = []
        for key in self.edition.blocks or []:
            block = block_registry.get(key)
            if block is None or (topic_codes is not None and block.topic not in topic_codes):
                continue
            cache_key = (key, department_id)
            if cache_key not in self._block_items:
                items = block.builder(
                    self.edition.period_start,
                    self.edition.period_end,
                    self._department(department_id),
                )
                self._block_items[cache_key] = [
                    {"title": i.title, "url": absolute(i.url), "text": i.text}
                    for i in list(items)[:MAX_ITEMS_PER_BLOCK]
                ]
            if self._block_items[cache_key]:
                result.append({"label": str(block.label), "items": self._block_items[cache_key]})
        return result

    def context(self, topic_codes, department_id, *, personal=True) -> dict:
        return {
            "SITE_NAME": settings.SITE_NAME,
            "SITE_URL": settings.SITE_URL,
            "edition": self.edition,
            "subject": " ".join(str(self.edition.subject).split()),
            "body_html": self.body_html,
            "body_text": self.edition.body.strip(),
            "blocks": self.blocks_for(topic_codes, department_id),
            "personal": personal,
            "topic_labels": [str(Topic(c).label) for c in (topic_codes or [])],
            "department": self._department(department_id),
            "unsubscribe_url": UNSUB,
            "preferences_url": PREFS,
        }

    def variant(self, topics: str, department_id) -> tuple[str, str]:
        """(text, html) with link placeholders, rendered once per (topics, department)."""
        key = (topics, department_id)
        if key not in self._variants:
            ctx = self.context(decode_topics(topics), department_id)
            self._variants[key] = (
                render_to_string("newsletter/email/edition.txt", ctx),
                render_to_string("newsletter/email/edition.html", ctx),
            )
        return self._variants[key]

    # --- message ----------------------------------------------------------------------
    def links(self, subscriber_id, token_version) -> tuple[str, str]:
        """The recipient's (unsubscribe, preferences) addresses, signed."""
        unsub = self._unsubscribe_link.replace(
            LINK_SLOT,
            tokens.make(tokens.UNSUBSCRIBE, subscriber_id, token_version, self.edition.pk),
        )
        prefs = self._preferences_link.replace(
            LINK_SLOT, tokens.make(tokens.PREFERENCES, subscriber_id, token_version)
        )
        return unsub, prefs

    def preview(self, topics: str, department_id, *, subscriber=None) -> tuple[str, str]:
        """(text, html) as a recipient reads them, real links in place of the placeholders:
        those of ``subscriber`` (the staff member's own subscription) or of a sample one."""
        text, html = self.variant(topics, department_id)
        if subscriber is not None:
            unsub, prefs = self.links(subscriber.pk, subscriber.token_version)
        else:
            unsub, prefs = self.links(0, 0)
        return (
            text.replace(UNSUB, unsub).replace(PREFS, prefs),
            html.replace(UNSUB, unsub).replace(PREFS, prefs),
        )

    def message(
        self, *, delivery_id, email, topics, department_id, subscriber_id, token_version
    ) -> bytes:
        """The complete RFC 5322 message for one recipient, as bytes with CRLF endings."""
        unsub, prefs = self.links(subscriber_id, token_version)
        key = (topics, department_id, len(unsub), len(prefs))
        layout = self._layouts.get(key)
        if layout is None:
            layout = self._layouts[key] = self._layout(key, unsub, prefs)
        head = self.head(email, message_id(self.edition.pk, delivery_id, self._domain), unsub)
        if layout is False:  # a body no layout can hold: encoded for each recipient
            return dkim_signing.sign(head + self._body(topics, department_id, unsub, prefs))
        return dkim_signing.sign(head + _fill(layout, unsub, prefs))

    def _body(self, topics, department_id, unsub, prefs) -> bytes:
        """The two parts, links substituted, quoted-printable: the reference encoding."""
        text, html = self.variant(topics, department_id)
        text = text.replace(UNSUB, unsub).replace(PREFS, prefs)
        html = html.replace(UNSUB, unsub).replace(PREFS, prefs)
        return b"".join(
            [
                f"--{BOUNDARY}\r\n".encode(),
                _PART.format("plain").encode(),
                _qp(text),
                f"\r\n--{BOUNDARY}\r\n".encode(),
                _PART.format("html").encode(),
                _qp(html),
                f"\r\n--{BOUNDARY}--\r\n".encode(),
            ]
        )

    def _layout(self, key, unsub, prefs):
        """A variant's body encoded once, with holes where the recipient's two links go.

        Quoted-printable cuts lines at 76 characters with soft breaks ("=" CRLF), which may
        fall inside a link. Two texts that differ only by same-length runs of characters QP
        writes unchanged are cut at the same places: the body is encoded once with marks
        as long as the links, and each recipient's links are copied into the marks'
        places. The layout is kept only if it gives, for this first recipient, exactly the
        reference encoding; otherwise (False) this variant is encoded per recipient."""
        topics, department_id, unsub_len, prefs_len = key
        if not (_QP_LITERAL.fullmatch(unsub) and _QP_LITERAL.fullmatch(prefs)):
            return False
        marks = (_mark("U", unsub_len), _mark("P", prefs_len))
        encoded = self._body(topics, department_id, *marks)
        layout, position = [], 0
        for match in _marks_pattern(*marks).finditer(encoded):
            layout.append(encoded[position : match.start()])
            which = 0 if match.group(0).replace(_SOFT_BREAK, b"")[1:2] == b"U" else 1
            offset = 0
            for index, chunk in enumerate(match.group(0).split(_SOFT_BREAK)):
                if index:
                    layout.append(_SOFT_BREAK)
                layout.append((which, offset, offset + len(chunk)))
                offset += len(chunk)
            position = match.end()
        layout.append(encoded[position:])
        layout = [piece for piece in layout if piece != b""]
        reference = self._body(topics, department_id, unsub, prefs)
        return layout if _fill(layout, unsub, prefs) == reference else False

    def head(self, to: str, msgid: str, unsubscribe: str) -> bytes:
        now = int(time.time())
        if self._date[0] != now:
            self._date = (now, formatdate(now, usegmt=True))
        # A non-ASCII address is refused at RCPT (see transports): its bytes only need to exist.
        return (
            f"From: {self.from_header}\r\nTo: {to}\r\nSubject: {self.subject_header}\r\n"
            f"Date: {self._date[1]}\r\nMessage-ID: {msgid}\r\nMIME-Version: 1.0\r\n"
            f"List-Id: {self.list_id}\r\nList-Unsubscribe: <{unsubscribe}>\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            f'Content-Type: multipart/alternative; boundary="{BOUNDARY}"\r\n\r\n'
        ).encode()

    def public_html(self) -> dict:
        """What the archives show: the body and the blocks for the whole territory."""
        return self.context(None, None, personal=False)
