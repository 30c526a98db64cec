"""The common subset of OpenStreetMap ``opening_hours``, in Europe/Paris time.

Understood: ``24/7``; rules separated by ``;``; days ``Mo-Fr``, ``Mo,We,Fr``, ``Sa``;
times ``09:00-12:00,14:00-18:00`` (also ``9h00``, ``09h-12h``, ``24:00``, past midnight);
``off``/``closed``; ``PH off`` (public holidays closed; other PH rules are ignored). A later
rule for the same day replaces an earlier one, as in OSM. Anything else: ``parse`` returns
None and the page says "horaires non reconnus" — never an exception.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")
DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
DAY_NAMES = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]
_DAY_ALIASES = {"Lu": "Mo", "Ma": "Tu", "Me": "We", "Je": "Th", "Ve": "Fr", "Di": "Su"}

_TIME = r"(\d{1,2})(?:[:hH](\d{2})?)?"
_RANGE = re.compile(rf"^{_TIME}\s*-\s*{_TIME}$")
_DAY_SPEC = re.compile(
    r"^[A-Za-z]{2}(\s*-\s*[A-Za-z]{2})?(\s*,\s*[A-Za-z]{2}(\s*-\s*[A-Za-z]{2})?)*"
)


@dataclass
class Week:
    # day index (0 = Monday) -> list of (start_minute, end_minute); end may exceed 1440.
    intervals: dict[int, list[tuple[int, int]]]
    always_open: bool = False
    closed_on_holidays: bool = False

    def is_open(self, at: datetime) -> bool:
        if self.always_open:
            return True
        local = at.astimezone(PARIS)
        minute = local.hour * 60 + local.minute
        today, yesterday = local.weekday(), (local.weekday() - 1) % 7
        if any(s <= minute < e for s, e in self.intervals.get(today, [])):
            return True
        # An interval of the previous day running past midnight ("Fr 22:00-02:00").
        return any(e > 1440 and minute < e - 1440 for _s, e in self.intervals.get(yesterday, []))

    def table(self) -> list[tuple[str, str]]:
        """[("Lundi", "09:00–12:00, 14:00–18:00"), ...] for the place page. A word joiner
        follows each dash: a narrow screen wraps between two time ranges, never inside one."""
        if self.always_open:
            return [(name, "24 h/24") for name in DAY_NAMES]
        rows = []
        for index, name in enumerate(DAY_NAMES):
            spans = self.intervals.get(index, [])
            text = (
                ", ".join(f"{_fmt(s)}–{WORD_JOINER}{_fmt(e)}" for s, e in spans)
                if spans
                else "Fermé"
            )
            rows.append((name, text))
        return rows


WORD_JOINER = "\u2060"


def _fmt(minute: int) -> str:
    if minute != 1440:
        minute %= 1440
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _minutes(hour: str, minute: str | None) -> int | None:
    h, m = int(hour), int(minute or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        return None
    return h * 60 + m


def _days(spec: str) -> list[int] | None:
    result = []
    for part in spec.split(","):
        bounds = [b.strip() for b in part.split("-")]
        try:
            indexes = [DAYS.index(_DAY_ALIASES.get(b.title(), b.title())) for b in bounds]
        except ValueError:
            return None
        if len(indexes) == 1:
            result.append(indexes[0])
        else:
            start, end = indexes
            span = range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
            result.extend(span)
    return result


def _times(spec: str) -> list[tuple[int, int]] | None:
    spans = []
    for part in spec.split(","):
        match = _RANGE.match(part.strip())
        if not match:
            return None
        start = _minutes(match.group(1), match.group(2))
        end = _minutes(match.group(3), match.group(4))
        if start is None or end is None:
            return None
        if end <= start:
            end += 1440  # past midnight
        spans.append((start, end))
    return spans


def parse(text: str) -> Week | None:
    value = (text or "").strip().rstrip(";").strip()
    if not value or len(value) > 500:
        return None
    if value == "24/7":
        return Week({}, always_open=True)
    week = Week({})
    for rule in (r.strip() for r in value.split(";")):
        if not rule:
            continue
        if rule.startswith("PH"):
            rest = rule[2:].strip().lower()
            if rest in {"off", "closed"}:
                week.closed_on_holidays = True
                continue
            if _times(rest) is not None:  # PH opening hours: not tracked, accepted.
                continue
            return None
        match = _DAY_SPEC.match(rule)
        if match:
            days = _days(match.group(0))
            rest = rule[match.end() :].strip()
        else:  # "09:00-18:00" alone: every day
            days, rest = list(range(7)), rule
        if days is None:
            return None
        if rest.lower() in {"off", "closed"}:
            for day in days:
                week.intervals[day] = []
            continue
        spans = _times(rest)
        if spans is None:
            return None
        for day in days:
            week.intervals[day] = list(spans)
    return week


def is_open_now(text: str, at: datetime | None = None) -> bool | None:
    """True/False, or None when the hours cannot be read."""
    week = parse(text)
    if week is None:
        return None
    return week.is_open(at or timezone.now())
