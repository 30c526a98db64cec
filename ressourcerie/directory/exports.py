"""Places in schema v1.0.1 (Frictionless Table Schema): CSV, JSON and GeoJSON.

Licence Ouverte 2.0 (etalab-2.0). Each row holds the 32 fields of the standard, in its order,
with multi-values joined by ``|``. Cells a spreadsheet would read as a formula are prefixed
with an apostrophe (numbers and telephone numbers in the standard's format excepted).
"""

import csv
import io
import re

from django.utils import timezone

from ressourcerie.core import opendata
from ressourcerie.core.csvcells import safe_cell

from . import vocabulary as v
from .parsing import PHONE

SCHEMA_URI = "https://raw.githubusercontent.com/LaMednum/standard-mediation-num/v1.0.1/schema.json"
LICENCE = opendata.LICENCE  # published whole in the JSON and GeoJSON files
FIELDS = [
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
]
_ENUM_ATTRIBUTES = {
    "services": ("services", v.Service),
    "publics_specifiquement_adresses": ("publics", v.Public),
    "prise_en_charge_specifique": ("specific_support", v.SpecificSupport),
    "frais_a_charge": ("fees", v.Fee),
    "dispositif_programmes_nationaux": ("national_programmes", v.NationalProgramme),
    "formations_labels": ("training_labels", v.TrainingLabel),
    "modalites_acces": ("access_modes", v.AccessMode),
    "modalites_accompagnement": ("support_modes", v.SupportMode),
    "itinerance": ("roaming", v.Roaming),
}
_INSEE = re.compile(r"^([013-9]\d|2[AB1-9])\d{3}$")
_PIVOT = re.compile(r"^[a-zA-Z0-9]{9,14}$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
UNKNOWN_PIVOT = "00000000000000"


def exportable(queryset):
    """Places the standard can describe: published, located, with its required fields."""
    return (
        queryset.filter(is_published=True, latitude__isnull=False)
        .exclude(postal_code="")
        .exclude(address="")
        .exclude(commune_name="", commune__isnull=True)
        .select_related("commune")
        .order_by("pk")
    )


def _summary(text: str) -> str:
    text = (text or "").strip()
    return text if len(text) <= 280 else text[:279].rstrip() + "…"


def place_row(place) -> dict:
    """One place as the 32 fields of schema v1.0.1 (numbers as floats, the rest as text)."""
    updated = place.source_updated_on or timezone.localdate(place.confirmed_at or place.updated_at)
    row = {
        "id": place.slug,
        "pivot": place.pivot if _PIVOT.match(place.pivot or "") else UNKNOWN_PIVOT,
        "nom": place.name,
        "commune": place.commune_name or (place.commune.name if place.commune else ""),
        "code_postal": place.postal_code,
        "code_insee": place.insee_code if _INSEE.match(place.insee_code or "") else "",
        "adresse": place.address,
        "complement_adresse": place.address_complement,
        "latitude": round(place.latitude, 6),
        "longitude": round(place.longitude, 6),
        "typologie": "|".join(v.decode(place.typology)),
        "telephone": place.phone if PHONE.match(place.phone or "") else "",
        "courriels": "|".join(place.emails or []),
        "site_web": "|".join(place.websites or []),
        "horaires": place.opening_hours,
        "presentation_resume": _summary(place.summary),
        "presentation_detail": place.description,
        "source": place.source,
        "structure_parente": place.parent_structure,
        "date_maj": updated.isoformat(),
        "autres_formations_labels": "|".join(place.other_labels or []),
        "fiche_acces_libre": place.accessibility_url,
        "prise_rdv": place.booking_url,
    }
    for schema_field, (attribute, choices) in _ENUM_ATTRIBUTES.items():
        row[schema_field] = "|".join(v.labels(choices, getattr(place, attribute)))
    return {name: row[name] for name in FIELDS}


def neutralise(value) -> str:
    """A cell as text, never a formula for a spreadsheet."""
    if isinstance(value, float):
        return repr(value)
    text = str(value if value is not None else "")
    # Numbers and phone numbers stay as typed (the standard's "+33…" format).
    if _NUMBER.match(text) or PHONE.match(text):
        return text
    return safe_cell(text)


def csv_lines(queryset):
    """The CSV, line by line (to stream large exports)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush():
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    writer.writerow(FIELDS)
    yield flush()
    for place in exportable(queryset).iterator(chunk_size=1000):
        writer.writerow([neutralise(value) for value in place_row(place).values()])
        yield flush()


def json_document(queryset) -> dict:
    rows = [place_row(p) for p in exportable(queryset).iterator(chunk_size=1000)]
    return {"schema": SCHEMA_URI, "licence": LICENCE, "count": len(rows), "data": rows}


def geojson_document(queryset) -> dict:
    features = []
    for place in exportable(queryset).iterator(chunk_size=1000):
        row = place_row(place)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": row,
            }
        )
    return {
        "type": "FeatureCollection",
        "schema": SCHEMA_URI,
        "licence": LICENCE,
        "features": features,
    }
