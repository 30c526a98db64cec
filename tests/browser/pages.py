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

from . import (
    diagnostic_setups,
    fund_applying_setups,
    fund_instruction_setups,
    fund_support_setups,
    fund_support_team_setups,
)
from .budgets import DEFAULT_BUDGET, Budget
from .snapshots import built_once


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
def with_contributions(user) -> dict:
    """A proposed tool sent back with a reason, and a published one, by the signed-in user."""
    from ressourcerie.accounts.models import Membership, Role
    from ressourcerie.core import moderation
    from ressourcerie.core.models import ModerationStatus as S
    from ressourcerie.toolbox.models import Price, Tool

    team = type(user).objects.create_user(email="equipe@example.org", password="x" * 12)
    Membership.objects.create(user=team, organisation=None, role=Role.MODERATOR)
    waiting = moderation.submit(
        obj=Tool(
            name="Carnet libre",
            slug="carnet-libre",
            pitch="Des notes.",
            licence="MIT",
            price=Price.FREE,
        ),
        by=user,
    )
    moderation.transition(
        obj=waiting,
        to_status=S.CHANGES_REQUESTED,
        actor=team,
        reason="Précisez la licence exacte et le site officiel.",
    )
    published = moderation.submit(
        obj=Tool(
            name="Agenda libre",
            slug="agenda-libre",
            pitch="Un agenda.",
            licence="GPL-3.0-only",
            price=Price.FREE,
        ),
        by=user,
    )
    moderation.transition(obj=published, to_status=S.PUBLISHED, actor=team)
    return {"waiting": waiting}


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


def with_invitation(user) -> dict:
    """A valid invitation to the association, sent to an address that is not ``user``'s."""
    from ressourcerie.accounts import invitations
    from ressourcerie.accounts.models import Membership, Role
    from tests.factories import UserFactory

    organisation = with_organisation(None)["organisation"]
    inviter = UserFactory(email="awa@example.org")
    Membership.objects.create(user=inviter, organisation=organisation, role=Role.MEMBER)
    _invitation, token = invitations.invite_member(
        organisation=organisation, inviter=inviter, email="camille@example.org"
    )
    return {"token": token}


def with_pending_organisation_change(user) -> dict:
    """The user's verified association, with a rename waiting for the team."""
    from ressourcerie.core.organisations import services

    data = with_organisation(user)
    services.propose_organisation_change(
        organisation=data["organisation"], actor=user, changes={"name": "Les Amis du Jardin (44)"}
    )
    return data


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


@built_once
def with_catalogue(user) -> dict:
    """The shipped tool catalogue (180 tools, 12 guides), indexed for search (built once per
    run: see snapshots.py)."""
    from django.core.management import call_command

    call_command("import_tools", quiet_rows=True, verbosity=0)
    return {}


def with_guide(user) -> dict:
    from ressourcerie.toolbox.models import Guide

    with_catalogue(user)
    return {"guide_url": Guide.objects.order_by("slug").first().get_absolute_url()}


# --- directory (annuaire et carte des acteurs) ---------------------------------------------
@built_once
def with_directory(user) -> dict:
    """Angoulême in the gazetteer and the 188 real places of Charente (2023), built once per
    run (snapshots.py)."""
    from pathlib import Path

    from ressourcerie.directory.importers import import_file
    from ressourcerie.directory.models import Place
    from tests.factories import CommuneFactory, DepartmentFactory

    department = DepartmentFactory(code="16", name="Charente")
    CommuneFactory(
        insee="16015",
        name="Angoulême",
        search_name="angouleme",
        department=department,
        postal_codes="16000",
        population=41000,
        latitude=45.6484,
        longitude=0.1562,
    )
    path = (
        Path(__file__).resolve().parent.parent
        / "fixtures/mediation-numerique/2023-07-11-charente-nouvelle-aquitaine.json"
    )
    import_file(data=path.read_bytes(), file_name=path.name)
    place = Place.objects.exclude(opening_hours="").order_by("pk").first()
    return {"place": place}


@built_once
def with_many_places(user) -> dict:
    """20,000 places over France (#19's national scale): the map's first load and its first
    GeoJSON answer stay within the page budget whatever the number of places
    (built once per run: snapshots.py)."""
    import random

    from ressourcerie.directory.models import Place

    rng = random.Random(3)
    Place.objects.bulk_create(
        Place(
            slug=f"lieu-{i}",
            name=f"Espace numérique {i}",
            commune_name="Commune",
            postal_code="16000",
            address="1 rue",
            latitude=rng.uniform(43, 50.5),
            longitude=rng.uniform(-1.5, 7),
        )
        for i in range(20000)
    )
    return {}


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


def with_donations(user, role="refurbisher") -> dict:
    """A 5-laptop offer taken through the whole journey, plus one lot still proposed. The
    signed-in user (if any, not staff) is the refurbisher, or the association's member."""
    from ressourcerie.accounts.models import Membership, Role
    from ressourcerie.donations import services
    from ressourcerie.donations.models import LotStatus
    from tests.donations.factories import (
        make_association_member,
        make_offer,
        make_refurbisher,
        make_request,
    )
    from tests.factories import CommuneFactory

    commune = CommuneFactory()
    org, refurbisher = make_refurbisher()
    association, member = make_association_member()
    for person, organisation, wanted in ((user, org, "refurbisher"), (user, association, "member")):
        if person is not None and not person.is_staff and role == wanted:
            kind = Role.REFURBISHER if wanted == "refurbisher" else Role.MEMBER
            Membership.objects.create(user=person, organisation=organisation, role=kind)
    offer, secret = make_offer(commune, email="don@entreprise.example")
    lot = offer.lots.get()
    steps = [
        (LotStatus.ACCEPTED, {"refurbisher": org}),
        (LotStatus.COLLECTED, {}),
        (LotStatus.ERASED, {"erasure_method": "nwipe", "erasure_certificate": "CERT-1"}),
        (LotStatus.REFURBISHED, {"reused": 4, "recycled": 1}),
    ]
    for status, extra in steps:
        services.transition_lot(lot=lot, to_status=status, actor=refurbisher, **extra)
    request_obj = make_request(association, member)
    make_request(association, member, quantity=2)
    waiting, waiting_secret = make_offer(commune, email="autre@entreprise.example")
    allocation = services.allocate(lot=lot, request_obj=request_obj, quantity=4, actor=refurbisher)
    services.confirm_receipt(allocation=allocation, actor=member)
    return {
        "offer": offer,
        "secret": secret,
        "lot": lot,
        "request": request_obj,
        "waiting": waiting,
        "waiting_secret": waiting_secret,
    }


def with_donations_member(user) -> dict:
    return with_donations(user, role="member")


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


def with_place_to_claim(user) -> dict:
    """A Charente place publishing an e-mail address (claims by code)."""
    data = with_directory(user)
    place = data["place"]
    place.emails = ["accueil@exemple-lieu.fr"]
    place.save()
    return data


def with_claim_code(user) -> dict:
    """The signed-in user asked for a code to claim the place."""
    from ressourcerie.directory import services

    data = with_place_to_claim(user)
    services.start_code_claim(place=data["place"], user=user, email="accueil@exemple-lieu.fr")
    return data


def with_editor(user) -> dict:
    """The signed-in user edits the support structure that manages the place."""
    from ressourcerie.accounts.models import Membership, Role
    from ressourcerie.core.models import OrganisationKind
    from tests.factories import OrganisationFactory

    data = with_place_to_claim(user)
    structure = OrganisationFactory(
        kind=OrganisationKind.SUPPORT_STRUCTURE, name="Centre social", slug="centre-social"
    )
    Membership.objects.create(user=user, organisation=structure, role=Role.EDITOR)
    data["place"].organisation = structure
    data["place"].save()
    return data


def with_association_and_place(user) -> dict:
    """The signed-in user is a member of an association; the place publishes an e-mail."""
    return {**with_place_to_claim(user), **with_organisation(user)}


def with_place_without_email(user) -> dict:
    data = {**with_directory(user), **with_organisation(user)}
    data["place"].emails = []
    data["place"].save()
    return data


def with_reminder_link(user) -> dict:
    from ressourcerie.directory import services

    data = with_directory(user)
    return {**data, "token": services.reminder_token(data["place"])}


def with_claim_request(user) -> dict:
    """A pending request to the team to manage a place."""
    from ressourcerie.directory import services
    from tests.factories import UserFactory

    data = with_directory(user)
    services.request_staff_claim(
        place=data["place"],
        user=UserFactory(display_name="Claire Martin"),
        message="Je coordonne l'espace numérique ; appelez l'accueil pour vérifier.",
    )
    return data


def with_pending_edit(user) -> dict:
    """An edit proposed by an editor, waiting for moderation."""
    from ressourcerie.directory import services
    from tests.factories import UserFactory

    editor = UserFactory()
    data = with_editor(editor)
    edit = services.propose_place_edit(
        place=data["place"],
        user=editor,
        data={
            "opening_hours": "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
            "association_support": ",site_web,rgpd,",
            "summary": "Accompagnement au numérique pour tous et pour les associations.",
        },
    )
    return {**data, "edit": edit}


def with_fund_calls(user) -> dict:
    """Support fund: an open call (grid, priorities, documents), an upcoming and a closed one;
    the signed-in user is a member of an eligible association with a recent diagnostic."""
    from ressourcerie.fund.models import CallStatus, RequestedDocument
    from tests.fund.call_factories import (
        association,
        completed_diagnostic,
        make_call,
        small_village,
    )

    call = make_call(checklist=["Nous avons lu le règlement."])
    RequestedDocument.objects.create(call=call, label="Statuts", help_text="La dernière version")
    make_call(title="Appel de l'an dernier", slug="an-dernier", status=CallStatus.CLOSED)
    if user is not None and not user.is_staff:
        organisation = association(small_village(), name="Les Amis d'Adon")
        completed_diagnostic(organisation)
        from ressourcerie.accounts.models import Membership, Role

        Membership.objects.create(user=user, organisation=organisation, role=Role.MEMBER)
    return {"call": call}


# #19 item 4: the toolbox pages reached EcoIndex 85 first (the compare page listed every tool
# in a select and scored 83.7; it takes typed names now); 85 is now every page's floor.
TOOLBOX = DEFAULT_BUDGET


def with_agenda_event(user) -> dict:
    """A published two-session workshop of Charente with one registration (the agenda)."""
    from ressourcerie.agenda import services
    from tests.agenda.factories import make_event
    from tests.factories import UserFactory

    event = make_event()
    services.register(event=event, user=UserFactory(email="participante@asso.example"))
    if user is not None and not user.is_staff:
        services.register(event=event, user=user)
    return {"event": event}


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
    Page("mes contributions : vide", "/compte/contributions/", user="user"),
    Page("mes contributions", "/compte/contributions/", user="user", setup=with_contributions),
    Page(
        "retirer une proposition",
        lambda d: f"/compte/contributions/toolbox.tool/{d['waiting'].pk}/retirer/",
        user="user",
        setup=with_contributions,
    ),
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
    Page(
        "invitation reçue",
        lambda d: f"/associations/invitation/{d['token']}/",
        setup=with_invitation,
    ),
    Page(
        "invitation pour une autre adresse",
        lambda d: f"/associations/invitation/{d['token']}/",
        user="user",
        setup=with_invitation,
        status=403,
    ),
    Page(
        "inscription depuis une invitation",
        lambda d: f"/compte/inscription/invitation/{d['token']}/",
        setup=with_invitation,
    ),
    Page(
        "association avec un changement en attente",
        "/associations/les-amis-du-jardin/",
        user="user",
        setup=with_pending_organisation_change,
    ),
    Page("file de modération", "/gestion/moderation/", user="staff", setup=with_pending_correction),
    Page("accès refusé", "/gestion/", user="user", status=403),
    Page("boîte à outils", "/outils/", setup=with_catalogue, budget=TOOLBOX),
    Page(
        "outils : recherche",
        "/outils/?q=alternative+%C3%A0+zoom",
        setup=with_catalogue,
        budget=TOOLBOX,
    ),
    Page(
        "outils : sans résultat",
        "/outils/?q=zzzzqqq&libre=on",
        setup=with_catalogue,
        budget=TOOLBOX,
    ),
    Page("outil", "/outils/nextcloud/", setup=with_catalogue, budget=TOOLBOX),
    Page("outil à remplacer", "/outils/zoom/", setup=with_catalogue, budget=TOOLBOX),
    Page("besoin", "/outils/besoins/communiquer/", setup=with_catalogue, budget=TOOLBOX),
    Page(
        "par où commencer",
        "/outils/par-ou-commencer/?need=visioconference",
        setup=with_catalogue,
        budget=TOOLBOX,
    ),
    Page(
        "comparer",
        "/outils/comparer/?outils=nextcloud&outils=cryptpad&outils=google-drive",
        setup=with_catalogue,
        budget=TOOLBOX,
    ),
    Page("guides", "/outils/guides/", setup=with_catalogue, budget=TOOLBOX),
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
        budget=TOOLBOX,
    ),
    Page(
        "proposer un outil", "/outils/proposer/", user="user", setup=with_catalogue, budget=TOOLBOX
    ),
    Page(
        "corriger un outil",
        "/outils/nextcloud/corriger/",
        user="user",
        setup=with_catalogue,
        budget=TOOLBOX,
    ),
    Page(
        "outils à vérifier",
        "/outils/gestion/a-verifier/",
        user="staff",
        setup=with_catalogue,
        budget=TOOLBOX,
    ),
    Page("recherche d'outils sur le site", "/recherche/?q=visio", setup=with_catalogue),
    Page("recherche", "/recherche/?q=association"),
    Page("recherche sans résultat", "/recherche/?q=zzzzzz"),
    Page("synonymes", "/gestion/synonymes/", user="staff"),
    Page("ajouter un synonyme", "/gestion/synonymes/ajouter/", user="staff"),
    Page("documentation de l'API", "/api/v1/"),
    Page("API : organisations", "/api/v1/documentation/organisations"),
    Page("API : territoires", "/api/v1/documentation/territoires"),
    Page("annuaire des acteurs", "/acteurs/"),
    Page("acteurs près de 16000", "/acteurs/?q=16000", setup=with_directory),
    Page("acteurs : commune inconnue", "/acteurs/?q=Angoulemme", setup=with_directory),
    Page("fiche d'un lieu", lambda d: d["place"].get_absolute_url(), setup=with_directory),
    Page(
        "signaler une erreur sur un lieu",
        lambda d: f"{d['place'].get_absolute_url()}signaler/",
        setup=with_directory,
    ),
    Page("carte des acteurs", "/acteurs/carte/", setup=with_directory, budget=Budget(max_kb=300)),
    Page(
        "carte de 20 000 acteurs",
        "/acteurs/carte/",
        setup=with_many_places,
        budget=Budget(max_kb=300),
    ),
    Page("importer des lieux", "/acteurs/gestion/import/", user="staff"),
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
    Page(
        "gestion : envoyer la lettre",
        lambda d: f"/gestion/lettre/{d['draft'].pk}/envoyer/",
        user="staff",
        setup=with_newsletter,
    ),
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
        "autodiagnostic : mes diagnostics",
        "/autodiagnostic/mes-diagnostics/",
        user="user",
        setup=diagnostic_setups.mine,
    ),
    Page(
        "autodiagnostic : mes diagnostics, résultats",
        lambda d: f"/autodiagnostic/mes-diagnostics/{d['response'].pk}/",
        user="user",
        setup=diagnostic_setups.mine,
    ),
    Page(
        "autodiagnostic : mon plan d'action",
        "/autodiagnostic/mon-plan/",
        user="user",
        setup=diagnostic_setups.my_plan,
    ),
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
    Page("dons : accueil", "/dons/"),
    Page("dons : donner", "/dons/donner/"),
    Page("dons : offre envoyée", "/dons/donner/envoyee/?type=company"),
    Page("dons : où déposer", "/dons/deposer/"),
    Page("dons : impact", "/dons/impact/", setup=with_donations),
    Page(
        "dons : confirmer",
        lambda d: f"/dons/confirmer/{d['waiting_secret']}/",
        setup=with_donations,
    ),
    Page("dons : suivi", lambda d: f"/dons/suivi/{d['secret']}/", setup=with_donations),
    Page(
        "dons : attestation",
        lambda d: f"/dons/suivi/{d['secret']}/attestation/",
        setup=with_donations,
    ),
    Page("dons : atelier", "/dons/atelier/", user="user", setup=with_donations),
    Page(
        "dons : offre (atelier)",
        lambda d: f"/dons/atelier/offres/{d['waiting'].pk}/",
        user="user",
        setup=with_donations,
    ),
    Page(
        "dons : lot (atelier)",
        lambda d: f"/dons/atelier/lots/{d['lot'].pk}/",
        user="user",
        setup=with_donations,
    ),
    Page(
        "dons : demande",
        lambda d: f"/dons/demandes/{d['request'].pk}/",
        user="user",
        setup=with_donations_member,
    ),
    Page("dons : demander", "/dons/demande/", user="user", setup=with_donations_member),
    Page("dons : mes demandes", "/dons/mes-demandes/", user="user", setup=with_donations_member),
    Page("gestion : dons", "/dons/gestion/", user="staff", setup=with_donations),
    # #18 item 5: the donor's page before acceptance, changing and withdrawing the offer.
    Page(
        "dons : suivi avant acceptation",
        lambda d: f"/dons/suivi/{d['waiting_secret']}/",
        setup=with_donations,
    ),
    Page(
        "dons : modifier mon offre",
        lambda d: f"/dons/suivi/{d['waiting_secret']}/modifier/",
        setup=with_donations,
    ),
    Page(
        "dons : retirer mon offre",
        lambda d: f"/dons/suivi/{d['waiting_secret']}/retirer/",
        setup=with_donations,
    ),
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
    Page(
        "gérer une fiche",
        lambda d: f"{d['place'].get_absolute_url()}gerer/",
        user="user",
        setup=with_place_to_claim,
    ),
    Page(
        "code pour gérer une fiche",
        lambda d: f"{d['place'].get_absolute_url()}gerer/code/",
        user="user",
        setup=with_claim_code,
    ),
    Page(
        "modifier une fiche",
        lambda d: f"{d['place'].get_absolute_url()}modifier/",
        user="user",
        setup=with_editor,
    ),
    Page(
        "fiche gérée (vue de l'éditeur)",
        lambda d: d["place"].get_absolute_url(),
        user="user",
        setup=with_editor,
    ),
    Page(
        "écrire à un lieu",
        lambda d: f"{d['place'].get_absolute_url()}ecrire/",
        user="user",
        setup=with_association_and_place,
    ),
    Page(
        "écrire à un lieu sans courriel",
        lambda d: f"{d['place'].get_absolute_url()}ecrire/",
        user="user",
        setup=with_place_without_email,
    ),
    Page(
        "confirmer qu'une fiche est à jour",
        lambda d: f"/acteurs/confirmer/{d['token']}/",
        setup=with_reminder_link,
    ),
    Page("lien de confirmation invalide", "/acteurs/confirmer/pas-un-jeton/", status=400),
    Page("fiches à vérifier", "/acteurs/gestion/a-verifier/", user="staff", setup=with_directory),
    Page(
        "demandes de gestion de fiches",
        "/acteurs/gestion/demandes/",
        user="staff",
        setup=with_claim_request,
    ),
    Page(
        "modification de fiche proposée",
        lambda d: f"/acteurs/gestion/modifications/{d['edit'].pk}/",
        user="staff",
        setup=with_pending_edit,
    ),
    Page("fonds : appels", "/fonds/", setup=with_fund_calls),
    Page("fonds : aucun appel", "/fonds/"),
    Page("fonds : un appel", lambda d: d["call"].get_absolute_url(), setup=with_fund_calls),
    Page(
        "fonds : un appel, mon association",
        lambda d: d["call"].get_absolute_url(),
        user="user",
        setup=with_fund_calls,
    ),
    Page(
        "gestion : appels du fonds", "/fonds/gestion/appels/", user="staff", setup=with_fund_calls
    ),
    Page("gestion : nouvel appel", "/fonds/gestion/appels/nouveau/", user="staff"),
    Page(
        "gestion : un appel du fonds",
        lambda d: f"/fonds/gestion/appels/{d['call'].slug}/",
        user="staff",
        setup=with_fund_calls,
    ),
    # --- fund: the association's side (applying) ---
    Page(
        "dossier au fonds à compléter",
        lambda d: f"/fonds/dossiers/{d['application'].reference}/modifier/",
        user="user",
        setup=fund_applying_setups.draft,
    ),
    Page(
        "dossier au fonds déposé",
        lambda d: d["application"].get_absolute_url(),
        user="user",
        setup=fund_applying_setups.deposited,
    ),
    Page(
        "mes dossiers au fonds",
        "/fonds/mes-dossiers/",
        user="user",
        setup=fund_applying_setups.mine,
    ),
    Page(
        "dossiers du fonds (équipe)",
        "/fonds/gestion/dossiers/",
        user="staff",
        setup=fund_instruction_setups.with_fund_instruction,
    ),
    Page(
        "instruction d'un dossier du fonds",
        lambda d: f"/fonds/instruction/{d['application'].reference}/",
        user="staff",
        setup=fund_instruction_setups.with_fund_instruction,
    ),
    Page(
        "comité d'un appel du fonds",
        lambda d: f"/fonds/gestion/appels/{d['call'].slug}/comite/",
        user="staff",
        setup=fund_instruction_setups.with_fund_instruction,
    ),
    Page("agenda", "/agenda/", setup=with_agenda_event),
    Page("agenda : un événement", lambda d: f"/agenda/{d['event'].pk}/", setup=with_agenda_event),
    Page(
        "agenda : mes inscriptions",
        "/agenda/mes-inscriptions/",
        user="user",
        setup=with_agenda_event,
    ),
    Page("agenda : nouvel événement", "/agenda/nouveau/", user="staff"),
    Page(
        "agenda : inscrits et présences",
        lambda d: f"/agenda/{d['event'].pk}/inscrits/",
        user="staff",
        setup=with_agenda_event,
    ),
    Page("agenda : à modérer", "/agenda/gestion/", user="staff"),
]


# --- issue 18: journeys without dead ends (accounts and core) --------------------------------
def with_association_to_verify(user) -> dict:
    """An association waiting for the team's check, with a confirmed member; the signed-in
    user (if not staff) is that member."""
    from ressourcerie.accounts.models import Membership, Role
    from tests.factories import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(
        name="Épicerie solidaire du Marais",
        slug="epicerie-solidaire-du-marais",
        rna="W852003456",
        website="https://epicerie.example.org",
    )
    member = user if user is not None and not user.is_staff else UserFactory()
    Membership.objects.create(user=member, organisation=organisation, role=Role.MEMBER)
    return {"organisation": organisation}


def with_tool_to_review(user) -> dict:
    """A tool proposed by someone else, waiting in the moderation queue."""
    from ressourcerie.core import moderation
    from ressourcerie.toolbox.models import Price, Tool
    from tests.factories import UserFactory

    tool = moderation.submit(
        obj=Tool(
            name="Carnet libre",
            slug="carnet-libre",
            pitch="Des notes partagées par toute l'équipe.",
            description="Un carnet de notes **libre**, hébergé en France.",
            licence="MIT",
            price=Price.FREE,
            website="https://carnet.example.org",
        ),
        by=UserFactory(),
    )
    return {"tool": tool}


PAGES += [
    Page("contact", "/contact/"),
    Page("demande d'ordinateurs : sans association", "/dons/demande/", user="user", status=403),
    Page(
        "demande d'ordinateurs : association en attente",
        "/dons/demande/",
        user="user",
        setup=with_association_to_verify,
        status=403,
    ),
    Page("gestion : refus à une personne sans rôle", "/gestion/", user="user", status=403),
    Page(
        "associations à vérifier",
        "/gestion/associations/",
        user="staff",
        setup=with_association_to_verify,
    ),
    Page(
        "lire une proposition",
        lambda d: f"/gestion/moderation/toolbox.tool/{d['tool'].pk}/lire/",
        user="staff",
        setup=with_tool_to_review,
    ),
    Page(
        "modifier et renvoyer une proposition",
        lambda d: f"/compte/contributions/toolbox.tool/{d['waiting'].pk}/modifier/",
        user="user",
        setup=with_contributions,
    ),
]


# --- directory: journeys without dead ends (#18) -------------------------------------------
def with_editor_own_pending_edit(user) -> dict:
    """The signed-in editor proposed an edit of their place; the team has not read it."""
    from ressourcerie.directory import services

    data = with_editor(user)
    services.propose_place_edit(
        place=data["place"], user=user, data={"opening_hours": "Mo-Fr 09:00-12:30; PH off"}
    )
    return data


def with_homonyms(user) -> dict:
    """Two Saint-Denis, neither in the instance's region: the search asks which one."""
    from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory

    for insee, code, department, region, postal in (
        ("93066", "93", "Seine-Saint-Denis", ("11", "Île-de-France"), "93200"),
        ("97411", "974", "La Réunion", ("04", "La Réunion"), "97400"),
    ):
        CommuneFactory(
            insee=insee,
            name="Saint-Denis",
            search_name="st denis",
            postal_codes=postal,
            department=DepartmentFactory(
                code=code, name=department, region=RegionFactory(code=region[0], name=region[1])
            ),
        )
    return {}


PAGES += [
    Page("mes fiches", "/acteurs/mes-fiches/", user="user", setup=with_editor_own_pending_edit),
    Page(
        "fiche avec modification en attente",
        lambda d: d["place"].get_absolute_url(),
        user="user",
        setup=with_editor_own_pending_edit,
    ),
    Page("acteurs : commune ambiguë", "/acteurs/?q=Saint-Denis", setup=with_homonyms),
    Page(
        "acteurs : filtres sans résultat",
        "/acteurs/?q=16000&type=fablab&gratuit=on&ouvert=on",
        setup=with_directory,
    ),
]


# #17 agenda: registration per session, reserved events, printable attendance sheet.
def with_agenda_series(user) -> dict:
    """A series registering per session (one session full, a waiting list) and an event
    reserved to an association the signed-in user (if not staff) is a member of."""
    from ressourcerie.accounts.models import Role
    from ressourcerie.agenda import services
    from ressourcerie.agenda.models import AttendanceMode, Kind
    from tests.agenda.factories import at, make_event, make_structure
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    structure, editor, place = make_structure()
    event = make_event(structure=structure, place=place, capacity=1, per_session=True)
    first = event.sessions.order_by("starts_at").first()
    for email in ("une@asso.example", "deux@asso.example"):
        services.register(event=event, user=UserFactory(email=email), session=first)
    cohort = OrganisationFactory(kind="association", name="Les Jardins partagés")
    if user is not None and not user.is_staff:
        MembershipFactory(user=user, organisation=cohort, role=Role.MEMBER)
    reserved = services.create_reserved_event(
        organiser=structure,
        title="Promotion 2027 : atelier collectif",
        kind=Kind.WORKSHOP,
        sessions=[(at(12), at(12, 17))],
        organisation_ids=[cohort.pk],
        actor=editor,
        attendance_mode=AttendanceMode.IN_PERSON,
        place_id=place.pk,
        capacity=10,
    )
    return {"event": event, "reserved": reserved}


PAGES += [
    Page(
        "agenda : série par séance",
        lambda d: f"/agenda/{d['event'].pk}/",
        user="user",
        setup=with_agenda_series,
    ),
    Page(
        "agenda : feuille d'émargement",
        lambda d: f"/agenda/{d['event'].pk}/emargement/",
        user="staff",
        setup=with_agenda_series,
    ),
    Page(
        "agenda : événement réservé",
        lambda d: f"/agenda/{d['reserved'].pk}/",
        user="user",
        setup=with_agenda_series,
    ),
    Page(
        "agenda : événement réservé, refusé",
        lambda d: f"/agenda/{d['reserved'].pk}/",
        setup=with_agenda_series,
        status=403,
    ),
]


# --- agenda: plan actions, invitations, events where they belong (#17 items 1, 3, 7, 8, 9) ---
def with_plan_events(user) -> dict:
    """« Mon plan d'action » at its fullest: three upcoming events (two online, one in the
    association's commune) serving every kept action, and one attended by the user on behalf
    of the association."""
    from ressourcerie.agenda import services
    from ressourcerie.agenda.models import Attendance, AttendanceMode
    from ressourcerie.diagnostic import selectors
    from tests.agenda.factories import make_event, make_structure

    data = diagnostic_setups.my_plan(user)
    organisation = data["response"].organisation
    keys = [action.key for action in selectors.association_plan(organisation)]
    structure, _editor, place = make_structure()
    near = make_event(
        structure=structure,
        place=None,
        address="2 rue de la Mairie",
        commune=organisation.commune,
        title="Atelier au coin de la rue",
        plan_actions=keys,
    )
    for title in ("Webinaire pour commencer", "Formation en ligne, pas à pas"):
        make_event(
            structure=structure,
            place=None,
            attendance_mode=AttendanceMode.ONLINE,
            online_url="https://visio.example/salle",
            title=title,
            plan_actions=keys,
        )
    registration = services.register(event=near, user=user, organisation=organisation)
    services.set_attendance(
        event=near, actor=near.created_by, marks={registration.pk: Attendance.PRESENT}
    )
    return data


def with_event_to_invite(user) -> dict:
    """A published workshop serving two actions of the diagnostic, one invitation round sent."""
    from ressourcerie.agenda.models import InvitationRound
    from tests.agenda.factories import make_event

    diagnostic_setups.questionnaire()
    event = make_event(plan_actions=["referent-numerique", "pas-de-site"])
    InvitationRound.objects.create(event=event, department_code="16", associations=3, recipients=4)
    return {"event": event}


def with_events_on_need_and_guide(user) -> dict:
    """A structure, a need and a guide about it, with upcoming events on that need."""
    from ressourcerie.core.models import ModerationStatus
    from ressourcerie.toolbox.models import Guide, Need
    from tests.agenda.factories import make_event, make_structure

    need = Need.objects.create(slug="sauvegarder", name="Sauvegarder ses données")
    guide = Guide.objects.create(
        slug="sauvegarder-ses-fichiers",
        title="Sauvegarder ses fichiers",
        summary="Trois copies, deux supports, une hors les murs.",
        body="## Pourquoi\n\nUn disque finit toujours par lâcher.",
        moderation_status=ModerationStatus.PUBLISHED,
    )
    guide.needs.add(need)
    structure, _editor, place = make_structure()
    for title in ("Atelier sauvegardes", "Sauvegarder son association, pas à pas"):
        make_event(structure=structure, place=place, title=title, themes=",sauvegarder,")
    return {"need": need, "guide": guide, "structure": structure}


# The pages these lists join stay at the EcoIndex aimed at (#19).
AT_85 = Budget(min_ecoindex=85)

PAGES += [
    Page(
        "autodiagnostic : mon plan avec des événements",
        "/autodiagnostic/mon-plan/",
        user="user",
        setup=with_plan_events,
        budget=AT_85,
    ),
    Page(
        "agenda : nouvel événement, actions du plan",
        "/agenda/nouveau/",
        user="staff",
        setup=diagnostic_setups.questionnaire,
    ),
    Page(
        "agenda : filtre par action du plan",
        "/agenda/?action=referent-numerique",
        setup=with_event_to_invite,
    ),
    Page(
        "agenda : inviter les associations",
        lambda d: f"/agenda/{d['event'].pk}/inviter/",
        user="staff",
        setup=with_event_to_invite,
        budget=AT_85,
    ),
    Page(
        "boîte à outils : besoin avec événements",
        lambda d: d["need"].get_absolute_url(),
        setup=with_events_on_need_and_guide,
        budget=AT_85,
    ),
    Page(
        "guide avec événements",
        lambda d: d["guide"].get_absolute_url(),
        setup=with_events_on_need_and_guide,
        budget=AT_85,
    ),
    Page(
        "structure avec événements",
        lambda d: d["structure"].get_absolute_url(),
        setup=with_events_on_need_and_guide,
        budget=AT_85,
    ),
]


# --- issue 16 (fund part 2, support-a): the support's pages -------------------------------
PAGES += [
    Page(
        "fonds : accompagnement (association)",
        lambda d: f"/fonds/dossiers/{d['reference']}/accompagnement/",
        user="user",
        setup=fund_support_setups.with_support,
    ),
    Page(
        "fonds : mes accompagnements",
        "/fonds/mes-accompagnements/",
        user="user",
        setup=fund_support_setups.with_support,
    ),
    Page("fonds : mes accompagnements (vide)", "/fonds/mes-accompagnements/", user="user"),
    Page(
        "fonds : accompagnement (acteur)",
        lambda d: f"/fonds/mes-accompagnements/{d['reference']}/",
        user="user",
        setup=fund_support_setups.with_support,
    ),
    Page(
        "fonds : proposition d'accompagnement",
        lambda d: f"/fonds/proposition/{d['token']}/",
        user="user",
        setup=fund_support_setups.with_offer,
    ),
    Page(
        "fonds : accompagnements (équipe)",
        "/fonds/gestion/accompagnements/",
        user="staff",
        setup=fund_support_setups.with_support,
    ),
    Page(
        "fonds : un accompagnement (équipe)",
        lambda d: f"/fonds/gestion/accompagnements/{d['reference']}/",
        user="staff",
        setup=fund_support_setups.with_support,
    ),
    Page(
        "fonds : prestataires agréés",
        "/fonds/gestion/prestataires/",
        user="staff",
        setup=fund_support_setups.with_support,
    ),
    Page("fonds : ajouter un prestataire", "/fonds/gestion/prestataires/ajouter/", user="staff"),
]


# --- fund part 2 (#16): the team's cohorts and dashboard -------------------------------------
PAGES += [
    Page(
        "gestion : groupes d'un appel du fonds",
        lambda d: f"/fonds/gestion/appels/{d['call'].slug}/groupes/",
        user="staff",
        setup=fund_support_team_setups.suggestions,
    ),
    Page(
        "gestion : un groupe du fonds",
        lambda d: f"/fonds/gestion/appels/{d['call'].slug}/groupes/{d['cohort'].pk}/",
        user="staff",
        setup=fund_support_team_setups.cohort,
    ),
    Page(
        "gestion : tableau de bord du fonds",
        "/fonds/gestion/tableau-de-bord/",
        user="staff",
        setup=fund_support_team_setups.dashboard,
    ),
]


# --- fund part 2 (#16 item 3): a cohort's collective sessions (agenda events) --------------
PAGES += [
    Page(
        "fonds : séances collectives d'un groupe",
        lambda d: f"/fonds/mes-accompagnements/groupes/{d['cohort'].pk}/seances/",
        user="staff",
        setup=fund_support_team_setups.assigned_cohort,
    ),
    Page(
        "fonds : un groupe suivi par son acteur",
        lambda d: f"/fonds/mes-accompagnements/groupes/{d['cohort'].pk}/",
        user="user",
        setup=fund_support_team_setups.cohort_followed,
    ),
]
