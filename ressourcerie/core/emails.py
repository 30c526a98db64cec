"""E-mail purposes: what a queued e-mail is for, and how the worker rebuilds it.

A task row keeps the purpose and the ids of the objects concerned, never a recipient's
address, a subject, a message text nor a secret (code, token, private link): those are read
or issued by the purpose's builder when the worker sends. Each app declares its purposes in
its ``emails.py`` module (found at start-up by ``autodiscover``), e.g.::

    @emails.purpose("accounts.login_code")
    def login_code(*, user: int) -> emails.Email | None:
        ...

A builder returns None when its objects are gone (deleted before the worker ran): the task
then ends quietly.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import HeldAddress


@dataclass
class Email:
    """One message to send: rendered from templates/emails/<template>.txt (+ .html)."""

    to: list[str]
    subject: str
    template: str
    context: dict = field(default_factory=dict)
    reply_to: list[str] | None = None
    # MIME parts built at send time (the agenda's text/calendar invitation); never queued.
    attachments: list = field(default_factory=list)


Builder = Callable[..., Email | None]

_BUILDERS: dict[str, Builder] = {}

# Task arguments are JSON: ids are integers (or short plain values such as a flag).
ID_TYPES = (int, bool, type(None))


def purpose(name: str) -> Callable[[Builder], Builder]:
    """Register the builder of the e-mails sent for ``name`` ("<app>.<what>")."""

    def decorator(builder: Builder) -> Builder:
        if name in _BUILDERS and _BUILDERS[name] is not builder:
            raise ValueError(f"E-mail purpose registered twice: {name}")
        _BUILDERS[name] = builder
        return builder

    return decorator


def builder_for(name: str) -> Builder:
    try:
        return _BUILDERS[name]
    except KeyError:
        raise LookupError(f"Unknown e-mail purpose: {name}") from None


def check_ids(ids: dict) -> dict:
    """Refuse anything but ids: a string here could be an address, a code or a message."""
    for key, value in ids.items():
        if not isinstance(key, str) or not isinstance(value, ID_TYPES):
            raise TypeError(f"E-mail task arguments are ids only, not {type(value).__name__}")
    return dict(ids)


def build(name: str, ids: dict) -> Email | None:
    return builder_for(name)(**ids)


def purposes() -> list[str]:
    return sorted(_BUILDERS)


HELD_ADDRESS_LIFETIME = timedelta(days=1)


def site_url(path: str) -> str:
    """The absolute address of a path of this site, for a link in an e-mail."""
    return f"{settings.SITE_URL}{path}"


def hold_address(address: str) -> int:
    """Keep an address that exists nowhere else until its e-mail is sent; returns the id to
    put in the task (``take_address`` reads and deletes it)."""
    # Addresses whose e-mail was never sent (worker down for a day) are not kept either.
    HeldAddress.objects.filter(created_at__lt=timezone.now() - HELD_ADDRESS_LIFETIME).delete()
    return HeldAddress.objects.create(address=address).pk


def drop_held_addresses(address: str) -> None:
    """Forget a person's address waiting for an e-mail (account erasure): the e-mail is then
    not sent, as its builder finds no address."""
    HeldAddress.objects.filter(address__iexact=address.strip()).delete()


def take_address(pk: int) -> str | None:
    """The held address, deleted as it is read: it serves for one e-mail only."""
    held = HeldAddress.objects.filter(pk=pk).first()
    if held is None:
        return None
    HeldAddress.objects.filter(pk=pk).delete()
    return held.address


def autodiscover() -> None:
    """Import every installed app's ``emails`` module (called from CoreConfig.ready)."""
    autodiscover_modules("emails")
