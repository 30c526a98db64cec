import re
from contextlib import contextmanager

import pytest
from django.conf import settings


@pytest.fixture
def sent(django_capture_on_commit_callbacks, mailoutbox):
    """``with sent(): client.post(...)`` runs the after-commit e-mail tasks of that block."""

    @contextmanager
    def run():
        start = len(mailoutbox)
        new_messages = []  # filled when the block ends: the messages it sent
        with django_capture_on_commit_callbacks(execute=True):
            yield new_messages
        new_messages.extend(mailoutbox[start:])

    return run


def link_in(message) -> str:
    """The first link to this site in an e-mail, as a path for the test client."""
    match = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def code_in(message) -> str:
    match = re.search(r"^\s+(\d{6})\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)
