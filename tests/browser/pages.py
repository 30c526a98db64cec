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


def with_organisation(user) -> dict:
    """A verified association in Nantes; the signed-in user (if any) is its member."""
    from django.utils import timezone

    from ressourcerie.accounts.models import Membership, Role
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(
        name="Les Amis du Jardin",
        slug="les-amis-du-jardin",
        rna="W442001234",
        sector="environment",
        members_band="11-50",
        description="Jardins partagés et compost de quartier.",
        verified_at=timezone.now(),
    )
    if user is not None and not user.is_staff:
        Membership.objects.create(user=user, organisation=organisation, role=Role.MEMBER)
    return {"organisation": organisation}


def with_pending_correction(user) -> dict:
    """A correction waiting in the moderation queue."""
    from ressourcerie.core import moderation
    from ressourcerie.core.models import OrganisationCorrection
    from tests.factories import UserFactory

    data = with_organisation(None)
    moderation.submit(
        obj=OrganisationCorrection(
            organisation=data["organisation"], message="Le site web a changé d'adresse."
        ),
        by=UserFactory(),
    )
    return data


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
    Page("associations", "/associations/", setup=with_organisation),
    Page("association", "/associations/les-amis-du-jardin/", setup=with_organisation),
    Page("inscrire une association", "/associations/inscrire/", user="user"),
    Page(
        "modifier une association",
        "/associations/les-amis-du-jardin/modifier/",
        user="user",
        setup=with_organisation,
    ),
    Page(
        "inviter un membre",
        "/associations/les-amis-du-jardin/inviter/",
        user="user",
        setup=with_organisation,
    ),
    Page(
        "signaler une erreur",
        "/associations/les-amis-du-jardin/signaler/",
        user="user",
        setup=with_organisation,
    ),
    Page("invitation invalide", "/associations/invitation/pas-un-jeton/", status=404),
    Page("file de modération", "/gestion/moderation/", user="staff", setup=with_pending_correction),
    Page("accès refusé", "/gestion/", user="user", status=403),
    Page("recherche", "/recherche/?q=association"),
    Page("recherche sans résultat", "/recherche/?q=zzzzzz"),
    Page("synonymes", "/gestion/synonymes/", user="staff"),
    Page("ajouter un synonyme", "/gestion/synonymes/ajouter/", user="staff"),
    Page("documentation de l'API", "/api/v1/"),
    Page("API : organisations", "/api/v1/documentation/organisations"),
    Page("API : territoires", "/api/v1/documentation/territoires"),
]
