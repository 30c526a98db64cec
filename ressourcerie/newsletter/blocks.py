"""Automatic blocks: other parts register what they can contribute to an edition.

    from ressourcerie.newsletter import blocks
    blocks.register("nouveaux-outils", _("Nouveaux outils"), "outils", builder)

``builder(start: date, end: date, department: Department | None) -> list[BlockItem]``:
the items of the period; for a department-aware block, those of ``department`` (None means
the whole territory, e.g. in the public archives). Builders must be cheap: the sender calls
each one once per (block, department) of an edition.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .models import Topic


@dataclass(frozen=True)
class BlockItem:
    title: str
    url: str  # absolute path ("/outils/…") or full URL
    text: str = ""


@dataclass(frozen=True)
class Block:
    key: str
    label: str
    topic: str
    builder: Callable[[date | None, date | None, object], list[BlockItem]]


_blocks: dict[str, Block] = {}


def register(key: str, label, topic: str, builder) -> None:
    if topic not in Topic.values:
        raise ValueError(f"Unknown newsletter topic {topic!r}")
    _blocks[key] = Block(key=key, label=label, topic=topic, builder=builder)


def unregister(key: str) -> None:
    _blocks.pop(key, None)


def get(key: str) -> Block | None:
    return _blocks.get(key)


def all_blocks() -> list[Block]:
    return sorted(_blocks.values(), key=lambda b: str(b.label))
