"""The transparent grid: each criterion shown with a one-line justification, and a readable
summary ("Libre · Données en UE · Gratuit pour les associations"). No black-box score."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import DataLocation, Difficulty, Hosting, Platform, Price, Tool
from .selectors import EU_LOCATIONS, FREE_PRICES


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    value: str
    justification: str
    # "good", "neutral" or "warning": drives a tag colour, always doubled by the words.
    tone: str = "neutral"


def licence_criterion(tool: Tool) -> Criterion:
    if tool.is_free_software:
        return Criterion(
            "licence",
            _("Licence"),
            _("Logiciel libre (%(licence)s)") % {"licence": tool.licence},
            _(
                "Le code est public : chacun peut l'utiliser, l'étudier, l'installer "
                "ailleurs et l'améliorer. Vous ne dépendez pas d'une seule entreprise."
            ),
            "good",
        )
    return Criterion(
        "licence",
        _("Licence"),
        _("Propriétaire"),
        _(
            "Le code appartient à l'éditeur : il décide seul des prix, des fonctions et de "
            "l'avenir du service."
        ),
        "warning",
    )


def criteria(tool: Tool) -> list[Criterion]:
    price = Price(tool.price).label
    result = [
        licence_criterion(tool),
        Criterion(
            "price",
            _("Prix pour une association"),
            str(price),
            tool.price_note
            or (
                _("Aucun coût pour une association.")
                if tool.price in FREE_PRICES
                else _("Vérifiez les conditions auprès de l'éditeur.")
            ),
            "good" if tool.price in FREE_PRICES else "neutral",
        ),
        Criterion(
            "hosting",
            _("Hébergement"),
            ", ".join(str(Hosting(h).label) for h in tool.hosting_list if h in Hosting.values)
            or _("Non renseigné"),
            _(
                "Plusieurs hébergeurs possibles : vous pouvez changer de prestataire sans "
                "changer d'outil."
            )
            if len(tool.hosting_list) > 1 or "auto-hebergeable" in tool.hosting_list
            else _("Un seul fournisseur : vos données et vos habitudes dépendent de lui."),
            "good" if "hebergeur-ethique" in tool.hosting_list else "neutral",
        ),
        Criterion(
            "data_location",
            _("Localisation des données"),
            str(DataLocation(tool.data_location).label),
            tool.rgpd_note
            or (
                _("Le RGPD s'applique pleinement.")
                if tool.data_location in EU_LOCATIONS
                else _("Hors de l'UE, vos données peuvent être soumises à des lois étrangères.")
                if tool.data_location == DataLocation.OUTSIDE_EU
                else _("Nous n'avons pas pu vérifier où sont stockées les données.")
            ),
            "good"
            if tool.data_location in EU_LOCATIONS
            else ("warning" if tool.data_location == DataLocation.OUTSIDE_EU else "neutral"),
        ),
        Criterion(
            "difficulty",
            _("Prise en main"),
            str(Difficulty(tool.difficulty).label),
            {
                "debutant": _("Utilisable sans connaissance technique particulière."),
                "intermediaire": _("Demande un peu de pratique ou une courte formation."),
                "avance": _("Demande des compétences techniques (installation, serveur…)."),
            }[tool.difficulty],
        ),
        Criterion(
            "accessibility",
            _("Accessibilité"),
            _("Renseignée") if tool.accessibility_note else _("Non vérifiée"),
            tool.accessibility_note
            or _("Nous n'avons pas encore d'information fiable sur son accessibilité."),
        ),
        Criterion(
            "sobriety",
            _("Sobriété"),
            _("Renseignée") if tool.sobriety_note else _("Non vérifiée"),
            tool.sobriety_note or _("Pas encore d'information sur sa sobriété numérique."),
        ),
        Criterion(
            "platforms",
            _("Plateformes"),
            ", ".join(str(Platform(p).label) for p in tool.platform_list if p in Platform.values)
            or _("Non renseigné"),
            _("Là où l'outil fonctionne."),
        ),
    ]
    return result


def summary(tool: Tool) -> list[str]:
    """Three or four words a volunteer reads at a glance."""
    parts = [_("Libre") if tool.is_free_software else _("Propriétaire")]
    if tool.data_location == DataLocation.FRANCE:
        parts.append(_("Données en France"))
    elif tool.data_location == DataLocation.EU:
        parts.append(_("Hébergé en UE"))
    elif tool.data_location == DataLocation.LOCAL:
        parts.append(_("Données sur votre appareil"))
    elif tool.data_location == DataLocation.OUTSIDE_EU:
        parts.append(_("Hébergé hors UE"))
    if tool.price == Price.FREE:
        parts.append(_("Gratuit"))
    elif tool.price == Price.FREE_FOR_ASSOCIATIONS:
        parts.append(_("Gratuit pour les associations"))
    elif tool.price == Price.FREEMIUM:
        parts.append(_("Gratuit avec options payantes"))
    elif tool.price == Price.DISCOUNTED:
        parts.append(_("Tarif réduit associations"))
    else:
        parts.append(_("Payant"))
    return parts
