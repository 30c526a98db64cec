"""The one way an API operation takes a position: ``lat``, ``lon`` and ``radius_km``.

Finite numbers only (``inf`` and ``nan`` parse as floats, then break distance formulas),
latitude in [-90, 90], longitude in [-180, 180], radius in (0, 1000] km. A value outside is a
400 ``validation_error`` with a French message under the parameter's name; the bounds are
published in the OpenAPI document. Half a position (``lat`` without ``lon``) fits the
document, which cannot say that two parameters go together: it is a 422 naming the missing
one::

    def list_things(request, lat: geo.Latitude = None, lon: geo.Longitude = None,
                    radius_km: geo.RadiusKm = None):
        geo.require_pair(lat, lon)
"""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Query
from pydantic import BeforeValidator

from .errors import FieldErrors

MAX_RADIUS_KM = 1000

# An empty value (``?lat=``, as an HTML form sends it) means "not given".
EmptyIsNone = BeforeValidator(lambda value: None if value in ("", None) else value)

Latitude = Annotated[
    float | None,
    EmptyIsNone,
    Query(
        None,
        ge=-90,
        le=90,
        allow_inf_nan=False,
        description="Latitude en degrés décimaux (WGS 84), de -90 à 90 ; avec `lon`.",
    ),
]
Longitude = Annotated[
    float | None,
    EmptyIsNone,
    Query(
        None,
        ge=-180,
        le=180,
        allow_inf_nan=False,
        description="Longitude en degrés décimaux (WGS 84), de -180 à 180 ; avec `lat`.",
    ),
]
RadiusKm = Annotated[
    float | None,
    EmptyIsNone,
    Query(
        None,
        gt=0,
        le=MAX_RADIUS_KM,
        allow_inf_nan=False,
        description=f"Rayon de recherche en kilomètres (plus de 0, {MAX_RADIUS_KM} au plus).",
    ),
]


def require_pair(lat: float | None, lon: float | None) -> None:
    """A position is both coordinates or none: half of one is a 422 naming the missing one."""
    if lat is not None and lon is None:
        message = _("Donnez aussi la longitude (lon) avec la latitude.")
        raise FieldErrors({"lon": [message]}, status=422)
    if lon is not None and lat is None:
        message = _("Donnez aussi la latitude (lat) avec la longitude.")
        raise FieldErrors({"lat": [message]}, status=422)
