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

from . import diagnostic_setups
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
    Page("autodiagnostic", "/autodiagnostic/", setup=diagnostic_setups.questionnaire),
    Page(
        "autodiagnostic : profil",
        "/autodiagnostic/commencer/",
        setup=diagnostic_setups.questionnaire,
    ),
    Page(
        "autodiagnostic : étape",
        lambda d: f"/autodiagnostic/reprendre/{d['token']}/",
        setup=diagnostic_setups.in_progress,
    ),
    Page(
        "autodiagnostic : résultats",
        lambda d: f"/autodiagnostic/reprendre/{d['token']}/",
        setup=diagnostic_setups.completed,
    ),
    Page("autodiagnostic : lien non valide", "/autodiagnostic/reprendre/faux-lien/", status=404),
    Page(
        "gestion de l'autodiagnostic",
        "/gestion/autodiagnostic/",
        user="staff",
        setup=diagnostic_setups.completed,
    ),
    Page(
        "versions de l'autodiagnostic",
        "/gestion/autodiagnostic/versions/",
        user="staff",
        setup=diagnostic_setups.questionnaire,
    ),
    Page("API : autodiagnostic", "/api/v1/documentation/autodiagnostic"),
]
