"""Load regions, departments and communes from the shipped gazetteer in data/.

Communes of overseas collectivities (975-989) have no department here and are skipped.

Idempotent: rows are created or updated by INSEE code; a second run changes nothing.
"""

import csv
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from ressourcerie.core.models import Commune, Department, Region
from ressourcerie.core.territories import commune_search_name

DATA_DIR = Path(settings.BASE_DIR) / "data"
COMMUNE_FIELDS = [
    "name",
    "search_name",
    "department_id",
    "postal_codes",
    "population",
    "latitude",
    "longitude",
    "coordinate_source",
]


def _rows(name: str):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


class Command(BaseCommand):
    help = "Charge les régions, départements et communes livrés dans data/."

    @transaction.atomic
    def handle(self, *args, **options):
        regions = {}
        for row in _rows("regions.csv"):
            region, _created = Region.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"]}
            )
            regions[region.code] = region
        departments = {}
        for row in _rows("departements.csv"):
            department, _created = Department.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "region": regions[row["region_code"]]},
            )
            departments[department.code] = department

        existing = {c.insee: c for c in Commune.objects.all()}
        to_create, to_update, skipped = [], [], []
        for row in _rows("communes.csv"):
            department = departments.get(row["department_code"])
            if department is None or not row["latitude"]:
                skipped.append(f"{row['insee']} {row['name']}")
                continue
            values = {
                "name": row["name"],
                "search_name": commune_search_name(row["name"]),
                "department_id": department.pk,
                "postal_codes": row["postal_codes"],
                "population": int(row["population"]) if row["population"] else None,
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
                "coordinate_source": row["coord_source"],
            }
            commune = existing.get(row["insee"])
            if commune is None:
                to_create.append(Commune(insee=row["insee"], **values))
            elif any(getattr(commune, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(commune, key, value)
                to_update.append(commune)
        Commune.objects.bulk_create(to_create, batch_size=2000)
        Commune.objects.bulk_update(to_update, COMMUNE_FIELDS, batch_size=500)
        self.stdout.write(
            f"{len(regions)} régions, {len(departments)} départements ; communes : "
            f"{len(to_create)} créées, {len(to_update)} mises à jour, "
            f"{len(existing) - len(to_update)} inchangées, {len(skipped)} ignorées"
            + (f" (hors départements : {', '.join(skipped[:5])}…)" if skipped else "")
        )
