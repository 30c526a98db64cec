"""The parts of the platform shown in the main navigation.

Each app registers its entry in ``AppConfig.ready`` so that the navigation lists only the
parts that exist on this instance (no "bientôt disponible" page).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    url_name: str
    description: str
    order: int = 100


_parts: dict[str, Part] = {}


def register_part(part: Part) -> None:
    _parts[part.key] = part


def parts() -> list[Part]:
    return sorted(_parts.values(), key=lambda p: (p.order, p.label))


@dataclass(frozen=True)
class StaffEntry:
    label: str
    url_name: str
    description: str
    order: int = 100


_staff_entries: dict[str, StaffEntry] = {}


def register_staff_entry(entry: StaffEntry) -> None:
    _staff_entries[entry.url_name] = entry


def staff_entries() -> list[StaffEntry]:
    return sorted(_staff_entries.values(), key=lambda e: (e.order, e.label))
