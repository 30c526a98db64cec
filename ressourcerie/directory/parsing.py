"""Reading a file of places and normalising its rows, without touching the database.

``read_rows`` turns a CSV, JSON or GeoJSON file into rows (``ImportRefused`` when the file as a
whole cannot be read); ``normalise`` maps one row of any version of the national standard to
``Place`` attributes, with the warnings and errors it found. ``importers`` loads the result.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from ressourcerie.core.text import fold

from . import vocabulary as v

MAX_BYTES = 50 * 1024 * 1024
REQUIRED_COLUMNS = ("id", "nom", "commune", "code_postal", "adresse")

# A spreadsheet would run these as formulas (CSV injection): "=HYPERLINK(...)", "@SUM(...)".
FORMULA = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\()")
PHONE = re.compile(r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
SPLIT = re.compile(r"\s*[|;]\s*")

# Column names of earlier versions -> names of v1.0.1.
ALIASES = {
    "courriel": "courriels",
    "labels_nationaux": "dispositif_programmes_nationaux",
    "accessibilite": "fiche_acces_libre",
    "conditions_acces": "frais_a_charge",
    "autres_labels": "autres_formations_labels",
    "labels_autres": "autres_formations_labels",
}

# Labels found in real pre-v1 files (Hinaura 2021, Hub du Sud and Charente 2023) -> the
# (field, code) of v1.0.1 they mean. Keys are folded; "label : explanation" is cut at " : ".
OLD_LABELS: dict[str, tuple[str, str] | None] = {
    # services (Hinaura 2021)
    "accompagner les demarches de sante": ("services", v.Service.ADMIN),
    "acceder a du materiel": ("services", v.Service.ACCESS),
    "acceder a une connexion internet": ("services", v.Service.ACCESS),
    "approfondir ma culture numerique": ("services", v.Service.UNDERSTANDING),
    "devenir autonome dans les demarches administratives": ("services", v.Service.ADMIN),
    "prendre en main un ordinateur": ("services", v.Service.EVERYDAY),
    "prendre en main un smartphone ou une tablette": ("services", v.Service.EVERYDAY),
    "promouvoir la citoyennete numerique": ("services", v.Service.UNDERSTANDING),
    "realiser des demarches administratives avec un accompagnement": (
        "services",
        v.Service.ADMIN,
    ),
    "utiliser le numerique au quotidien": ("services", v.Service.EVERYDAY),
    # publics_accueillis -> publics / prise en charge spécifique
    "adultes": None,
    "familles enfants": ("publics_specifiquement_adresses", v.Public.FAMILIES),
    "jeunes 16 26 ans": ("publics_specifiquement_adresses", v.Public.YOUTH),
    "seniors 65 ans": ("publics_specifiquement_adresses", v.Public.SENIORS),
    "surdite": ("prise_en_charge_specifique", v.SpecificSupport.DEAF),
    "handicaps mentaux": ("prise_en_charge_specifique", v.SpecificSupport.MENTAL),
    "personnes en situation d illettrisme": (
        "prise_en_charge_specifique",
        v.SpecificSupport.ILLITERACY,
    ),
    "public langues etrangeres": ("prise_en_charge_specifique", v.SpecificSupport.OTHER_LANGUAGES),
    "deficience visuelle": ("prise_en_charge_specifique", v.SpecificSupport.VISUAL),
    # conditions_acces -> frais_a_charge
    "adhesion": ("frais_a_charge", v.Fee.PAID),
    "accepte le pass numerique": ("frais_a_charge", v.Fee.FREE_UNDER_CONDITION),
    # modalites_accompagnement (2021)
    "a ma place": ("modalites_accompagnement", v.SupportMode.INDIVIDUAL),
    "avec de l aide": ("modalites_accompagnement", v.SupportMode.INDIVIDUAL),
    "dans un atelier": ("modalites_accompagnement", v.SupportMode.WORKSHOP),
    "seul": ("modalites_accompagnement", v.SupportMode.AUTONOMY),
    # labels_nationaux
    "cnfs": ("dispositif_programmes_nationaux", v.NationalProgramme.CNFS),
}

# Which place attribute each enumerated schema field fills.
ENUM_ATTRIBUTES = {
    "services": "services",
    "publics_specifiquement_adresses": "publics",
    "prise_en_charge_specifique": "specific_support",
    "frais_a_charge": "fees",
    "dispositif_programmes_nationaux": "national_programmes",
    "formations_labels": "training_labels",
    "modalites_acces": "access_modes",
    "modalites_accompagnement": "support_modes",
    "itinerance": "roaming",
}
# Fields read from publics_accueillis (pre-v1) are looked up in these vocabularies.
PRE_V1_PUBLICS_FIELDS = ("publics_specifiquement_adresses", "prise_en_charge_specifique")

_CURRENT_LABELS = {
    (schema_field, fold(str(label))): code
    for schema_field, choices in v.SCHEMA_ENUMS.items()
    for code, label in choices.choices
}


class ImportRefused(Exception):
    """The file as a whole cannot be imported (encoding, size, columns...)."""


# --- reading ------------------------------------------------------------------------------
def read_rows(data: bytes, file_name: str) -> list[dict]:
    """Rows of a JSON (list of objects) or CSV file, as dicts of strings and numbers."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("Le fichier dépasse 50 Mo (%(size)s Mo) : découpez-le.")
            % {"size": round(len(data) / 1024 / 1024, 1)}
        )
    if not data.strip():
        raise ImportRefused(_("Le fichier est vide."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            _(
                "Le fichier n'est pas encodé en UTF-8 (octet illisible à la position "
                "%(pos)s). Enregistrez-le en UTF-8 puis recommencez."
            )
            % {"pos": exc.start}
        ) from exc
    if "\x00" in text:
        raise ImportRefused(_("Le fichier contient des caractères nuls : ce n'est pas du texte."))
    stripped = text.lstrip()
    if file_name.lower().endswith(".json") or stripped[:1] in "[{":
        return _json_rows(text)
    return _csv_rows(text)


def _json_rows(text: str) -> list[dict]:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            _("JSON illisible, ligne %(line)s colonne %(col)s : %(msg)s")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from exc
    if isinstance(payload, dict):
        if isinstance(payload.get("features"), list):  # GeoJSON
            payload = [
                {**(f.get("properties") or {}), **_geojson_point(f)}
                for f in payload["features"]
                if isinstance(f, dict)
            ]
        else:
            lists = [value for value in payload.values() if isinstance(value, list)]
            payload = lists[0] if len(lists) == 1 else None
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise ImportRefused(_("Le JSON doit être une liste d'objets (un objet par lieu)."))
    return payload


def _geojson_point(feature: dict) -> dict:
    geometry = feature.get("geometry") or {}
    coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
    if isinstance(coords, list) and len(coords) >= 2:
        return {"longitude": coords[0], "latitude": coords[1]}
    return {}


def _csv_rows(text: str) -> list[dict]:
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportRefused(
            _("CSV illisible ligne %(line)s : %(msg)s") % {"line": reader.line_num, "msg": exc}
        ) from exc
    if reader.fieldnames is None:
        raise ImportRefused(_("Le fichier CSV n'a pas de ligne d'en-tête."))
    for row in rows:
        if None in row:  # more cells than columns
            row.pop(None)
    return rows


def check_columns(rows: list[dict]) -> list[str]:
    present = {(key or "").strip().lower() for row in rows for key in row}
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        return [
            _("Colonnes obligatoires absentes : %(cols)s. Colonnes trouvées : %(found)s.")
            % {"cols": ", ".join(missing), "found": ", ".join(sorted(present)) or "—"}
        ]
    return []


# --- normalising one row ------------------------------------------------------------------
def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _split(value) -> list[str]:
    return [part for part in SPLIT.split(_text(value)) if part]


def _coordinate(value, low: float, high: float):
    """(float | None, error message)."""
    text = _text(value).replace(",", ".")
    if not text:
        return None, ""
    try:
        number = float(text)
    except ValueError:
        return None, _("coordonnée illisible « %(v)s »") % {"v": text[:40]}
    if number != number or not low <= number <= high:  # NaN or out of range
        return None, _("coordonnée hors limites « %(v)s »") % {"v": text[:40]}
    return number, ""


def normalise_phone(value: str) -> str:
    digits = re.sub(r"[\s.\-()/]", "", value)
    if digits.startswith("0033"):
        digits = "+33" + digits[4:]
    if re.fullmatch(r"0\d{9}", digits):
        digits = "+33" + digits[1:]
    return digits if PHONE.match(digits) else ""


def _url(value: str) -> str:
    value = value.strip()
    if value.lower().startswith("www."):
        value = "https://" + value
    return value if re.match(r"^https?://[^\s]+$", value, re.I) else ""


def _postal_code(value) -> str:
    text = _text(value).replace(" ", "")
    if re.fullmatch(r"\d{4}", text):
        text = "0" + text
    return text if re.fullmatch(r"\d{5}", text) else ""


# Hub files write "1970-01-01" (the Unix epoch) for "date unknown"; no listing of the
# standard predates it by decades, so anything before is no date at all.
EARLIEST_SOURCE_DATE = date(2000, 1, 1)


def _date(value):
    text = _text(value)[:10]
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed >= EARLIEST_SOURCE_DATE else None


@dataclass
class Normalised:
    external_id: str
    fields: dict
    latitude: float | None
    longitude: float | None
    warnings: list[str]
    skip_reason: str = ""
    errors: list[str] = field(default_factory=list)


def normalise(raw: dict) -> Normalised:
    """Map one row (any version) to Place attributes, with warnings for what was dropped."""
    row = {}
    for key, value in raw.items():
        name = (key or "").strip().lower()
        row[ALIASES.get(name, name)] = value
    errors, warnings = [], []
    for key, value in raw.items():
        if isinstance(value, str) and FORMULA.match(value):
            errors.append(
                _("formule de tableur refusée dans « %(col)s » : %(v)s")
                % {"col": key, "v": value[:40]}
            )
    external_id = _text(row.get("id"))
    name = _text(row.get("nom"))
    lat, lat_error = _coordinate(row.get("latitude"), -90, 90)
    lon, lon_error = _coordinate(row.get("longitude"), -180, 180)
    errors += [e for e in (lat_error, lon_error) if e]
    if lat is None or lon is None or (lat == 0 and lon == 0):
        lat = lon = None

    codes: dict[str, list[str]] = {f: [] for f in ENUM_ATTRIBUTES}
    sources = [(f, row.get(f)) for f in ENUM_ATTRIBUTES if f != "publics_specifiquement_adresses"]
    sources.append(("publics_specifiquement_adresses", row.get("publics_specifiquement_adresses")))
    sources.append(("publics_accueillis", row.get("publics_accueillis")))
    for schema_field, value in sources:
        for label in _split(value):
            mapped = _map_label(schema_field, label)
            if mapped is None:
                continue
            if mapped == "unknown":
                warnings.append(
                    _("valeur inconnue ignorée dans « %(col)s » : %(v)s")
                    % {"col": schema_field, "v": label[:60]}
                )
                continue
            codes[mapped[0]].append(mapped[1])

    emails, websites = [], []
    for item in _split(row.get("courriels")):
        if EMAIL.match(item):
            emails.append(item)
        elif _url(item):
            websites.append(_url(item))
        else:
            warnings.append(_("courriel invalide ignoré : %(v)s") % {"v": item[:60]})
    for item in _split(row.get("site_web")):
        if _url(item):
            websites.append(_url(item))
        else:
            warnings.append(_("site web invalide ignoré : %(v)s") % {"v": item[:60]})
    phone_raw = _text(row.get("telephone"))
    phone = normalise_phone(phone_raw) if phone_raw else ""
    if phone_raw and not phone:
        warnings.append(_("téléphone non reconnu ignoré : %(v)s") % {"v": phone_raw[:30]})
    pivot = re.sub(r"\s", "", _text(row.get("pivot")))
    if pivot and not re.fullmatch(r"[A-Za-z0-9]{9,14}", pivot):
        warnings.append(_("pivot invalide ignoré : %(v)s") % {"v": pivot[:30]})
        pivot = ""
    insee = _text(row.get("code_insee"))
    if insee and not re.fullmatch(r"([013-9]\d|2[AB1-9])\d{3}", insee):
        insee = ""
    accessibility = _url(_text(row.get("fiche_acces_libre")))
    booking = _url(_text(row.get("prise_rdv")))

    fields = {
        "name": name[:250],
        "pivot": pivot,
        "commune_name": _text(row.get("commune"))[:120],
        "postal_code": _postal_code(row.get("code_postal")),
        "insee_code": insee,
        "address": _text(row.get("adresse"))[:250],
        "address_complement": _text(row.get("complement_adresse"))[:250],
        "typology": v.encode(t.upper() for t in _split(row.get("typologie"))),
        "phone": phone,
        "emails": list(dict.fromkeys(emails)),
        "websites": list(dict.fromkeys(websites)),
        "opening_hours": _text(row.get("horaires"))[:500],
        "summary": _text(row.get("presentation_resume")),
        "description": _text(row.get("presentation_detail")),
        "source": _text(row.get("source"))[:200],
        "parent_structure": _text(row.get("structure_parente"))[:250],
        "source_updated_on": _date(row.get("date_maj")),
        "other_labels": _split(row.get("autres_formations_labels")),
        "accessibility_url": accessibility[:500],
        "booking_url": booking[:500],
    }
    for schema_field, attribute in ENUM_ATTRIBUTES.items():
        fields[attribute] = v.encode(codes[schema_field])

    result = Normalised(external_id, fields, lat, lon, warnings, errors=errors)
    if not external_id:
        result.skip_reason = _("identifiant (id) absent")
    elif not name:
        result.skip_reason = _("nom absent")
    elif not fields["postal_code"]:
        result.skip_reason = _("code postal absent ou invalide « %(v)s »") % {
            "v": _text(row.get("code_postal"))[:20]
        }
    elif not fields["address"]:
        result.skip_reason = _("adresse absente")
    return result


def _map_label(schema_field: str, label: str):
    """(field, code), None for a value that means nothing here, or "unknown"."""
    key = fold(label)
    if schema_field != "publics_accueillis" and (schema_field, key) in _CURRENT_LABELS:
        return schema_field, _CURRENT_LABELS[(schema_field, key)]
    short = fold(label.split(" : ")[0])
    if short in OLD_LABELS:
        return OLD_LABELS[short]
    if (schema_field, short) in _CURRENT_LABELS:
        return schema_field, _CURRENT_LABELS[(schema_field, short)]
    if schema_field == "publics_accueillis":
        for target in PRE_V1_PUBLICS_FIELDS:
            if (target, key) in _CURRENT_LABELS:
                return target, _CURRENT_LABELS[(target, key)]
    return "unknown"
