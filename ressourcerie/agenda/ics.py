"""iCalendar files (RFC 5545) and invitations (RFC 5546), written by hand.

No runtime dependency: the format is lines of ``NAME;PARAM=…:value``, folded at 75 octets,
with a handful of escapes. Times are local to Europe/Paris with a VTIMEZONE that states the EU
rules (last Sunday of March and of October), DTSTAMP in UTC. One VEVENT per session, whose UID
stays the same for the life of the session and whose SEQUENCE is the event's (raised on every
change of time or place), so calendars replace the entry they already hold.
"""

from datetime import UTC
from email.mime.text import MIMEText
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .models import AttendanceMode, Status

PARIS = ZoneInfo("Europe/Paris")
TZID = "Europe/Paris"

VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    text = str(text or "")
    for char, replacement in (("\\", "\\\\"), (";", "\\;"), (",", "\\,")):
        text = text.replace(char, replacement)
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets are split, each continuation starting with a space;
    never inside a UTF-8 character."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts)


def _local(moment) -> str:
    return moment.astimezone(PARIS).strftime("%Y%m%dT%H%M%S")


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def session_uid(session) -> str:
    return f"agenda-session-{session.pk}@{host()}"


def location_of(event) -> str:
    if event.attendance_mode == AttendanceMode.ONLINE or event.status == Status.MOVED_ONLINE:
        return "En ligne"
    if event.place_id is not None:
        place = event.place
        return f"{place.name}, {place.address}, {place.postal_code} {place.commune_name}"
    commune = event.commune.name if event.commune_id else ""
    return ", ".join(part for part in (event.address, commune) if part)


def vevent(
    event, session, *, cancelled: bool = False, stamp=None, attendee: str = "", uid_host=None
) -> list[str]:
    cancelled = cancelled or event.status == Status.CANCELLED
    url = f"{settings.SITE_URL}{event.get_absolute_url()}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:agenda-session-{session.pk}@{uid_host or host()}",
        f"DTSTAMP:{_utc(stamp or timezone.now())}",
        f"DTSTART;TZID={TZID}:{_local(session.starts_at)}",
        f"DTEND;TZID={TZID}:{_local(session.ends_at)}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{escape(event.title)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"URL:{url}",
        f"ORGANIZER;CN={escape(event.organiser.name)}:mailto:{settings.DEFAULT_FROM_EMAIL}",
    ]
    if attendee:
        lines.append(f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{attendee}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description[:1000])}")
    location = location_of(event)
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    if event.latitude is not None and event.longitude is not None and location != "En ligne":
        lines.append(f"GEO:{event.latitude:.6f};{event.longitude:.6f}")
    if not cancelled:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape(event.title)}",
            "TRIGGER:-P1D",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def calendar(
    pairs, *, method: str = "PUBLISH", name: str = "", cancelled: bool = False, attendee: str = ""
) -> str:
    """A VCALENDAR of ``pairs`` (event, session), CRLF line ends, folded."""
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape(settings.SITE_NAME)}//Agenda//FR",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    lines += VTIMEZONE
    uid_host = host()  # once per file, not per VEVENT (a feed holds hundreds)
    for event, session in pairs:
        lines += vevent(
            event, session, cancelled=cancelled, stamp=stamp, attendee=attendee, uid_host=uid_host
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def event_calendar(
    event, *, method: str = "PUBLISH", cancelled: bool = False, attendee: str = "", sessions=None
) -> str:
    """The event's sessions (or those given: a per-session registration's one)."""
    return calendar(
        [(event, session) for session in (event.sessions.all() if sessions is None else sessions)],
        method=method,
        name=event.title,
        cancelled=cancelled,
        attendee=attendee,
    )


def invitation_part(event, *, attendee: str, cancel: bool = False, sessions=None):
    """The e-mail part calendars act on: ``text/calendar; method=REQUEST`` (or CANCEL)."""
    method = "CANCEL" if cancel else "REQUEST"
    body = event_calendar(
        event, method=method, cancelled=cancel, attendee=attendee, sessions=sessions
    )
    part = MIMEText(body, "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
    return part
