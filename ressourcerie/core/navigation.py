"""The parts of the platform shown in the main navigation.

Each app registers its entry in ``AppConfig.ready`` so that the navigation lists only the
parts that exist on this instance (no "bientôt disponible" page).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min
from django.urls import reverse

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    url_name: str
    description: str
    order: int = 100
    # Marks the part as current for every address under it, when its URLs live in another
    # app's namespace (the associations pages are in ``core``).
    path_prefix: str = ""


_parts: dict[str, Part] = {}


def register_part(part: Part) -> None:
    _parts[part.key] = part


def parts() -> list[Part]:
    return sorted(_parts.values(), key=lambda p: (p.order, p.label))


def current_part_key(request) -> str:
    """The key of the part the request belongs to ("" when none): by path prefix first,
    then by the URL namespace (a part's key is its app's ``app_name``)."""
    path = getattr(request, "path", "") or ""
    for part in _parts.values():
        if part.path_prefix and path.startswith(part.path_prefix):
            return part.key
    match = getattr(request, "resolver_match", None)
    app_name = getattr(match, "app_name", "") if match else ""
    return app_name if app_name in _parts else ""


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    description: str
    order: int = 100
    # Only for staff accounts (the Django admin), not for every member of the team.
    staff_account_only: bool = False


class StaffEntry(Entry):
    """A staff page, listed on /gestion/."""


class AccountEntry(Entry):
    """A page of a signed-in person's own things (my testimonials, my requests…), listed
    under "Mon activité" on the account page. Each part registers its own."""


_staff_entries: dict[str, Entry] = {}
_account_entries: dict[str, Entry] = {}


def _in_order(entries: dict[str, Entry]) -> list:
    return sorted(entries.values(), key=lambda e: (e.order, e.label))


def register_staff_entry(entry: StaffEntry) -> None:
    _staff_entries[entry.url_name] = entry


def staff_entries(user=None) -> list[StaffEntry]:
    """The team's pages; given ``user``, only those this person can open."""
    entries = _in_order(_staff_entries)
    if user is not None and not user.is_staff:
        entries = [e for e in entries if not e.staff_account_only]
    return entries


@dataclass(frozen=True)
class Pending:
    """What waits on a staff page: how many, since when the oldest waits, and what they are
    ("demandes à valider"); shown on its card on /gestion/."""

    count: int
    oldest: datetime | None = None
    noun: str = ""


_counters: dict[str, Callable[[], Pending]] = {}


def register_counter(url_name: str, counter: Callable[[], Pending]) -> None:
    """Count what waits on the staff page ``url_name`` (each part, in its registrations.py)."""
    _counters[url_name] = counter


def pending_in(queryset, date_field: str, noun: str = "") -> Pending:
    """A ``Pending`` from a queryset of waiting items and the field dating each one."""
    row = queryset.aggregate(oldest=Min(date_field))
    return Pending(count=queryset.count(), oldest=row["oldest"], noun=noun)


def pending_for(url_name: str) -> Pending | None:
    """What waits on that page, or None when its part counts nothing (or the count failed:
    the team's home must open even if one part's count breaks)."""
    counter = _counters.get(url_name)
    if counter is None:
        return None
    try:
        return counter()
    except Exception:  # a part's bug must not close the team's home page
        log.exception("staff counter failed: %s", url_name)
        return None


def register_account_entry(entry: AccountEntry) -> None:
    _account_entries[entry.url_name] = entry


def account_entries() -> list[AccountEntry]:
    return _in_order(_account_entries)


def crumbs(label, url_name: str, *items, **url_kwargs) -> list[tuple]:
    """A breadcrumb trail for ``templates/includes/breadcrumbs.html``: the part's root
    (``label`` at ``reverse(url_name)``) then ``items``, each ``(label, url or None)``."""
    return [(label, reverse(url_name, kwargs=url_kwargs or None)), *items]
