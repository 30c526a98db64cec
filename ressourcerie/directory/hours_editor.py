"""Opening hours typed as days and times (two slots a day), turned into the OSM value.

The listing stores OpenStreetMap ``opening_hours`` ("Mo-Fr 09:00-12:00,14:00-18:00; PH off"),
which few people can write. The edit form shows a week grid of ``<input type="time">`` (no
JavaScript needed) and generates that value; the raw field stays for what the grid cannot
say. ``HoursGridField`` cleans to the generated value, or None when the grid was not sent
(the API sends the raw value only).
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from . import opening_hours

SLOTS = 2
SLOT_NAMES = (_("matin"), _("après-midi"))
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


def _key(day: int, slot: int, end: str) -> str:
    return f"{day}_{slot}_{end}"


def grid_from_value(value: str) -> dict[str, str] | None:
    """The grid's cells for a stored value; None when the grid cannot say it (unreadable,
    more than two slots a day, a slot past midnight)."""
    if not (value or "").strip():
        return {"ph_off": ""}
    week = opening_hours.parse(value)
    if week is None:
        return None
    intervals = {day: [(0, 1440)] for day in range(7)} if week.always_open else week.intervals
    cells = {"ph_off": "on" if week.closed_on_holidays else ""}
    for day, spans in intervals.items():
        if len(spans) > SLOTS or any(end > 1440 for _start, end in spans):
            return None
        for slot, (start, end) in enumerate(spans):
            cells[_key(day, slot, "start")] = _hhmm(start)
            cells[_key(day, slot, "end")] = _hhmm(end)
    return cells


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _minute(text: str) -> int | None:
    match = _HHMM.match((text or "").strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def value_from_spans(week: dict[int, list[tuple[int, int]]], *, ph_off: bool) -> str:
    """``{0: [(540, 720)], ...}`` → ``"Mo-Fr 09:00-12:00; PH off"``: consecutive days with the
    same hours share one rule; closed days are left out (OSM: unspecified means closed)."""
    rules = []
    day = 0
    while day < 7:
        spans = week.get(day) or []
        last = day
        while last + 1 < 7 and (week.get(last + 1) or []) == spans:
            last += 1
        if spans:
            days = opening_hours.DAYS[day]
            if last > day:
                days += "-" + opening_hours.DAYS[last]
            times = ",".join(f"{_hhmm(s)}-{'24:00' if e == 1440 else _hhmm(e)}" for s, e in spans)
            rules.append(f"{days} {times}")
        day = last + 1
    if ph_off and rules:
        rules.append("PH off")
    return "; ".join(rules)


class HoursGridWidget(forms.Widget):
    """A table: one row a day, a start and an end time for the morning and the afternoon,
    and "fermé les jours fériés"."""

    template_name = "directory/widgets/hours_grid.html"
    use_fieldset = True

    def value_from_datadict(self, data, files, name):
        if f"{name}_grid" not in data:
            return None
        cells = {"ph_off": data.get(f"{name}_ph_off", "")}
        for day in range(7):
            for slot in range(SLOTS):
                for end in ("start", "end"):
                    cells[_key(day, slot, end)] = str(
                        data.get(f"{name}_{_key(day, slot, end)}", "")
                    )
        return cells

    def value_omitted_from_data(self, data, files, name):
        return f"{name}_grid" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        cells = value if isinstance(value, dict) else grid_from_value(value or "")
        context["widget"]["fits"] = cells is not None
        cells = cells or {}
        context["widget"]["ph_off"] = bool(cells.get("ph_off"))
        context["widget"]["rows"] = [
            (
                opening_hours.DAY_NAMES[day],
                [
                    (
                        f"{name}_{_key(day, slot, end)}",
                        cells.get(_key(day, slot, end), ""),
                        f"{opening_hours.DAY_NAMES[day]}, {SLOT_NAMES[slot]}, "
                        f"{'début' if end == 'start' else 'fin'}",
                    )
                    for slot in range(SLOTS)
                    for end in ("start", "end")
                ],
            )
            for day in range(7)
        ]
        return context


class HoursGridField(forms.Field):
    """Cleans the grid to the OSM value it says ("" when every cell is empty), or None
    when the form was sent without the grid."""

    widget = HoursGridWidget

    def clean(self, value):
        if value is None:
            return None
        week: dict[int, list[tuple[int, int]]] = {}
        errors = []
        for day in range(7):
            name = opening_hours.DAY_NAMES[day]
            spans = []
            for slot in range(SLOTS):
                start_text = value.get(_key(day, slot, "start"), "").strip()
                end_text = value.get(_key(day, slot, "end"), "").strip()
                if not start_text and not end_text:
                    continue
                start, end = _minute(start_text), _minute(end_text)
                if start is None or end is None:
                    errors.append(
                        _("%(day)s : indiquez l'heure d'ouverture et l'heure de fermeture.")
                        % {"day": name}
                    )
                    continue
                end = 1440 if end == 0 else end  # "00:00" as a closing time is midnight
                if end <= start:
                    errors.append(
                        _("%(day)s : la fermeture (%(end)s) doit suivre l'ouverture (%(start)s).")
                        % {"day": name, "start": start_text, "end": end_text}
                    )
                    continue
                if spans and start < spans[-1][1]:
                    errors.append(
                        _("%(day)s : l'après-midi doit commencer après la fin du matin.")
                        % {"day": name}
                    )
                    continue
                spans.append((start, end))
            week[day] = spans
        if errors:
            raise forms.ValidationError(errors)
        return value_from_spans(week, ph_off=bool(value.get("ph_off")))
