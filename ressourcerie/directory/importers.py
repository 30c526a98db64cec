"""Import files of places in the national standard (v1.x) and its earlier versions.

``import_file(data=bytes, file_name=..., dataset=...)`` reads and checks every row (``parsing``),
then applies the whole file in one transaction, or nothing when the file is malformed. The
report says, row by row, what happened: created, updated, unchanged, merged into a duplicate,
or skipped (why).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ressourcerie.core.models import Commune
from ressourcerie.core.territories import commune_search_name, resolve_commune
from ressourcerie.core.text import fold

from . import geo
from . import vocabulary as v
from .models import Place, PlaceSource
from .parsing import PHONE, ImportRefused, check_columns, normalise, read_rows

__all__ = ["PHONE", "ImportReport", "RowResult", "import_file"]  # PHONE: read by ``exports``

DUPLICATE_DISTANCE_KM = 0.05


@dataclass
class RowResult:
    line: int
    external_id: str
    name: str
    outcome: str  # created | updated | unchanged | merged | skipped | error
    reason: str = ""
    place_id: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return {
            "created": _("créé"),
            "updated": _("mis à jour"),
            "unchanged": _("inchangé"),
            "merged": _("fusionné"),
            "skipped": _("ignoré"),
            "error": _("erreur"),
        }.get(self.outcome, self.outcome)


@dataclass
class ImportReport:
    file_name: str
    dataset: str
    rows: list[RowResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    applied: bool = False
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        result = dict.fromkeys(("created", "updated", "unchanged", "merged", "skipped", "error"), 0)
        for row in self.rows:
            result[row.outcome] += 1
        return result

    def summary(self) -> str:
        c = self.counts
        head = _(
            "%(file)s : %(total)s lignes ; %(created)s créées, %(updated)s mises à jour, "
            "%(unchanged)s inchangées, %(merged)s fusionnées avec un doublon, "
            "%(skipped)s ignorées, %(error)s en erreur."
        ) % {"file": self.file_name, "total": len(self.rows), **c}
        if self.errors:
            head += " " + _("Fichier refusé, rien n'a été modifié.")
        elif self.dry_run:
            head += " " + _("Essai à blanc : rien n'a été enregistré.")
        return head


# --- resolving communes and duplicates ----------------------------------------------------
class CommuneResolver:
    """Commune of (postal code, name), cached: a file names the same communes many times."""

    def __init__(self):
        self._cache: dict[tuple[str, str], Commune | None] = {}

    def __call__(self, postal_code: str, name: str) -> Commune | None:
        key = (postal_code, fold(name))
        if key not in self._cache:
            self._cache[key] = self._resolve(postal_code, name)
        return self._cache[key]

    @staticmethod
    def _resolve(postal_code: str, name: str) -> Commune | None:
        wanted = commune_search_name(name)
        by_code = [
            c
            for c in (resolve_commune(postal_code).communes if postal_code else [])
            if postal_code in c.postal_codes.split()
        ]
        for commune in by_code:
            if commune.search_name == wanted:
                return commune
        if name:
            by_name = resolve_commune(name)
            for commune in by_name.communes:
                if postal_code in commune.postal_codes.split():
                    return commune
            # A postal code off by a digit in the file: trust a name that is unique and in
            # the same department ("Trévoux 01480" is Trévoux, 01600).
            if by_name.exact and (
                not by_code or by_name.commune.department.code == postal_code[:2]
            ):
                return by_name.commune
        # "MARSEILLE 13E ARRONDISSEMENT", "CANNES LA BOCCA": a commune's name then a district.
        for commune in by_code:
            if wanted.startswith(commune.search_name + " "):
                return commune
        # The postal code is the stronger clue: its most populous commune (a quarter's city).
        return by_code[0] if by_code else None


def find_duplicate(*, fields: dict, lat, lon, exclude_ids=()) -> Place | None:
    """Same non-zero pivot and same address, or same folded name within 50 m."""
    pivot = fields["pivot"]
    if pivot and pivot.strip("0"):
        address = fold(fields["address"])
        for place in Place.objects.filter(pivot=pivot, postal_code=fields["postal_code"]):
            if fold(place.address) == address and place.pk not in exclude_ids:
                return place
    if lat is not None:
        name = fold(fields["name"])
        box = geo.bounding_box(lat, lon, DUPLICATE_DISTANCE_KM)
        for place in Place.objects.filter(**box.filter_kwargs()):
            if (
                place.pk not in exclude_ids
                and fold(place.name) == name
                and geo.haversine_km(lat, lon, place.latitude, place.longitude)
                <= DUPLICATE_DISTANCE_KM
            ):
                return place
    return None


def unique_slug(name: str, commune: str, taken: set[str]) -> str:
    base = slugify(f"{name} {commune}")[:200].strip("-") or "lieu"
    slug, n = base, 2
    while slug in taken or Place.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _default_kinds(fields: dict) -> str:
    kinds = [v.ActorKind.MEDIATION]
    typology = v.decode(fields["typology"])
    if "TIERS_LIEUX" in typology:
        kinds.append(v.ActorKind.THIRD_PLACE)
    if v.Service.EQUIPMENT in v.decode(fields["services"]):
        kinds.append(v.ActorKind.REFURBISHER)
    return v.encode(kinds)


# --- applying -----------------------------------------------------------------------------
def import_file(
    *, data: bytes, file_name: str, dataset: str = "", dry_run: bool = False
) -> ImportReport:
    """Import a whole file, or nothing: see the module docstring."""
    dataset = (dataset or Path(file_name).stem)[:200]
    report = ImportReport(file_name=file_name, dataset=dataset, dry_run=dry_run)
    try:
        rows = read_rows(data, file_name)
    except ImportRefused as exc:
        report.errors.append(str(exc))
        return report
    report.errors += check_columns(rows)
    if report.errors:
        return report

    normalised = [normalise(raw) for raw in rows]
    for line, item in enumerate(normalised, start=1):
        if item.errors:
            report.errors.append(
                _("Ligne %(line)s (%(id)s) : %(errors)s")
                % {"line": line, "id": item.external_id or "?", "errors": " ; ".join(item.errors)}
            )
    if report.errors:
        report.rows = [
            RowResult(line, n.external_id, n.fields["name"], "error", " ; ".join(n.errors))
            for line, n in enumerate(normalised, start=1)
            if n.errors
        ]
        return report

    try:
        with transaction.atomic():
            _apply(report, rows, normalised, dataset=dataset, file_name=file_name)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return report
    report.applied = True
    return report


class _DryRun(Exception):
    pass


def _apply(report, rows, normalised, *, dataset, file_name):
    resolve = CommuneResolver()
    seen_ids: set[str] = set()
    taken_slugs: set[str] = set()
    existing = {
        s.external_id: s
        for s in PlaceSource.objects.filter(dataset=dataset).select_related("place")
    }
    for line, (raw, item) in enumerate(zip(rows, normalised, strict=True), start=1):
        result = RowResult(line, item.external_id, item.fields["name"], "", warnings=item.warnings)
        report.rows.append(result)
        if item.skip_reason:
            result.outcome, result.reason = "skipped", item.skip_reason
            continue
        if item.external_id in seen_ids:
            result.outcome = "skipped"
            result.reason = _("identifiant en double dans le fichier")
            continue
        seen_ids.add(item.external_id)
        raw_json = json.loads(json.dumps(raw, ensure_ascii=False, default=str))

        fields = dict(item.fields)
        commune = resolve(fields["postal_code"], fields["commune_name"])
        lat, lon, origin = item.latitude, item.longitude, "source"
        if lat is None and commune is not None:
            lat, lon, origin = commune.latitude, commune.longitude, "commune"
            result.warnings.append(_("coordonnées absentes : centre de la commune utilisé"))
        if lat is None:
            result.outcome = "skipped"
            result.reason = _("coordonnées absentes et commune introuvable (%(cp)s %(c)s)") % {
                "cp": fields["postal_code"],
                "c": fields["commune_name"],
            }
            continue
        if commune is not None and not fields["insee_code"]:
            fields["insee_code"] = commune.insee
        fields.update(commune=commune, latitude=lat, longitude=lon, coordinates_origin=origin)

        source = existing.get(item.external_id)
        if source is not None:
            place = source.place
            result.place_id = place.pk
            if source.raw == raw_json:
                result.outcome = "unchanged"
                continue
            _write(place, fields, overwrite=source.is_primary and place.organisation_id is None)
            source.raw = raw_json
            source.collector = fields["source"]
            source.file_name = file_name
            source.save()
            result.outcome = "updated"
            continue

        duplicate = find_duplicate(fields=fields, lat=lat, lon=lon)
        if duplicate is not None:
            _write(duplicate, fields, overwrite=False)
            PlaceSource.objects.create(
                place=duplicate,
                dataset=dataset,
                external_id=item.external_id,
                collector=fields["source"],
                file_name=file_name,
                raw=raw_json,
            )
            result.outcome, result.place_id = "merged", duplicate.pk
            result.reason = _("doublon de « %(name)s » (n° %(id)s)") % {
                "name": duplicate.name,
                "id": duplicate.pk,
            }
            continue

        place = Place(**fields)
        place.kinds = _default_kinds(fields)
        place.slug = unique_slug(fields["name"], fields["commune_name"], taken_slugs)
        place.save()
        PlaceSource.objects.create(
            place=place,
            dataset=dataset,
            external_id=item.external_id,
            collector=fields["source"],
            file_name=file_name,
            raw=raw_json,
            is_primary=True,
        )
        result.outcome, result.place_id = "created", place.pk


def _write(place: Place, fields: dict, *, overwrite: bool) -> None:
    """Overwrite the fields (primary source), or only fill the blanks (any other source)."""
    changed = False
    for name, value in fields.items():
        current = getattr(place, name)
        if overwrite:
            if current != value:
                setattr(place, name, value)
                changed = True
        elif current in ("", None, []) and value not in ("", None, []):
            setattr(place, name, value)
            changed = True
    if changed:
        place.save()
