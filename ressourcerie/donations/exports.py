"""Open data: the impact figures by department and device type, as CSV (etalab-2.0).

One row per (department, device type) with at least one device reused or recycled; national
figures are the sum of the rows. Schema in docs/opendata/donations.md."""

import csv
import io

from django.db.models import Q, Sum

from ressourcerie.core import opendata
from ressourcerie.core.csvcells import safe_cell

from . import impact
from .models import DeviceType, Lot, LotStatus

FIELDS = [
    "departement_code",
    "departement",
    "type_appareil",
    "type_appareil_libelle",
    "appareils_reemployes",
    "appareils_recycles",
    "facteur_kg_co2e_par_appareil",
    "kg_co2e_evites",
]
LICENCE = opendata.LICENCE
REUSED_STATUSES = [LotStatus.REFURBISHED, LotStatus.ALLOCATED, LotStatus.DELIVERED]


def impact_rows() -> list[dict]:
    grouped = (
        Lot.objects.values(
            "offer__commune__department__code",
            "offer__commune__department__name",
            "device_type",
        )
        .annotate(
            reused=Sum("reused_count", filter=Q(status__in=REUSED_STATUSES)),
            recycled=Sum("recycled_count"),
        )
        .order_by("offer__commune__department__code", "device_type")
    )
    rows = []
    for group in grouped:
        reused, recycled = group["reused"] or 0, group["recycled"] or 0
        if not reused and not recycled:
            continue
        code = group["device_type"]
        factor = impact.FACTORS.get(code)
        kg = impact.avoided_kg(code, reused)
        rows.append(
            {
                "departement_code": group["offer__commune__department__code"] or "",
                "departement": group["offer__commune__department__name"] or "",
                "type_appareil": code,
                "type_appareil_libelle": str(DeviceType(code).label),
                "appareils_reemployes": reused,
                "appareils_recycles": recycled,
                "facteur_kg_co2e_par_appareil": (
                    factor.kg_co2e_per_reused_device if factor is not None else ""
                ),
                "kg_co2e_evites": kg if kg is not None else "",
            }
        )
    return rows


def impact_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for row in impact_rows():
        writer.writerow([safe_cell(row[name]) for name in FIELDS])
    return buffer.getvalue()


__all__ = ["FIELDS", "LICENCE", "impact_csv", "impact_rows"]
