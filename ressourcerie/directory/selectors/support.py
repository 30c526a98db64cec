"""Association support offered by the directory's structures: every support code of a
diagnostic's plan resolved at once, and the structures a support of the fund can be matched to
(split from ``selectors/places.py``; both are read as ``directory.selectors``)."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from ressourcerie.core.models import Commune

from .. import geo
from .. import vocabulary as v
from ..models import Place
from .places import main_commune, published_places


@dataclass(frozen=True)
class NearbyPlace:
    """A place as a recommendation names it: plain values, not a model instance (hundreds
    are read to choose a few)."""

    pk: int
    name: str
    slug: str
    commune_name: str
    distance_km: float

    def get_absolute_url(self) -> str:
        return reverse("directory:place_detail", kwargs={"slug": self.slug})


@dataclass
class SupportNear:
    """What ``support_near_many`` found around a department's main commune (``origin``):
    per support code, the places offering it within the wide radius, nearest first
    (``by_code``, a code absent when none does); and the nearest places of any kind within
    the short radius (``fallback``), for the codes nobody near offers."""

    origin: Commune
    by_code: dict[str, list[NearbyPlace]] = field(default_factory=dict)
    fallback: list[NearbyPlace] = field(default_factory=list)


def support_near_many(
    department_code: str,
    codes,
    *,
    radius_km: float = 60,
    limit: int = 3,
    fallback_km: float = 30,
    fallback_limit: int = 2,
) -> SupportNear | None:
    """Every support code of a diagnostic's plan resolved at once (#14 measure): two queries
    (the main commune, then a few columns of the published places in the box of the wider
    radius), distances and per-code choices in Python — the places ``near`` gives code by
    code (nearest first, ties by number). None when the department has no commune."""
    origin = main_commune(department_code)
    if origin is None:
        return None
    lat, lon = origin.latitude, origin.longitude
    rows = (
        published_places()
        .filter(**geo.bounding_box(lat, lon, max(radius_km, fallback_km)).filter_kwargs())
        .values_list(
            "pk", "name", "slug", "commune_name", "latitude", "longitude", "association_support"
        )
    )
    scored = sorted(
        (geo.haversine_km(lat, lon, plat, plon), pk, name, slug, commune, supports)
        for pk, name, slug, commune, plat, plon, supports in rows
    )
    wanted = {code for code in codes if code in v.AssociationSupport.values}
    result = SupportNear(origin=origin)
    for distance, pk, name, slug, commune, supports in scored:
        if distance > radius_km and distance > fallback_km:
            break
        place = NearbyPlace(pk, name, slug, commune, round(distance, 2))
        if distance <= fallback_km and len(result.fallback) < fallback_limit:
            result.fallback.append(place)
        if distance > radius_km:
            continue
        for code in wanted.intersection(supports.split(",")):
            found = result.by_code.setdefault(code, [])
            if len(found) < limit:
                found.append(place)
    return result


# --- association support offered by the directory's structures (the support fund) ----------
# The diagnostic's rules name a support with dashes, some under an older name.
_SUPPORT_ALIASES = {"comptabilite_gestion": v.AssociationSupport.ACCOUNTING.value}


def association_support_code(rule_code: str) -> str:
    """The directory code (``AssociationSupport``) a diagnostic rule's "support" code names
    ("outils-collaboratifs" → "outils_collaboratifs"), or "" when it names none."""
    code = (rule_code or "").replace("-", "_")
    code = _SUPPORT_ALIASES.get(code, code)
    return code if code in v.AssociationSupport.values else ""


def association_support_label(code: str) -> str:
    """The French name of a directory support code ("rgpd" → "RGPD")."""
    return v.labels(v.AssociationSupport, f",{code},")[0] if code else ""


@dataclass(frozen=True)
class SupportOffer:
    """What one structure offers near a point: its nearest published place offering one of
    the wanted supports, the distance to it, and the wanted supports its places offer."""

    organisation_id: int
    distance_km: float
    codes: frozenset


def association_support_near(
    *, organisation_ids, codes, latitude: float, longitude: float, radius_km: float
) -> dict[int, SupportOffer]:
    """``{organisation_id: SupportOffer}`` for the structures among ``organisation_ids`` with
    a published place within ``radius_km`` offering association support on one of ``codes``
    (one query, the distance computed here)."""
    codes = [code for code in codes if code]
    ids = list(organisation_ids)
    if not codes or not ids:
        return {}
    offers_any = Q()
    for code in codes:
        offers_any |= Q(association_support__contains=f",{code},")
    box = geo.bounding_box(latitude, longitude, radius_km)
    rows = (
        Place.objects.filter(is_published=True, organisation_id__in=ids, **box.filter_kwargs())
        .filter(offers_any)
        .values_list("organisation_id", "latitude", "longitude", "association_support")
    )
    found: dict[int, SupportOffer] = {}
    wanted = set(codes)
    for organisation_id, lat, lon, offered in rows:
        distance = geo.haversine_km(latitude, longitude, lat, lon)
        if distance > radius_km:
            continue
        matched = frozenset(wanted & set(filter(None, offered.split(","))))
        previous = found.get(organisation_id)
        if previous is not None:
            matched |= previous.codes
            distance = min(distance, previous.distance_km)
        found[organisation_id] = SupportOffer(organisation_id, round(distance, 1), matched)
    return found
