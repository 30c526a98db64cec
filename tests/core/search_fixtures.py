"""A small, realistic French corpus for the search tests (tools, places, a guide)."""

import pytest

from ressourcerie.core import search
from ressourcerie.core.models import Region, SearchSynonym

# (type, id, title, keywords, body, filters)
CORPUS = [
    (
        "tool",
        1,
        "Nextcloud",
        "cloud, fichiers, agenda",
        "Stockage et partage de fichiers, agendas et contacts, hébergé par un membre des CHATONS. "
        "Alternative libre à Google Drive.",
        {"need": ["partager-fichiers"]},
    ),
    (
        "tool",
        2,
        "LibreOffice",
        "bureautique, tableur, traitement de texte",
        "Suite bureautique libre : traitement de texte, feuille de calcul et présentations.",
        {"need": ["bureautique"]},
    ),
    (
        "tool",
        3,
        "Jitsi Meet",
        "visioconférence",
        "Visioconférence libre dans le navigateur, sans compte ni installation.",
        {"need": ["se-reunir"]},
    ),
    (
        "tool",
        4,
        "BigBlueButton",
        "classe virtuelle",
        "Classe virtuelle pour des formations à distance : tableau blanc, partage d'écran, salles.",
        {"need": ["se-reunir", "former"]},
    ),
    (
        "tool",
        5,
        "Paheko",
        "gestion d'association, adhérents",
        "Gestion des adhérents, des cotisations et de la comptabilité en partie double, "
        "pensée pour les petites structures.",
        {"need": ["comptabilite", "adherents"]},
    ),
    (
        "tool",
        6,
        "Dolibarr",
        "ERP, factures",
        "Devis, factures, stocks et suivi des comptabilités de plusieurs activités.",
        {"need": ["comptabilite"]},
    ),
    (
        "tool",
        7,
        "Framadate",
        "sondage, rendez-vous",
        "Planifier un rendez-vous ou prendre une décision collective, sans inscription.",
        {"need": ["se-reunir"]},
    ),
    (
        "tool",
        8,
        "HelloAsso",
        "adhésions, billetterie",
        "Billetterie, adhésions et dons en ligne, gratuits pour toute association.",
        {"need": ["collecter-dons"]},
    ),
    (
        "tool",
        9,
        "Mobilizon",
        "événements, groupes",
        "Publier des événements et animer des groupes, fédéré et sans publicité.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        10,
        "Framaforms",
        "formulaire, questionnaire",
        "Créer des formulaires en ligne et analyser les réponses.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        11,
        "Thunderbird",
        "courriel, messagerie",
        "Lire ses courriels, gérer plusieurs boîtes et un carnet d'adresses.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        12,
        "Zourit",
        "espace de travail",
        "Espace numérique d'association basé sur Nextcloud, avec messagerie et visio.",
        {"need": ["partager-fichiers"]},
    ),
    (
        "tool",
        13,
        "KeePassXC",
        "sécurité, mots de passe",
        "Gestionnaire de mots de passe chiffré, à partager entre bénévoles.",
        {"need": ["securite"]},
    ),
    (
        "tool",
        14,
        "Scribus",
        "mise en page, PAO",
        "Mettre en page des affiches, des bulletins et des plaquettes.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        15,
        "GIMP",
        "image, photo",
        "Retoucher des photos et préparer des visuels pour les réseaux.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        16,
        "Inkscape",
        "dessin vectoriel, logo",
        "Dessiner un logo ou une illustration en vectoriel.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        17,
        "Audacity",
        "audio, podcast",
        "Enregistrer et monter du son, par exemple un podcast associatif.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        18,
        "Kdenlive",
        "vidéo, montage",
        "Monter des vidéos de vos événements et ajouter des sous-titres.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        19,
        "uMap",
        "carte, OpenStreetMap",
        "Créer des cartes personnalisées sur fond OpenStreetMap.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        20,
        "PeerTube",
        "vidéo, hébergement",
        "Héberger et diffuser des vidéos sans plateforme commerciale.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        21,
        "Mastodon",
        "réseau social",
        "Réseau social décentralisé, sans publicité ni pistage.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        22,
        "WordPress",
        "site web",
        "Créer le site web de l'association et publier des actualités.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        23,
        "Grist",
        "base de données",
        "Tableur et base de données collaboratifs pour suivre bénévoles et projets.",
        {"need": ["bureautique"]},
    ),
    (
        "tool",
        24,
        "Element",
        "messagerie instantanée",
        "Messagerie d'équipe chiffrée, salons par projet.",
        {"need": ["communiquer"]},
    ),
    (
        "tool",
        25,
        "Framacalc",
        "tableur en ligne",
        "Feuille de calcul collaborative en ligne, sans compte.",
        {"need": ["bureautique"]},
    ),
    (
        "place",
        26,
        "Maison des associations de Nantes",
        "accompagnement, Nantes",
        "Accompagnement des associations, prêt de salles et permanence compta chaque mardi.",
        {"department": "44"},
    ),
    (
        "place",
        27,
        "Fablab Le Bazar",
        "réparation, Angers",
        "Réparer un ordinateur, découvrir l'impression 3D, ateliers tableur pour débutants.",
        {"department": "49"},
    ),
    (
        "place",
        28,
        "Ressourcerie informatique de Saint-Nazaire",
        "réemploi, Saint-Nazaire",
        "Ordinateurs reconditionnés pour les associations et les familles.",
        {"department": "44"},
    ),
    (
        "place",
        29,
        "Tiers-lieu La Fabrique",
        "salle, La Roche-sur-Yon",
        "Salle de réunion équipée pour la visio, café associatif.",
        {"department": "85"},
    ),
    (
        "guide",
        30,
        "Réussir ses réunions en ligne",
        "animation, distance",
        "Conseils pour animer une réunion à distance : choisir l'outil, tenir le temps, "
        "faire participer chacun.",
        {},
    ),
]

LABELS = {"tool": "Outils", "place": "Lieux", "guide": "Guides"}


def _type(key):
    return search.SearchableType(
        key=key,
        label=LABELS[key],
        model=Region,  # not used: the corpus is written with index_document
        document=lambda obj: None,
        queryset=Region.objects.none,
    )


@pytest.fixture
def corpus(db):
    # Real parts register "tool", "guide"…: stand in for them, then put them back.
    previous = {key: search.get(key) for key in LABELS}
    for key in LABELS:
        search.register(_type(key))
    SearchSynonym.objects.create(term="visio", synonyms="visioconférence, réunion en ligne")
    SearchSynonym.objects.create(term="compta", synonyms="comptabilité")
    SearchSynonym.objects.create(term="tableur", synonyms="feuille de calcul")
    for key, pk, title, keywords, body, filters in CORPUS:
        search.index_document(
            key,
            pk,
            search.SearchDocumentData(
                title=title, keywords=keywords, body=body, url=f"/{key}/{pk}/", filters=filters
            ),
        )
    yield CORPUS
    for key, searchable in previous.items():
        search.unregister(key)
        if searchable is not None:
            search.register(searchable)


def titles(results):
    return [hit.title for hit in results.items]
