"""Emission factors for the impact pages: one place, with their public source.

Values are orders of magnitude, not a carbon audit. Only factors taken from a public ADEME
publication are kept; device types without one are counted but not converted to emissions.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import DeviceType

SOURCE_TITLE = _(
    "ADEME, « Évaluation de l'impact environnemental d'un ensemble de produits "
    "reconditionnés » (2022), repris par le guide des bonnes pratiques numérique responsable "
    "de l'État (MiNumEco, « Évaluer les impacts environnementaux évités ») ; données Base "
    "Empreinte® ADEME"
)
SOURCE_URL = "https://librairie.ademe.fr/"
SOURCE_NOTE = _(
    "Ordres de grandeur : émissions évitées en choisissant un appareil reconditionné plutôt "
    "que neuf (54,9 t éq. CO2 pour 1 000 ordinateurs portables, 25,5 t pour 1 000 "
    "smartphones). Le recyclage n'est pas compté comme émission évitée. Les autres types "
    "d'appareils sont comptés sans conversion, faute de facteur publié que nous retenions."
)


@dataclass(frozen=True)
class Factor:
    device_type: str
    kg_co2e_per_reused_device: float | None


FACTORS = {
    DeviceType.LAPTOP: Factor(DeviceType.LAPTOP, 54.9),
    DeviceType.SMARTPHONE: Factor(DeviceType.SMARTPHONE, 25.5),
}


def avoided_kg(device_type: str, reused: int) -> float | None:
    factor = FACTORS.get(device_type)
    if factor is None or factor.kg_co2e_per_reused_device is None:
        return None
    return round(factor.kg_co2e_per_reused_device * reused, 1)


def factor_rows() -> list[dict]:
    return [
        {
            "label": DeviceType(code).label,
            "kg": FACTORS[code].kg_co2e_per_reused_device if code in FACTORS else None,
        }
        for code in DeviceType.values
    ]
