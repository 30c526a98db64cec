"""Matching a support (or a cohort) to the actors who could deliver it.

An actor is a candidate when (a) one of its published directory places offers association
support on a theme of the support's plan actions (the diagnostic rule's "support" code of
each action, read through ``diagnostic.selectors.support_codes_of`` and translated by
``directory.selectors.association_support_code``), (b) that place lies within the call's
``support_radius_km`` of the association's commune, (c) it is an active approved provider,
(d) it has days left this quarter for the support's days. A handful of queries whatever the
number of actors: providers (1), places (1), days held (2), rules (1), offers already made
(1), the kept actors (1).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ressourcerie.core.models import Organisation
from ressourcerie.diagnostic import selectors as diagnostic_selectors
from ressourcerie.directory import selectors as directory_selectors

from .. import text
from ..models import Cohort, Support
from . import support as support_selectors


@dataclass(frozen=True)
class Candidate:
    organisation: object
    distance_km: float
    themes: list[str] = field(default_factory=list)  # French names of the matched supports
    days_left: Decimal = Decimal("0")
    why: str = ""
    already_asked: bool = False


def themes_of(action_keys) -> list[str]:
    """The directory support codes of the plan actions, in the actions' order, once each."""
    by_key = diagnostic_selectors.support_codes_of(action_keys)
    codes = []
    for key in action_keys or []:
        code = directory_selectors.association_support_code(by_key.get(key, ""))
        if code and code not in codes:
            codes.append(code)
    return codes


def _origin(organisation):
    commune = getattr(organisation, "commune", None)
    if commune is None or commune.latitude is None or commune.longitude is None:
        return None
    return commune


def _why(*, themes, distance_km, days, commune) -> str:
    return _(
        "Accompagne les associations en %(themes)s, à %(distance)s km de %(commune)s, "
        "%(days)s jours disponibles ce trimestre."
    ) % {
        "themes": ", ".join(themes),
        "distance": f"{distance_km:.0f}".replace(".", ","),
        "commune": commune.name,
        "days": days,
    }


def _match(*, action_keys, organisation, radius_km, days_needed, asked) -> list[Candidate]:
    commune = _origin(organisation)
    if commune is None:
        return []
    codes = themes_of(action_keys)
    if not codes:
        return []
    # Plain rows: the model instances are built only for the few actors kept.
    capacity = dict(
        support_selectors.active_providers().values_list("organisation_id", "days_per_quarter")
    )
    if not capacity:
        return []
    offers = directory_selectors.association_support_near(
        organisation_ids=capacity.keys(),
        codes=codes,
        latitude=commune.latitude,
        longitude=commune.longitude,
        radius_km=radius_km,
    )
    held = support_selectors.days_committed_this_quarter(offers.keys())
    kept = {}
    for organisation_id, offer in offers.items():
        days_left = max(
            capacity[organisation_id] - held.get(organisation_id, Decimal("0")), Decimal("0")
        )
        if days_left >= days_needed and days_left > 0:
            kept[organisation_id] = (offer, days_left)
    organisations = Organisation.objects.in_bulk(list(kept))
    # Hundreds of candidates share a few themes and day counts: each is put in words once.
    labels = {code: directory_selectors.association_support_label(code) for code in codes}
    days_text: dict[Decimal, str] = {}
    result = []
    for organisation_id, (offer, days_left) in kept.items():
        themes = [labels[code] for code in codes if code in offer.codes]
        if days_left not in days_text:
            days_text[days_left] = text.days(days_left)
        result.append(
            Candidate(
                organisation=organisations[organisation_id],
                distance_km=offer.distance_km,
                themes=themes,
                days_left=days_left,
                why=_why(
                    themes=themes,
                    distance_km=offer.distance_km,
                    days=days_text[days_left],
                    commune=commune,
                ),
                already_asked=organisation_id in asked,
            )
        )
    # Most themes covered first, then the nearest, then the freest.
    result.sort(key=lambda c: (-len(c.themes), c.distance_km, -c.days_left, c.organisation.name))
    return result


def candidates(support: Support) -> list[Candidate]:
    """The actors who could deliver this individual support, best first (``already_asked``
    marks those an offer was already sent to, whatever its answer)."""
    application = support.application
    return _match(
        action_keys=support.action_keys,
        organisation=application.organisation,
        radius_km=application.call.support_radius_km,
        days_needed=support.days_granted,
        asked=support_selectors.proposed_actor_ids(support=support),
    )


def cohort_candidates(cohort: Cohort) -> list[Candidate]:
    """The actors for a cohort: near its first member (by name), on the shared actions."""
    first = (
        cohort.supports.select_related("application__organisation__commune")
        .order_by("application__organisation__name")
        .first()
    )
    if first is None:
        return []
    return _match(
        action_keys=cohort.action_keys or first.action_keys,
        organisation=first.application.organisation,
        radius_km=cohort.call.support_radius_km,
        days_needed=cohort.days_planned or Decimal("0"),
        asked=support_selectors.proposed_actor_ids(cohort=cohort),
    )
