"""schema.org ``Event`` for the event page (JSON-LD)."""

import json

from django.conf import settings

from . import ics
from .models import AttendanceMode, Status

STATUS = {
    Status.SCHEDULED: "EventScheduled",
    Status.RESCHEDULED: "EventRescheduled",
    Status.POSTPONED: "EventPostponed",
    Status.MOVED_ONLINE: "EventMovedOnline",
    Status.CANCELLED: "EventCancelled",
}
MODE = {
    AttendanceMode.IN_PERSON: "OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "MixedEventAttendanceMode",
}


def _place(event) -> dict:
    place = {"@type": "Place", "name": ics.location_of(event)}
    if event.place_id is not None:
        p = event.place
        place["name"] = p.name
        place["address"] = {
            "@type": "PostalAddress",
            "streetAddress": p.address,
            "postalCode": p.postal_code,
            "addressLocality": p.commune_name,
            "addressCountry": "FR",
        }
    elif event.commune_id:
        place["address"] = {
            "@type": "PostalAddress",
            "streetAddress": event.address,
            "addressLocality": event.commune.name,
            "addressCountry": "FR",
        }
    if event.latitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": event.latitude,
            "longitude": event.longitude,
        }
    return place


def event_json_ld(event, *, remaining: int | None, keywords=()) -> str:
    """``keywords``: the names of its themes and of the plan actions it serves."""
    url = f"{settings.SITE_URL}{event.get_absolute_url()}"
    online = (
        event.attendance_mode != AttendanceMode.IN_PERSON or event.status == Status.MOVED_ONLINE
    )
    locations = []
    if event.attendance_mode != AttendanceMode.ONLINE and event.status != Status.MOVED_ONLINE:
        locations.append(_place(event))
    if online:
        locations.append({"@type": "VirtualLocation", "url": url})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description[:500],
        "url": url,
        "startDate": event.starts_at.isoformat() if event.starts_at else None,
        "endDate": event.ends_at.isoformat() if event.ends_at else None,
        "eventStatus": f"https://schema.org/{STATUS[event.status]}",
        "eventAttendanceMode": f"https://schema.org/{MODE[event.attendance_mode]}",
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {"@type": "Organization", "name": event.organiser.name},
        "offers": {
            "@type": "Offer",
            "price": f"{event.price_cents / 100:.2f}",
            "priceCurrency": "EUR",
            "url": url,
            "availability": "https://schema.org/SoldOut"
            if remaining == 0
            else "https://schema.org/InStock",
        },
    }
    if keywords:
        data["keywords"] = ", ".join(keywords)
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        data["remainingAttendeeCapacity"] = remaining
    # "</" cannot close the script element it sits in.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
