"""Hooks into the shared registries (navigation, moderation, search, personal data, the
diagnostic's recommendations). Imported by ``DirectoryConfig.ready()``, once models are loaded."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ressourcerie.core import moderation, navigation, search
from ressourcerie.diagnostic import recommendations

from . import personal_data, selectors, services
from .french import de
from .models import Place, PlaceEdit, PlaceReport


def place_document(place):
    if not place.is_published:
        return None
    keywords = [place.commune_name, place.postal_code]
    for field_name in ("kinds", "services", "association_support"):
        keywords += place.labels(field_name)
    return search.SearchDocumentData(
        title=place.name,
        body=" ".join(filter(None, [place.summary, place.description, place.address])),
        keywords=[str(k) for k in keywords if k],
        url=place.get_absolute_url(),
        filters={"department": place.postal_code[:2], "kind": place.kinds.strip(",")},
    )


def register_all():
    recommendations.register_provider("support", support_near)
    search.register(
        search.SearchableType(
            key="place",
            label=_("Lieux et acteurs"),
            model=Place,
            document=place_document,
            queryset=lambda: Place.objects.filter(is_published=True),
            url=lambda p: p.get_absolute_url(),
            order=30,
            auto_index=True,
        )
    )
    personal_data.register()

    navigation.register_part(
        navigation.Part(
            key="directory",
            label=_("Annuaire et carte des acteurs"),
            url_name="directory:near",
            description=_(
                "Les lieux et acteurs qui accompagnent les associations dans le numérique, "
                "près de chez vous."
            ),
            order=30,
            path_prefix="/acteurs/",
        )
    )
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=_("Mes fiches"),
            url_name="directory:mine",
            description=_(
                "Les lieux que gèrent vos structures : fraîcheur, modifications en attente, "
                "messages des associations."
            ),
            order=35,
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Importer des lieux"),
            url_name="directory:import",
            description=_("Un fichier au standard des lieux de médiation numérique."),
            order=40,
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Fiches à vérifier"),
            url_name="directory:stale",
            description=_("Lieux que personne n'a confirmés depuis plus d'un an."),
            order=41,
        )
    )
    navigation.register_counter("directory:stale", lambda: navigation.pending_in(selectors.stale_places(), "confirmed_at", _("fiches à confirmer")))  # fmt: skip
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Demandes de gestion de fiches"),
            url_name="directory:claims",
            description=_("Structures qui demandent à gérer la fiche de leur lieu."),
            order=42,
        )
    )
    navigation.register_counter("directory:claims", lambda: navigation.pending_in(selectors.pending_claims(), "created_at", _("demandes à décider")))  # fmt: skip
    moderation.register_moderated(
        PlaceEdit,
        label=_("Modification d'une fiche de lieu"),
        detail_url=lambda e: reverse("directory:edit_review", args=[e.pk]),
        summary=_edit_summary,
        on_published=services.apply_place_edit,
        public_url=lambda e: e.place.get_absolute_url(),
    )
    moderation.register_moderated(
        PlaceReport,
        label=_("Erreur signalée sur un lieu"),
        detail_url=lambda r: r.place.get_absolute_url(),
        summary=lambda r: f"{r.place.name} : {r.message[:200]}",
        public_url=lambda r: r.place.get_absolute_url(),
    )


def _edit_summary(edit) -> str:
    labels = [str(Place._meta.get_field(f).verbose_name) for f in edit.changes]
    return f"{edit.place.name} : {', '.join(labels)}"


def support_near(rule, context):
    """Diagnostic provider: actors near the association offering that support to
    associations; failing that, the nearest digital mediation places, saying so."""
    if not context.department_code:
        return []
    origin = selectors.main_commune(context.department_code)
    if origin is None:
        return []
    code = selectors.association_support_code(rule.support_code)
    items = []
    if code:
        items = selectors.near(
            latitude=origin.latitude,
            longitude=origin.longitude,
            filters=selectors.Filters(support=code),
            radius_km=60,
            limit=3,
        )
        note = _("Accompagne les associations sur ce sujet.")
    if not items:
        items = selectors.near(
            latitude=origin.latitude, longitude=origin.longitude, radius_km=30, limit=2
        )
        note = _(
            "Lieu de médiation numérique proche : il n'a pas encore déclaré d'accompagnement "
            "des associations sur ce sujet, demandez-lui conseil."
        )
    return [
        recommendations.Recommendation(
            title=place.name,
            url=place.get_absolute_url(),
            text=f"{place.commune_name} · à {_km(place.distance_km)} km {de(origin.name)}. {note}",
        )
        for place in items
    ]


def _km(distance: float) -> str:
    """Whole kilometres, "moins d'1" under one (a place 300 m away is not "à 0 km")."""
    return f"{distance:.0f}" if distance >= 0.5 else "moins d'1"
