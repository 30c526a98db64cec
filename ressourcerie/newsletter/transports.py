"""Where messages leave: a pool of SMTP connections driven in lock step, or Django's
EMAIL_BACKEND in development and tests.

The sender works in rounds of one message per connection, in two steps:
``stage`` sends MAIL, RCPT, DATA and the message WITHOUT its final dot; the sender commits
its marks; ``complete`` then sends the dots. A server keeps nothing of a message whose
connection closes before the dot (RFC 5321 §4.1.1.4: the message is accepted at the dot),
so a worker killed before its commit has sent nothing, and one killed after it has marked
exactly what the server is about to accept. See docs/parts/newsletter.md."""

import re
import smtplib
import socket
from email import message_from_bytes
from email.policy import SMTP
from typing import NamedTuple

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage

from . import conf

UNKNOWN = 0  # the reply code of a message whose fate we could not read (connection lost)
_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)


class ConnectionProblem(Exception):
    """The server refused, stalled or dropped the connection: stop, release, resume later."""


class SmtpReply(NamedTuple):
    code: int
    text: str

    @property
    def accepted(self) -> bool:
        return 200 <= self.code < 300


def _reply(conn: smtplib.SMTP) -> SmtpReply:
    code, text = conn.getreply()
    return SmtpReply(code, text.decode("utf-8", "replace") if isinstance(text, bytes) else text)


def _data(raw: bytes) -> bytes:
    """The message as DATA carries it, without the final dot: leading dots doubled."""
    if raw.startswith(b".") or b"\n." in raw:
        raw = _LEADING_DOT.sub(b"..", raw)
    return raw if raw.endswith(b"\r\n") else raw + b"\r\n"


_LOCAL_REFUSAL = SmtpReply(553, "5.1.3 adresse non ASCII refusée")


def _command(verb: str, address: str) -> bytes | None:
    try:
        return f"{verb}:<{address}>\r\n".encode("ascii")
    except UnicodeEncodeError:
        return None


class SmtpPool:
    """Up to NEWSLETTER_CONNECTIONS connections to the relay, each holding at most one
    message between its DATA and its final dot. Commands go to every connection before any
    reply is read, so the round trips overlap. With PIPELINING (RFC 2920) MAIL, RCPT and DATA
    go in one write, and ``complete`` may send the next round's MAIL, RCPT and DATA in the
    same write as this round's dots: one round trip per message and connection."""

    def __init__(self, size: int | None = None):
        self.host = conf.get("SMTP_HOST") or settings.EMAIL_HOST
        self.port = conf.get("SMTP_PORT") or settings.EMAIL_PORT
        self.timeout = conf.get("SMTP_TIMEOUT")
        self.capacity = max(1, size or conf.get("CONNECTIONS"))
        self.conns: list[smtplib.SMTP | None] = [None] * self.capacity
        self._staged: list[int] = []
        # slot -> ((from, to), outcome) of an envelope sent ahead by ``complete``: None = the
        # server answered DATA with 354 and waits for the message; an SmtpReply = refused
        # (connection dropped); a str = the relay's trouble (connection dropped).
        self._opened: dict[int, tuple[tuple[str, str], SmtpReply | str | None]] = {}

    # --- connections ------------------------------------------------------------------
    def _connect(self) -> smtplib.SMTP:
        conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        # The final dot is a small write that follows the message after the commit: with
        # Nagle's algorithm it would wait for the server's delayed ACK of the message
        # (40 ms on Linux, the server says nothing until the dot).
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.ehlo()
        if settings.EMAIL_USE_TLS:
            conn.starttls()
            conn.ehlo()
        if settings.EMAIL_HOST_USER:
            conn.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        return conn

    def open(self, count: int = 1):
        """Open the missing connections among the first ``count``."""
        try:
            for slot in range(min(count, self.capacity)):
                if self.conns[slot] is None:
                    self.conns[slot] = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            raise ConnectionProblem(f"{type(exc).__name__}: {exc}") from exc

    def _drop(self, slot: int):
        """Close without QUIT: a message staged on it is discarded by the server."""
        conn, self.conns[slot] = self.conns[slot], None
        if conn is not None:
            conn.close()

    def close(self):
        for slot, conn in enumerate(self.conns):
            if conn is None:
                continue
            if slot in self._staged or slot in self._opened:
                # After a 354 the server reads a message: a QUIT would be part of it.
                self._drop(slot)
                continue
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()
            self.conns[slot] = None
        self._staged = []
        self._opened = {}

    # --- a round ----------------------------------------------------------------------
    def stage(self, envelopes: list[tuple[str, str, bytes]]) -> list[SmtpReply | None]:
        """One (from, to, raw) per connection: MAIL, RCPT, DATA (unless ``complete`` sent
        them ahead), then the message without its final dot. Returns None where the message
        is staged, else the server's refusal (nothing of that message was sent). Raises
        ConnectionProblem if a connection fails: the caller has marked nothing yet, and the
        staged messages die with the connections."""
        if len(envelopes) > self.capacity:
            raise ValueError("more envelopes than connections")
        refusals: list[SmtpReply | None] = [None] * len(envelopes)
        opened, self._opened = self._opened, {}
        ahead, problem = set(), ""
        for slot, outcome in opened.items():
            if slot < len(envelopes) and outcome[0] == envelopes[slot][:2]:
                ahead.add(slot)
                if isinstance(outcome[1], str):
                    problem = outcome[1]
                refusals[slot] = outcome[1] if isinstance(outcome[1], SmtpReply) else None
            else:  # opened for another message (never, in the sender's order): start afresh
                self._drop(slot)
        if problem:
            for slot in range(self.capacity):
                self._drop(slot)
            raise ConnectionProblem(problem)
        self.open(len(envelopes))
        conns = self.conns[: len(envelopes)]
        commands: list[tuple[bytes | None, ...] | None] = []
        for index, (from_addr, to, _raw) in enumerate(envelopes):
            if index in ahead:
                commands.append(None)
                continue
            mail, rcpt = _command("MAIL FROM", from_addr), _command("RCPT TO", to)
            if mail is None or rcpt is None:
                refusals[index] = _LOCAL_REFUSAL
            commands.append((mail, rcpt, b"DATA\r\n"))
        try:
            self._envelope_steps(conns, commands, refusals)
            live = [i for i, refusal in enumerate(refusals) if refusal is None]
            for index in live:
                conns[index].send(_data(envelopes[index][2]))
        except (OSError, smtplib.SMTPException) as exc:
            for slot in range(self.capacity):
                self._drop(slot)
            raise ConnectionProblem(f"{type(exc).__name__}: {exc}") from exc
        self._staged = live
        return refusals

    def _envelope_steps(self, conns, commands, refusals):
        """MAIL, RCPT, DATA on the connections that need them (``commands[i]`` not None)."""
        todo = [i for i, c in enumerate(commands) if c is not None and refusals[i] is None]
        if not todo:
            return
        pipelining = conns[todo[0]].has_extn("pipelining")
        for step in [None] if pipelining else [0, 1, 2]:
            active = [i for i in todo if refusals[i] is None]
            for index in active:
                parts = commands[index] if step is None else [commands[index][step]]
                conns[index].send(b"".join(parts))
            for index in active:
                for position in [0, 1, 2] if step is None else [step]:
                    reply = _reply(conns[index])
                    if reply.code == 421 or (position == 0 and reply.code != 250):
                        # Closing, or our sender refused: the relay's trouble, not the
                        # recipient's; stop and resume later.
                        raise smtplib.SMTPSenderRefused(reply.code, reply.text, "MAIL FROM")
                    if reply.code != (250, 250, 354)[position] and refusals[index] is None:
                        refusals[index] = reply
        refused = [i for i in todo if refusals[i] is not None]
        for index in refused:
            if pipelining:
                # DATA may have been answered 354 in spite of the refusal: never risk
                # sending an empty message, start this connection afresh.
                self._drop(index)
                continue
            conns[index].send(b"RSET\r\n")
        for index in refused:
            if self.conns[index] is not None:
                _reply(conns[index])

    def complete(self, keep: list[bool], following=()) -> list[SmtpReply | None]:
        """The final dot for the staged messages to keep, and the server's answers (in the
        order of ``stage``'s envelopes; None where nothing was staged). The others are
        discarded by dropping their connection before the dot. A connection lost after its
        dot gives ``UNKNOWN``: the server may or may not have accepted the message.

        ``following``: the next round's (from, to, raw), whose MAIL, RCPT and DATA go in the
        same write as the dots when the relay offers PIPELINING (RFC 2920 lets a group
        start with the end of a message); their answers are kept for the next ``stage``.
        Nothing of a following message's content is sent here."""
        replies: list[SmtpReply | None] = [None] * len(keep)
        writes: dict[int, bytes] = {}
        for slot in self._staged:
            if keep[slot]:
                writes[slot] = b".\r\n"
            else:
                self._drop(slot)
        dotted, self._staged = list(writes), []
        ahead = {}
        for slot, (from_addr, to, _raw) in enumerate(following[: self.capacity]):
            conn = self.conns[slot]
            mail, rcpt = _command("MAIL FROM", from_addr), _command("RCPT TO", to)
            if conn is None or mail is None or rcpt is None or not conn.has_extn("pipelining"):
                continue  # ``stage`` opens it, or refuses it, in the ordinary way
            writes[slot] = writes.get(slot, b"") + mail + rcpt + b"DATA\r\n"
            ahead[slot] = (from_addr, to)
        for slot, data in writes.items():
            try:
                self.conns[slot].send(data)
            except (OSError, smtplib.SMTPException) as exc:
                if slot in dotted:
                    replies[slot] = SmtpReply(UNKNOWN, f"{type(exc).__name__}: {exc}")
                ahead.pop(slot, None)
                self._drop(slot)
        for slot in dotted:
            if self.conns[slot] is None:
                continue
            try:
                replies[slot] = _reply(self.conns[slot])
            except (OSError, smtplib.SMTPException) as exc:
                replies[slot] = SmtpReply(UNKNOWN, f"{type(exc).__name__}: {exc}")
            if replies[slot].code in (UNKNOWN, 421):
                ahead.pop(slot, None)
                self._drop(slot)
        for slot, envelope in ahead.items():
            self._read_ahead(slot, envelope)
        return replies

    def _read_ahead(self, slot: int, envelope: tuple[str, str]):
        """The answers to an envelope sent ahead, kept for ``stage``."""
        try:
            codes = [_reply(self.conns[slot]) for _position in range(3)]
        except (OSError, smtplib.SMTPException):
            self._drop(slot)  # nothing of the message was sent: ``stage`` starts afresh
            return
        mail, rcpt, data = codes
        if 421 in (mail.code, rcpt.code, data.code) or mail.code != 250:
            outcome: SmtpReply | str | None = f"{mail.code} {mail.text}"
        elif rcpt.code != 250 or data.code != 354:
            outcome = rcpt if rcpt.code != 250 else data
        else:
            outcome = None
        if outcome is not None:
            self._drop(slot)  # as in ``_envelope_steps``: never an empty message after a 354
        self._opened[slot] = (envelope, outcome)

    def send(self, from_addr: str, to: str, raw: bytes) -> SmtpReply:
        """One message, whole (the staff's test e-mail)."""
        refusal = self.stage([(from_addr, to, raw)])[0]
        if refusal is not None:
            raise smtplib.SMTPRecipientsRefused({to: (refusal.code, refusal.text)})
        reply = self.complete([True])[0]
        if not reply.accepted:
            raise smtplib.SMTPDataError(reply.code, reply.text)
        return reply


class _RawEmail(EmailMessage):
    def __init__(self, raw: bytes, to: str, from_addr: str):
        super().__init__(to=[to], from_email=from_addr)
        self.raw = raw

    def message(self, *args, **kwargs):
        return message_from_bytes(self.raw, policy=SMTP)


class DjangoBackendTransport:
    """Development and tests: Django's EMAIL_BACKEND (outbox files, locmem). A backend has
    no "before the dot": messages are handed over at ``complete``, after the marks."""

    def __init__(self, size: int | None = None):
        self.capacity = max(1, size or conf.get("CONNECTIONS"))
        self._staged: list[tuple[str, str, bytes]] = []
        self.conn = None

    def open(self, count: int | None = None):
        if self.conn is None:
            self.conn = get_connection()
            self.conn.open()

    def stage(self, envelopes):
        self.open()
        self._staged = list(envelopes)
        return [None] * len(envelopes)

    def complete(self, keep, following=()):
        replies: list[SmtpReply | None] = [None] * len(keep)
        for index, (from_addr, to, raw) in enumerate(self._staged):
            if keep[index]:
                self.conn.send_messages([_RawEmail(raw, to, from_addr)])
                replies[index] = SmtpReply(250, "OK")
        self._staged = []
        return replies

    def send(self, from_addr, to, raw):
        self.stage([(from_addr, to, raw)])
        return self.complete([True])[0]

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def make_transport():
    if conf.get("SMTP_HOST") or settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        return SmtpPool()
    return DjangoBackendTransport()
