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


def with_catalogue(user) -> dict:
    """The shipped tool catalogue (180 tools, 12 guides), indexed for search."""
    from django.core.management import call_command

    call_command("import_tools", quiet_rows=True, verbosity=0)
    return {}


def with_testimonial(user) -> dict:
    """A published testimonial (Google Drive → Nextcloud, helped by a PANA, open to contact);
    the signed-in user (if any, not staff) is its author and a member of the association."""
    from tests.testimonials.factories import (
        StoryFactory,
        SupportStructureFactory,
        ToolFactory,
        link,
    )

    data = with_organisation(user)
    drive = ToolFactory(slug="google-drive", name="Google Drive", licence="LicenseRef-proprietary")
    nextcloud = ToolFactory(slug="nextcloud", name="Nextcloud")
    actor = SupportStructureFactory(name="PANA Loire-Atlantique", slug="pana-loire-atlantique")
    story = StoryFactory(
        organisation=data["organisation"],
        submitted_by=user if user is not None and not user.is_staff else None,
        title="Du Google Drive éparpillé à Nextcloud",
        problem="Nos **documents** étaient dans cinq comptes personnels.",
        actions="- Un espace Nextcloud chez un hébergeur associatif\n- Deux ateliers",
        results="Tout est au même endroit.",
        advice="Migrez équipe par équipe.",
        cost_note="0 €",
        time_spent="3 mois",
        video_url="https://video.example.org/w/abc",
        contact_opt_in=True,
        is_example=True,
    )
    link(story, drive, role="before")
    link(story, nextcloud)
    story.actors.add(actor)
    return {**data, "testimonial": story}


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
    Page("boîte à outils", "/outils/", setup=with_catalogue),
    Page("outils : recherche", "/outils/?q=alternative+%C3%A0+zoom", setup=with_catalogue),
    Page("outils : sans résultat", "/outils/?q=zzzzqqq&libre=on", setup=with_catalogue),
    Page("outil", "/outils/nextcloud/", setup=with_catalogue),
    Page("outil à remplacer", "/outils/zoom/", setup=with_catalogue),
    Page("besoin", "/outils/besoins/communiquer/", setup=with_catalogue),
    Page(
        "par où commencer", "/outils/par-ou-commencer/?need=visioconference", setup=with_catalogue
    ),
    Page(
        "comparer",
        "/outils/comparer/?outils=nextcloud&outils=cryptpad&outils=google-drive",
        setup=with_catalogue,
    ),
    Page("guides", "/outils/guides/", setup=with_catalogue),
    Page(
        "guide",
        lambda d: d["guide_url"],
        setup=lambda user: {
            **with_catalogue(user),
            "guide_url": __import__("ressourcerie.toolbox.models", fromlist=["Guide"])
            .Guide.objects.order_by("slug")
            .first()
            .get_absolute_url(),
        },
    ),
    Page("proposer un outil", "/outils/proposer/", user="user", setup=with_catalogue),
    Page("corriger un outil", "/outils/nextcloud/corriger/", user="user", setup=with_catalogue),
    Page("outils à vérifier", "/outils/gestion/a-verifier/", user="staff", setup=with_catalogue),
    Page("recherche d'outils sur le site", "/recherche/?q=visio", setup=with_catalogue),
    Page("recherche", "/recherche/?q=association"),
    Page("recherche sans résultat", "/recherche/?q=zzzzzz"),
    Page("synonymes", "/gestion/synonymes/", user="staff"),
    Page("ajouter un synonyme", "/gestion/synonymes/ajouter/", user="staff"),
    Page("documentation de l'API", "/api/v1/"),
    Page("API : organisations", "/api/v1/documentation/organisations"),
    Page("API : territoires", "/api/v1/documentation/territoires"),
    Page("témoignages", "/temoignages/", setup=with_testimonial),
    Page("témoignages : recherche", "/temoignages/?q=nextcloud", setup=with_testimonial),
    Page(
        "témoignages : filtres", "/temoignages/?secteur=culture&taille=1-10", setup=with_testimonial
    ),
    Page("témoignage", lambda d: d["testimonial"].get_absolute_url(), setup=with_testimonial),
    Page(
        "témoignage : auteur et contact",
        lambda d: d["testimonial"].get_absolute_url(),
        user="user",
        setup=with_testimonial,
    ),
    Page("raconter une expérience", "/temoignages/raconter/", user="user", setup=with_testimonial),
    Page("raconter sans association", "/temoignages/raconter/", user="user", status=403),
    Page(
        "modifier un témoignage",
        lambda d: f"{d['testimonial'].get_absolute_url()}modifier/",
        user="user",
        setup=with_testimonial,
    ),
    Page(
        "images d'un témoignage",
        lambda d: f"{d['testimonial'].get_absolute_url()}images/",
        user="user",
        setup=with_testimonial,
    ),
    Page(
        "retirer un témoignage",
        lambda d: f"{d['testimonial'].get_absolute_url()}retirer/",
        user="user",
        setup=with_testimonial,
    ),
    Page("mes témoignages", "/temoignages/mes-temoignages/", user="user", setup=with_testimonial),
    Page("outil avec témoignages", "/outils/nextcloud/", setup=with_testimonial),
    Page(
        "structure avec témoignages", "/associations/pana-loire-atlantique/", setup=with_testimonial
    ),
    Page("API : témoignages", "/api/v1/documentation/temoignages"),
]
