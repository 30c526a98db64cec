"""THE list of pages the browser suite visits (budgets, axe, screenshots, keyboard, 320 px).

Every part adds its pages here, one line each. An entry gives:
- ``name``: short, unique, used in test ids and screenshot file names;
- ``url``: a path, or a callable taking the dict returned by ``setup`` and returning a path
  (e.g. ``lambda d: f"/associations/{d['organisation'].slug}/"``);
- ``user``: None (anonymous visitor), "user" (a confirmed signed-in user) or "staff";
- ``setup``: optional callable ``setup(user) -> dict`` run in the test database before the
  visit (``user`` is the signed-in user or None) to create what the page shows;
- ``status``: the expected HTTP status of the document (404 page…);
- ``budget``: a ``Budget`` when the page may exceed the defaults (the map: 300 KB).

Examples:
    Page("inscription", "/compte/inscription/"),
    Page("carte des acteurs", "/acteurs/carte/", budget=Budget(max_kb=300)),
    Page("association", lambda d: f"/associations/{d['org'].slug}/", setup=with_organisation),
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .budgets import DEFAULT_BUDGET, Budget


@dataclass(frozen=True)
class Page:
    name: str
    url: str | Callable[[dict], str]
    user: str | None = None
    setup: Callable[..., dict] | None = None
    status: int = 200
    budget: Budget = DEFAULT_BUDGET

    def __str__(self) -> str:
        return self.slug

    @property
    def slug(self) -> str:
        """ASCII form of the name, for test ids and file names."""
        ascii_name = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")

    def path(self, data: dict) -> str:
        return self.url(data) if callable(self.url) else self.url


# --- setups: build what a page shows --------------------------------------------------------
def with_outbox_message(user) -> dict:
    """One e-mail in the development outbox, so the staff page lists something."""
    from django.core.mail import EmailMessage

    from ressourcerie.core.mail import OutboxBackend, outbox_messages

    message = EmailMessage(
        subject="Confirmez votre adresse",
        body="Bonjour,\n\nCliquez sur le lien pour confirmer votre adresse.",
        to=["benevole@example.org"],
    )
    OutboxBackend().send_messages([message])
    return {"message_name": outbox_messages()[0]["name"]}


def with_newsletter(user) -> dict:
    """A confirmed and a pending subscriber, a sent edition and a draft."""
    from django.utils import timezone

    from ressourcerie.newsletter import tokens
    from ressourcerie.newsletter.models import Edition, EditionStatus, Subscriber

    confirmed = Subscriber.objects.create(
        email="lectrice@example.org", status="confirmed", topics=",outils,dons,"
    )
    pending = Subscriber.objects.create(email="attente@example.org", topics=",outils,")
    sent = Edition.objects.create(
        subject="Lettre de mars",
        body="Bonjour,\n\n- un **nouvel** outil\n- [le site](https://example.org)",
        status=EditionStatus.SENT,
        sent_at=timezone.now(),
    )
    draft = Edition.objects.create(subject="Lettre d'avril", body="Brouillon *en cours*.")
    return {
        "sent": sent,
        "draft": draft,
        "confirm": tokens.for_subscriber(tokens.CONFIRM, pending),
        "preferences": tokens.for_subscriber(tokens.PREFERENCES, confirmed),
        "unsubscribe": tokens.for_subscriber(tokens.UNSUBSCRIBE, confirmed),
    }


PAGES: list[Page] = [
    Page("accueil", "/"),
    Page("mentions légales", "/mentions-legales/"),
    Page("confidentialité", "/confidentialite/"),
    Page("accessibilité", "/accessibilite/"),
    Page("plan du site", "/plan-du-site/"),
    Page("page introuvable", "/cette-page-n-existe-pas/", status=404),
    Page("connexion", "/compte/connexion/"),
    Page("connexion par code", "/compte/connexion/code/"),
    Page("inscription", "/compte/inscription/"),
    Page("inscription envoyée", "/compte/inscription/envoyee/"),
    Page("renvoyer la confirmation", "/compte/confirmer/renvoyer/"),
    Page("mot de passe oublié", "/compte/mot-de-passe/oublie/"),
    Page("mot de passe : courriel envoyé", "/compte/mot-de-passe/oublie/envoye/"),
    Page("changer de mot de passe", "/compte/mot-de-passe/modifier/", user="user"),
    Page("jetons d'API", "/compte/jetons/", user="user"),
    Page("supprimer mon compte", "/compte/supprimer/", user="user"),
    Page("mon compte", "/compte/", user="user"),
    Page("gestion", "/gestion/", user="staff"),
    Page("courriels", "/gestion/courriels/", user="staff", setup=with_outbox_message),
    Page(
        "courriel",
        lambda d: f"/gestion/courriels/{d['message_name']}/",
        user="staff",
        setup=with_outbox_message,
    ),
    Page("recherche", "/recherche/?q=association"),
    Page("recherche sans résultat", "/recherche/?q=zzzzzz"),
    Page("synonymes", "/gestion/synonymes/", user="staff"),
    Page("ajouter un synonyme", "/gestion/synonymes/ajouter/", user="staff"),
    Page("documentation de l'API", "/api/v1/"),
    Page("API : organisations", "/api/v1/documentation/organisations"),
    Page("API : territoires", "/api/v1/documentation/territoires"),
    Page("lettre : inscription", "/lettre/"),
    Page("lettre : inscription envoyée", "/lettre/inscription-envoyee/"),
    Page(
        "lettre : confirmer", lambda d: f"/lettre/confirmer/{d['confirm']}/", setup=with_newsletter
    ),
    Page(
        "lettre : préférences",
        lambda d: f"/lettre/preferences/{d['preferences']}/",
        setup=with_newsletter,
    ),
    Page(
        "lettre : désinscription",
        lambda d: f"/lettre/desinscription/{d['unsubscribe']}/",
        setup=with_newsletter,
    ),
    Page("lettre : lien non valable", "/lettre/desinscription/faux/", status=400),
    Page("lettre : désinscription effectuée", "/lettre/desinscription/effectuee/"),
    Page("lettre : mon abonnement", "/lettre/mon-abonnement/", user="user"),
    Page("lettre : archives", "/lettre/archives/", setup=with_newsletter),
    Page(
        "lettre : édition archivée",
        lambda d: f"/lettre/archives/{d['sent'].pk}/",
        setup=with_newsletter,
    ),
    Page("gestion : lettre", "/gestion/lettre/", user="staff", setup=with_newsletter),
    Page("gestion : nouvelle édition", "/gestion/lettre/nouvelle/", user="staff"),
    Page(
        "gestion : édition",
        lambda d: f"/gestion/lettre/{d['draft'].pk}/",
        user="staff",
        setup=with_newsletter,
    ),
    Page("gestion : abonnés", "/gestion/lettre/abonnes/", user="staff", setup=with_newsletter),
]
