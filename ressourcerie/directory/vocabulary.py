"""Controlled vocabularies: the enumerations of schema v1.0.1 and our own additions.

Each multi-valued field is stored as a code list ``",code1,code2,"`` so that filtering is a
plain ``__contains=",code,"`` on both SQLite and PostgreSQL. Codes are short, stable ASCII;
labels are the exact strings of the national standard (exported as is).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.TextChoices):
    ADMIN = "demarches", "Aide aux démarches administratives"
    EVERYDAY = "outils_quotidien", "Maîtrise des outils numériques du quotidien"
    JOBS = "insertion_pro", "Insertion professionnelle via le numérique"
    SECURITY = "securite", "Utilisation sécurisée du numérique"
    PARENTING = "parentalite", "Parentalité et éducation avec le numérique"
    LEISURE = "loisirs", "Loisirs et créations numériques"
    UNDERSTANDING = "comprehension", "Compréhension du monde numérique"
    ACCESS = "acces_materiel", "Accès internet et matériel informatique"
    EQUIPMENT = "materiel_solidaire", "Acquisition de matériel informatique à prix solidaire"


class Public(models.TextChoices):
    YOUTH = "jeunes", "Jeunes"
    STUDENTS = "etudiants", "Étudiants"
    FAMILIES = "familles", "Familles et/ou enfants"
    SENIORS = "seniors", "Seniors"
    WOMEN = "femmes", "Femmes"


class SpecificSupport(models.TextChoices):
    DEAF = "surdite", "Surdité"
    MOTOR = "handicap_moteur", "Handicaps moteurs"
    MENTAL = "handicap_mental", "Handicaps mentaux"
    ILLITERACY = "illettrisme", "Illettrisme"
    ENGLISH = "langue_anglais", "Langues étrangères (anglais)"
    OTHER_LANGUAGES = "langue_autres", "Langues étrangères (autres)"
    VISUAL = "deficience_visuelle", "Déficience visuelle"


class Fee(models.TextChoices):
    FREE = "gratuit", "Gratuit"
    FREE_UNDER_CONDITION = "gratuit_condition", "Gratuit sous condition"
    PAID = "payant", "Payant"


class NationalProgramme(models.TextChoices):
    AIDANTS_CONNECT = "aidants_connect", "Aidants Connect"
    BNR = "bnr", "Bibliothèques numérique de référence"
    PIX = "pix", "Certification PIX"
    CNFS = "conseillers_numeriques", "Conseillers numériques"
    EMMAUS = "emmaus_connect", "Emmaüs Connect"
    FRANCE_SERVICES = "france_services", "France Services"
    GEN = "gen", "Grande école du numérique"
    RED_CROSS = "croix_rouge", "La Croix Rouge"
    CAF = "caf", "Point d'accès numérique CAF"
    PROMENEURS = "promeneurs", "Promeneurs du net"
    RELAIS = "relais_emmaus", "Relais numérique (Emmaüs Connect)"


class TrainingLabel(models.TextChoices):
    MES = "mon_espace_sante", "Formé à « Mon Espace Santé »"
    DUPLEX = "duplex", "Formé à « DUPLEX » (illettrisme)"
    ARNIA = "arnia", "Arnia/MedNum BFC (Bourgogne-Franche-Comté)"
    CRAR = "crar", "Collectif ressources et acteurs réemploi (Normandie)"
    FABRIQUES = "fabriques_territoire", "Fabriques de Territoire"
    ECLAIREURS = "eclaireurs", "Les Éclaireurs du numérique (Drôme)"
    MES_PAPIERS = "mes_papiers", "Mes Papiers (Métropole de Lyon)"
    ORDI3 = "ordi3", "ORDI 3.0"
    SUDLABS = "sud_labs", "SUD LABS (PACA)"


class AccessMode(models.TextChoices):
    WALK_IN = "se_presenter", "Se présenter"
    PHONE = "telephoner", "Téléphoner"
    MAIL = "mail", "Contacter par mail"
    ONLINE = "rdv_en_ligne", "Prendre un RDV en ligne"
    NO_PUBLIC = "pas_de_public", "Ce lieu n'accueille pas de public"
    PRESCRIPTION = "prescription", "Envoyer un mail avec une fiche de prescription"


class SupportMode(models.TextChoices):
    AUTONOMY = "autonomie", "En autonomie"
    INDIVIDUAL = "individuel", "Accompagnement individuel"
    WORKSHOP = "atelier", "Dans un atelier collectif"
    REMOTE = "distance", "À distance"


class Roaming(models.TextChoices):
    ROAMING = "itinerant", "Itinérant"
    FIXED = "fixe", "Fixe"


# --- What associations need and the standard lacks ---------------------------------------
class ActorKind(models.TextChoices):
    PANA = "pana", _("Point d'appui au numérique associatif (PANA)")
    GUIDASSO = "guidasso", _("Guid'Asso")
    MEDIATION = "mediation", _("Lieu de médiation numérique")
    THIRD_PLACE = "tiers_lieu", _("Tiers-lieu")
    FABLAB = "fablab", _("Fablab")
    TRAINING = "formation", _("Organisme de formation")
    FREE_HOST = "hebergeur_libre", _("Hébergeur de services libres")
    REFURBISHER = "reconditionneur", _("Reconditionneur")
    COLLECTION = "collecte", _("Point de collecte de matériel")
    NETWORK = "reseau", _("Réseau associatif")
    EXPERT = "expert", _("Expert")


class GuidassoLevel(models.IntegerChoices):
    INFORMATION = 1, _("Niveau 1 : accueil et information")
    ORIENTATION = 2, _("Niveau 2 : orientation et premier accompagnement")
    EXPERTISE = 3, _("Niveau 3 : accompagnement expert")


class AssociationSupport(models.TextChoices):
    WEBSITE = "site_web", _("Site web")
    GDPR = "rgpd", _("RGPD")
    ACCOUNTING = "comptabilite", _("Comptabilité et gestion")
    COLLABORATION = "outils_collaboratifs", _("Outils collaboratifs")
    SECURITY = "securite", _("Sécurité")
    FUNDING = "financement", _("Financement")
    VOLUNTEERS = "formation_benevoles", _("Formation des bénévoles")
    EQUIPMENT = "materiel", _("Matériel")


class Equipment(models.TextChoices):
    """Equipment a refurbisher or a collection point accepts (used by the donations part)."""

    LAPTOP = "portable", _("Ordinateur portable")
    DESKTOP = "fixe", _("Ordinateur fixe")
    SCREEN = "ecran", _("Écran")
    SMARTPHONE = "smartphone", _("Smartphone")
    TABLET = "tablette", _("Tablette")
    PRINTER = "imprimante", _("Imprimante")
    PERIPHERALS = "peripheriques", _("Périphériques")


# Schema field -> vocabulary, for every enumerated multi-value field of the standard.
SCHEMA_ENUMS = {
    "services": Service,
    "publics_specifiquement_adresses": Public,
    "prise_en_charge_specifique": SpecificSupport,
    "frais_a_charge": Fee,
    "dispositif_programmes_nationaux": NationalProgramme,
    "formations_labels": TrainingLabel,
    "modalites_acces": AccessMode,
    "modalites_accompagnement": SupportMode,
    "itinerance": Roaming,
}


def encode(codes) -> str:
    """``["a", "b"]`` -> ``",a,b,"`` (empty list -> ``""``), order kept, duplicates dropped."""
    seen = list(dict.fromkeys(c for c in codes if c))
    return f",{','.join(seen)}," if seen else ""


def decode(stored: str) -> list[str]:
    return [c for c in (stored or "").split(",") if c]


def labels(choices, stored: str) -> list[str]:
    known = dict(choices.choices)
    return [str(known.get(code, code)) for code in decode(stored)]
