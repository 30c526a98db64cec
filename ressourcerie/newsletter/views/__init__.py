"""Views of the newsletter, one module per family (public pages, the team's pages)."""

from .public import (
    ArchiveFeed,
    account,
    archive_detail,
    archive_list,
    confirm,
    preferences,
    subscribe,
    subscribe_done,
    unsubscribe,
    unsubscribed,
)
from .staff import (
    staff_edition,
    staff_edition_action,
    staff_edition_edit,
    staff_edition_send,
    staff_editions,
    staff_subscribers,
    staff_subscribers_csv,
)

__all__ = [
    "ArchiveFeed",
    "account",
    "archive_detail",
    "archive_list",
    "confirm",
    "preferences",
    "staff_edition",
    "staff_edition_action",
    "staff_edition_edit",
    "staff_edition_send",
    "staff_editions",
    "staff_subscribers",
    "staff_subscribers_csv",
    "subscribe",
    "subscribe_done",
    "unsubscribe",
    "unsubscribed",
]
