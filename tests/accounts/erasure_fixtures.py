"""One of everything the platform can hold about one person, with distinctive probe values.

Used by the erasure dump test and the export completeness test. The probes are put only
where the person's own data goes (contacts, their messages); shared content that erasure
keeps on purpose (a published testimonial, a listing's public details) holds none.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from ressourcerie.accounts.models import Invitation, Role
from ressourcerie.accounts.services import _issue_code, create_api_token
from ressourcerie.agenda import housekeeping as agenda_housekeeping
from ressourcerie.agenda import services as agenda_services
from ressourcerie.core import moderation
from ressourcerie.core.models import ModerationStatus, OrganisationKind
from ressourcerie.core.organisations.services import report_correction
from ressourcerie.diagnostic import engine
from ressourcerie.diagnostic import services as diagnostic_services
from ressourcerie.diagnostic.models import DiagnosticResponse, PlanAction
from ressourcerie.diagnostic.services import send_resume_link
from ressourcerie.directory import services as directory_services
from ressourcerie.directory.models import PlaceReport
from ressourcerie.donations import services as donation_services
from ressourcerie.fund.models import Application, Call, ExpertOpinion
from ressourcerie.newsletter.services import subscribe_account
from ressourcerie.testimonials import services as testimonial_services
from ressourcerie.toolbox.services import propose_correction
from tests.agenda.factories import make_event as make_agenda_event
from tests.diagnostic.conftest import SMALL, complete_via_client
from tests.directory.factories import PlaceFactory
from tests.factories import (
    CommuneFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)
from tests.testimonials.factories import StoryFactory, ToolFactory

PROBE_EMAIL = "erasure-probe-7f3a@example.org"
PROBE_PHONE = "06 12 34 98 76"
PROBE_ADDRESS = "17 rue de l'Effacement"
PASSWORD = "motdepasse-solide-42"


@dataclass
class Everything:
    person: object
    client: Client
    association: object
    structure: object
    published_story: object
    others: dict = field(default_factory=dict)


def make_everything() -> Everything:
    """A person with a trace in every part, each carrying the probes where they belong."""
    commune = CommuneFactory()
    person = UserFactory(email=PROBE_EMAIL, display_name="Personne Sonde")
    colleague = UserFactory(email="collegue@example.org")
    staff = StaffFactory(email="equipe@example.org")

    # accounts and core: memberships, an association they created, roles, tokens, codes
    association = OrganisationFactory(
        name="Les Amis de la Sonde",
        created_by=person,
        verified_at=timezone.now(),
        commune=commune,
        sector="sport",
        members_band="51-200",
    )
    MembershipFactory(user=person, organisation=association, role=Role.MEMBER)
    MembershipFactory(user=colleague, organisation=association, role=Role.MEMBER)
    structure = OrganisationFactory(
        name="Structure de la Sonde", kind=OrganisationKind.SUPPORT_STRUCTURE, commune=commune
    )
    MembershipFactory(user=person, organisation=structure, role=Role.EDITOR)
    MembershipFactory(user=person, organisation=None, role=Role.MODERATOR)
    create_api_token(user=person, name="Tableur de la Sonde")
    _issue_code(person)
    other_association = OrganisationFactory(name="Autre association")
    Invitation.objects.create(
        organisation=association,
        email="invitee@example.org",
        token_hash="a" * 64,
        invited_by=person,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    Invitation.objects.create(
        organisation=other_association,
        email=PROBE_EMAIL.upper(),
        token_hash="b" * 64,
        invited_by=staff,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    correction = report_correction(
        organisation=other_association,
        user=person,
        message=f"Écrivez-moi à {PROBE_EMAIL}, je suis au {PROBE_ADDRESS}.",
    )
    # The person, as a moderator, decided on someone else's correction.
    decided = report_correction(organisation=association, user=colleague, message="Coquille")
    moderation.transition(
        obj=decided, to_status=ModerationStatus.REJECTED, actor=person, reason="Déjà corrigé"
    )
    # A staff member changed the person's account in the admin (the log names it).
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(person),
        object_id=str(person.pk),
        object_repr=str(person.email),
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["email"]}}]),
    )

    # donations: an offer (home address, phone), another one made without an account, a request
    donor = {
        "kind": "individual",
        "name": "Personne Sonde",
        "siret": "",
        "email": PROBE_EMAIL,
        "phone": PROBE_PHONE,
        "commune": commune,
    }
    offer = {
        "logistics": "enlevement",
        "address": PROBE_ADDRESS,
        "erasure": "reconditionneur",
        "erasure_method": "",
        "available_from": timezone.localdate() + datetime.timedelta(days=1),
        "available_until": None,
        "commune": commune,
        "notes": f"Appelez le {PROBE_PHONE} avant de passer.",
    }
    lot = {"device_type": "portable", "quantity": 2, "year": 2018, "condition": "fonctionne"}
    offer_obj, _secret = donation_services.create_offer(
        donor=donor, offer=offer, lots=[lot], user=person
    )
    donation_services.confirm_offer(offer=offer_obj)
    # An hour later, without signing in (two minutes apart would be taken as a double click).
    type(offer_obj).objects.filter(pk=offer_obj.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    donation_services.create_offer(
        donor={**donor, "email": PROBE_EMAIL.upper()}, offer=offer, lots=[lot]
    )
    request_obj = donation_services.create_request(
        organisation=association,
        user=person,
        data={
            "device_type": "portable",
            "quantity": 3,
            "minimum_specs": "",
            "intended_use": "Atelier d'accès aux droits",
            "beneficiaries": "30 personnes par an",
            "priority": 2,
            "priority_reason": "Nos postes ont 12 ans",
            "contact_email": PROBE_EMAIL,
            "contact_phone": PROBE_PHONE,
            "share_name": True,
        },
    )

    # toolbox: a proposed tool, a correction with a message
    tool = ToolFactory(name="Outil de la Sonde", slug="outil-de-la-sonde")
    proposed = ToolFactory.build(name="Outil proposé par la Sonde", slug="outil-propose-sonde")
    moderation.submit(obj=proposed, by=person)
    propose_correction(
        tool=tool,
        user=person,
        field="price",
        proposed_value=f"Gratuit ; contactez-moi au {PROBE_PHONE} ou à {PROBE_EMAIL}",
    )

    # directory: a report (signed in, and one sent anonymously with the address), a claim,
    # an edit of the listing they manage, a relayed message
    place = PlaceFactory(emails=["accueil@lieu.example"], organisation=structure)
    moderation.submit(
        obj=PlaceReport(
            place=place, message=f"Fermé le lundi. Rappelez-moi au {PROBE_PHONE}.", email=""
        ),
        by=person,
    )
    moderation.submit(
        obj=PlaceReport(place=place, message="Le site a changé.", email=PROBE_EMAIL.upper()),
        by=None,
    )
    directory_services.request_staff_claim(
        place=PlaceFactory(),
        user=person,
        message=f"Je gère ce lieu, joignable au {PROBE_PHONE}.",
        organisation=structure,
    )
    directory_services.propose_place_edit(
        place=place, user=person, data={"summary": "Un lieu ouvert à toutes et tous."}
    )
    directory_services.send_contact_message(
        place=PlaceFactory(emails=["lieu@example.org"]),
        sender=person,
        organisation=association,
        subject="Un atelier ?",
        body=f"Pouvez-vous me rappeler au {PROBE_PHONE} ?",
    )

    # testimonials: a published story (the association's), one pending, a relay message
    published_story = StoryFactory(organisation=association, submitted_by=person)
    testimonial_services.submit_testimonial(
        user=person,
        organisation=association,
        data={
            "display_mode": "anonymous",
            "title": "Notre passage au libre",
            "problem": f"Notre trésorière ({PROBE_EMAIL}) perdait des fichiers.",
            "actions": "Un espace partagé.",
        },
    )
    testimonial_services.send_contact_message(
        testimonial=StoryFactory(organisation=other_association),
        sender=person,
        message=f"Comment avez-vous fait ? Mon numéro : {PROBE_PHONE}",
    )

    # newsletter
    subscribe_account(user=person, topics=["outils", "dons"])

    # diagnostic: a completed response with its answers, and a link sent by e-mail
    questionnaire, _outcome = diagnostic_services.load_questionnaire(
        data=json.loads(json.dumps(SMALL))
    )
    client = Client()
    client.force_login(person)
    client.post("/autodiagnostic/commencer/", {})
    complete_via_client(client, engine.build_structure(questionnaire))
    send_resume_link(email=PROBE_EMAIL, response=DiagnosticResponse.objects.get(user=person))
    # diagnostic (#14): the free-text last answer, and an action of the association's kept
    # plan marked by the person
    DiagnosticResponse.objects.filter(user=person).update(
        problem_text=f"Personne ne sait rien, appelez-moi au {PROBE_PHONE}"
    )
    kept = PlanAction.objects.create(
        organisation=association,
        key="sauvegardes",
        axis_key="securite",
        axis_name="Sécurité",
        title="Mettre en place des sauvegardes",
    )
    diagnostic_services.mark_plan_action(action=kept, status="done", actor=person)

    # fund: a dossier of the association they started, a document they sent, and an expert
    # opinion given under their address (the dossier stays the association's)
    make_fund_traces(person, association)

    # agenda: a registration signed in, one typed with the address, a private feed key
    agenda_event = make_agenda_event(capacity=5)
    agenda_services.register(event=agenda_event, user=person, organisation=association)
    other_event = make_agenda_event(structure=agenda_event.organiser, place=agenda_event.place)
    agenda_services.register(event=other_event, email=PROBE_EMAIL, name="Personne Sonde")
    agenda_housekeeping.new_calendar_key(user=person)

    # sessions: another device signed in, and one that asked for a sign-in code
    Client().force_login(person)
    Client().post("/compte/connexion/code/", {"email": PROBE_EMAIL})

    return Everything(
        person=person,
        client=client,
        association=association,
        structure=structure,
        published_story=published_story,
        others={
            "colleague": colleague,
            "staff": staff,
            "request": request_obj,
            "offer": offer_obj,
            "correction": correction,
            "decided": decided,
        },
    )


def make_fund_traces(person, association) -> None:
    today = timezone.localdate()
    call = Call.objects.create(
        title="Appel de la Sonde",
        slug="appel-de-la-sonde",
        summary="Un appel.",
        text="Texte.",
        budget_euros=1000,
        budget_days=4,
        day_value_euros=250,
        opens_on=today,
        closes_on=today,
    )
    application = Application.objects.create(
        call=call,
        organisation=association,
        reference="2026-SONDE2",
        created_by=person,
        project="Former nos bénévoles.",
    )
    application.documents.create(
        original_name="budget.pdf",
        content_type="application/pdf",
        size=4,
        file="applications/sonde.pdf",
        uploaded_by=person,
    )
    ExpertOpinion.objects.create(
        application=application,
        expert_name="Personne Sonde",
        expert_email=PROBE_EMAIL,
        token_hash="f" * 64,
        deadline=today,
        opinion="Avis donné sur le dossier.",
    )
