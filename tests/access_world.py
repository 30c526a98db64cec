"""One small world for the access matrix and the query-string fuzzer.

Every object that a URL names belongs to *someone else*: the "owner", who is none of the
roles the tests sign in as. Its association, support structure, place, workshop, donation
request, testimonial, diagnostic, API token… are in Loire-Atlantique (44); the refurbisher
role works in Paris (75), in another area. Secret links are given tokens nobody was sent:
what a stranger holds is a guess, not the link.
"""

import io
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from ressourcerie.accounts import services as account_services
from ressourcerie.accounts.models import Membership, Role, User
from ressourcerie.core.models import (
    ModerationStatus,
    Organisation,
    OrganisationCorrection,
    OrganisationKind,
    SearchSynonym,
)
from tests.access_world_fund import fund_objects, support_objects
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory, UserFactory

# The identities every URL is requested as. "staff" is a Django staff account (superuser):
# the only one the Django admin lets in.
ROLES = (
    "anonymous",
    "signed_in",
    "member_other",
    "editor_other",
    "refurbisher_other_area",
    "reviewer",
    "moderator",
    "administrator",
    "staff",
)

# A token of the right shape that was never issued.
UNKNOWN_TOKEN = "jamais-envoye-0123456789abcdefghijklmnopqrstuv"


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> User (None for anonymous)
    api_tokens: dict = field(default_factory=dict)  # role -> raw Bearer token
    objects: dict = field(default_factory=dict)  # name -> object
    private_values: list = field(default_factory=list)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _organisation(name, slug, kind, commune):
    return Organisation.objects.create(
        kind=kind,
        name=name,
        slug=slug,
        commune=commune,
        verified_at=timezone.now(),
        public_email=f"contact@{slug}.example",
    )


def _member(user, organisation, role):
    Membership.objects.create(user=user, organisation=organisation, role=role)


def build_world() -> World:
    from ressourcerie.diagnostic import engine
    from ressourcerie.diagnostic import services as diagnostic_services
    from ressourcerie.directory.models import Place, PlaceClaim, PlaceEdit
    from ressourcerie.donations.models import Allocation, Lot, LotStatus
    from ressourcerie.newsletter.models import Edition, EditionStatus
    from ressourcerie.testimonials.models import Testimonial, TestimonialImage
    from ressourcerie.toolbox.models import Guide, Need, Tool, ToolCorrection
    from tests.diagnostic.conftest import SMALL
    from tests.donations.factories import make_offer, make_request

    world = World()
    nantes = CommuneFactory()
    paris = CommuneFactory(
        insee="75056",
        name="Paris",
        search_name="paris",
        postal_codes="75001",
        population=2_100_000,
        latitude=48.8566,
        longitude=2.3522,
        department=DepartmentFactory(
            code="75", name="Paris", region=RegionFactory(code="11", name="Île-de-France")
        ),
    )

    # --- the owner and everything they hold (in 44) ---
    owner = UserFactory(email="proprietaire@example.org")
    association = _organisation(
        "Les Amis du Quartier", "amis-du-quartier", OrganisationKind.ASSOCIATION, nantes
    )
    structure = _organisation(
        "Médiation Nantaise", "mediation-nantaise", OrganisationKind.SUPPORT_STRUCTURE, nantes
    )
    workshop = _organisation(
        "Atelier Nantais", "atelier-nantais", OrganisationKind.SUPPORT_STRUCTURE, nantes
    )
    for organisation, role in (
        (association, Role.MEMBER),
        (structure, Role.EDITOR),
        (workshop, Role.REFURBISHER),
    ):
        _member(owner, organisation, role)

    place = Place.objects.create(
        name="Espace numérique nantais",
        slug="espace-numerique-nantais",
        commune=nantes,
        commune_name="Nantes",
        postal_code="44000",
        address="1 rue de la Mairie",
        latitude=47.2184,
        longitude=-1.5536,
        organisation=structure,
        services=",outils_quotidien,",
        kinds=",mediation,",
        fees=",gratuit,",
        emails=["lieu@mediation-nantaise.example"],
    )
    claim = PlaceClaim.objects.create(place=place, user=owner, message="Je gère ce lieu.")
    place_edit = PlaceEdit.objects.create(
        place=place,
        changes={"name": "Nouveau nom"},
        previous={"name": place.name},
        submitted_by=owner,
        moderation_status=ModerationStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )

    # A lot accepted by the owner's workshop, another still proposed (both in 44).
    offer, _secret = make_offer(nantes, email="donateur@entreprise.example")
    lot = offer.lots.get()
    Lot.objects.filter(pk=lot.pk).update(status=LotStatus.ACCEPTED, refurbisher=workshop)
    proposed_offer, _secret = make_offer(nantes, email="autre-donateur@entreprise.example")
    request_obj = make_request(association, owner)
    allocation = Allocation.objects.create(lot=lot, request=request_obj, quantity=1)

    need = Need.objects.create(slug="partager-des-fichiers", name="Partager des fichiers")
    tool = Tool.objects.create(
        slug="outil-libre",
        name="Outil libre",
        pitch="Un outil pour les associations.",
        price="gratuit",
        licence="AGPL-3.0-or-later",
        moderation_status=ModerationStatus.PUBLISHED,
    )
    tool.needs.add(need)
    guide = Guide.objects.create(
        slug="guide-du-partage",
        title="Partager ses fichiers",
        summary="Un guide.",
        body="Texte du guide.",
        moderation_status=ModerationStatus.PUBLISHED,
    )
    tool_correction = ToolCorrection.objects.create(
        tool=tool,
        field="website",
        proposed_value="https://exemple.org",
        submitted_by=owner,
        moderation_status=ModerationStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    correction = OrganisationCorrection.objects.create(
        organisation=association,
        message="Le site a changé.",
        submitted_by=owner,
        moderation_status=ModerationStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )

    # Not yet published: only its author and the team may read it.
    testimonial = Testimonial.objects.create(
        organisation=association,
        display_mode="named",
        consent_names=True,
        title="Notre passage au libre",
        problem="Nos fichiers étaient éparpillés.",
        actions="Nous avons ouvert un espace partagé.",
        contact_opt_in=True,
        moderation_status=ModerationStatus.SUBMITTED,
        submitted_by=owner,
        submitted_at=timezone.now(),
    )
    image = TestimonialImage.objects.create(
        testimonial=testimonial,
        image=_tiny_image("testimonials/photo.webp"),
        thumbnail=_tiny_image("testimonials/photo-720.webp"),
        alt="Une photo",
    )

    sent_edition = Edition.objects.create(
        subject="Lettre envoyée",
        body="Bonjour",
        status=EditionStatus.SENT,
        sent_at=timezone.now(),
    )
    draft_edition = Edition.objects.create(subject="Lettre en préparation", body="Bonjour")
    synonym = SearchSynonym.objects.create(term="visio", synonyms="visioconference")

    questionnaire, _outcome = diagnostic_services.load_questionnaire(data=SMALL)
    response, _token = diagnostic_services.start_response(
        questionnaire=questionnaire, user=owner, organisation=association
    )
    diagnostic_services.complete_response(
        response=response, structure=engine.build_structure(questionnaire)
    )
    unfinished, _token = diagnostic_services.start_response(questionnaire=questionnaire, user=owner)
    owner_token, _raw = account_services.create_api_token(user=owner, name="Mon script")

    world.objects.update(
        owner=owner,
        nantes=nantes,
        paris=paris,
        association=association,
        structure=structure,
        workshop=workshop,
        place=place,
        claim=claim,
        place_edit=place_edit,
        offer=offer,
        proposed_offer=proposed_offer,
        lot=lot,
        request=request_obj,
        allocation=allocation,
        need=need,
        tool=tool,
        guide=guide,
        tool_correction=tool_correction,
        correction=correction,
        testimonial=testimonial,
        image=image,
        sent_edition=sent_edition,
        draft_edition=draft_edition,
        synonym=synonym,
        response=response,
        unfinished=unfinished,
        owner_token=owner_token,
    )

    # --- the identities that try to reach them ---
    world.users["anonymous"] = None
    world.users["signed_in"] = UserFactory(email="sans-organisation@example.org")
    other_association = _organisation(
        "Autre Association", "autre-association", OrganisationKind.ASSOCIATION, nantes
    )
    world.users["member_other"] = _with_role(
        "membre-ailleurs@example.org", Role.MEMBER, other_association
    )
    other_structure = _organisation(
        "Autre Structure", "autre-structure", OrganisationKind.SUPPORT_STRUCTURE, nantes
    )
    world.users["editor_other"] = _with_role(
        "editeur-ailleurs@example.org", Role.EDITOR, other_structure
    )
    # "Another area": a workshop in another department than every object above.
    # TODO(F2, service areas): once refurbishers have declared areas, this one's area is Paris.
    far_workshop = _organisation(
        "Atelier Parisien", "atelier-parisien", OrganisationKind.SUPPORT_STRUCTURE, paris
    )
    world.users["refurbisher_other_area"] = _with_role(
        "atelier-ailleurs@example.org", Role.REFURBISHER, far_workshop
    )
    world.users["reviewer"] = _with_role("relecteur@example.org", Role.REVIEWER)
    world.users["moderator"] = _with_role("moderateur@example.org", Role.MODERATOR)
    world.users["administrator"] = _with_role("administrateur@example.org", Role.ADMINISTRATOR)
    world.users["staff"] = User.objects.create_superuser(
        email="equipe-technique@example.org", password="motdepasse-solide-42"
    )
    # What only the owner, those they deal with, and the team may read.
    world.private_values = [
        owner.email,
        offer.donor.email,
        offer.donor.phone,
        offer.address,
        request_obj.contact_email,
        request_obj.contact_phone,
    ]
    world.objects.update(
        other_association=other_association,
        other_structure=other_structure,
        far_workshop=far_workshop,
    )
    world.objects.update(fund_objects(association, owner))  # calls, dossiers, document, message
    world.objects.update(support_objects(association, structure, owner))
    for role, user in world.users.items():
        if user is not None:
            _token, raw = account_services.create_api_token(user=user, name="matrice")
            world.api_tokens[role] = raw
    return world


def _tiny_image(name) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 120, 40)).save(buffer, format="WEBP")
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def _with_role(email, role, organisation=None) -> User:
    user = UserFactory(email=email)
    _member(user, organisation, role)
    return user


@contextmanager
def world_for_module(django_db_blocker, media_root):
    """Build the world once for a test module, inside a transaction rolled back at its end.

    Each test then runs in a savepoint of that transaction (pytest-django's ``db``), so what
    one test changes is undone before the next, and nothing outlives the module."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media_root,
            FUND_DOCUMENTS_DIR=media_root.with_name(media_root.name + "-fonds"),
        ),
        transaction.atomic(),
    ):
        world = build_world()
        yield world
        transaction.set_rollback(True)
