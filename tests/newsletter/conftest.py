"""A real SMTP server on loopback (aiosmtpd), for the tests that are about sending."""

import socket
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    def __init__(self):
        self.messages = []  # (rcpt list, raw bytes)
        self.reject = {}  # address -> "550 ..." reply at RCPT
        self.reject_data = {}  # address -> "554 ..." reply at the final dot
        self.stall_seconds = 0
        self.pipelining = False  # advertise PIPELINING (RFC 2920), as Postfix does

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            return [*responses[:-1], "250-PIPELINING", responses[-1]]
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall_seconds:
            import asyncio

            await asyncio.sleep(self.stall_seconds)
        for address in envelope.rcpt_tos:
            if address in self.reject_data:
                return self.reject_data[address]
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"

    def parsed(self):
        return [message_from_bytes(raw, policy=policy.default) for _r, raw in self.messages]

    def message_ids(self):
        return [m["Message-ID"] for m in self.parsed()]


class Sink:
    def __init__(self):
        self.port = free_port()
        self.recorder = Recorder()
        self.controller = None

    def start(self):
        # A stopped Controller cannot restart (its loop is closed): a new one, same port.
        self.controller = Controller(
            self.recorder, hostname="127.0.0.1", port=self.port, decode_data=False
        )
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_sink(settings):
    sink = Sink()
    sink.start()
    settings.NEWSLETTER_SMTP_HOST = "127.0.0.1"
    settings.NEWSLETTER_SMTP_PORT = sink.port
    settings.NEWSLETTER_SMTP_TIMEOUT = 5
    settings.NEWSLETTER_RATE = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.SITE_URL = "https://lettre.example.org"
    yield sink
    sink.stop()


def wait_for(predicate, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
