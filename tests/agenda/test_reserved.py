"""Reserved events (e.g. for a fund cohort): created by another part through
services.create_reserved_event, published at once, in no public list, feed nor API; only
members of the admitted associations register, on behalf of their association."""

import html

import pytest

from ressourcerie.accounts.models import Role
from ressourcerie.agenda import selectors, services
from ressourcerie.agenda.errors import AgendaError
from ressourcerie.agenda.models import (
    AttendanceMode,
    Kind,
    Publication,
    Registration,
    RegistrationMode,
    RegistrationStatus,
)
from ressourcerie.core.models import OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import at, make_event, make_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    structure, editor, place = make_structure()
    admitted = OrganisationFactory(kind=OrganisationKind.ASSOCIATION, name="Les Jardins partagés")
    outsider = OrganisationFactory(kind=OrganisationKind.ASSOCIATION, name="Club de judo")
    member, stranger = UserFactory(), UserFactory()
    MembershipFactory(user=member, organisation=admitted, role=Role.MEMBER)
    MembershipFactory(user=stranger, organisation=outsider, role=Role.MEMBER)
    event = services.create_reserved_event(
        organiser=structure,
        title="Promotion 2027 : atelier collectif",
        kind=Kind.WORKSHOP,
        sessions=[(at(10), at(10, 17))],
        organisation_ids=[admitted.pk],
        actor=editor,
        attendance_mode=AttendanceMode.IN_PERSON,
        place_id=place.pk,
        capacity=10,
    )
    return {
        "event": event,
        "admitted": admitted,
        "outsider": outsider,
        "member": member,
        "stranger": stranger,
        "editor": editor,
        "structure": structure,
    }


def test_created_published_and_reserved(cohort):
    event = cohort["event"]
    assert event.publication == Publication.PUBLISHED
    assert event.registration_mode == RegistrationMode.RESERVED
    assert list(event.reserved_for.all()) == [cohort["admitted"]]
    assert event.department_code == "16"
    assert event.transitions.filter(axis="publication", to_status=Publication.PUBLISHED).exists()


def test_create_refuses_bad_input(cohort):
    base = {
        "organiser": cohort["structure"],
        "title": "Sans association",
        "kind": Kind.WORKSHOP,
        "sessions": [(at(10), at(10, 17))],
        "actor": cohort["editor"],
        "attendance_mode": AttendanceMode.ONLINE,
        "online_url": "https://visio.example/x",
    }
    with pytest.raises(AgendaError, match="au moins une association"):
        services.create_reserved_event(organisation_ids=[], **base)
    with pytest.raises(AgendaError, match="Commune inconnue"):
        services.create_reserved_event(
            organisation_ids=[cohort["admitted"].pk],
            **{**base, "attendance_mode": AttendanceMode.IN_PERSON, "online_url": ""},
            address="1 rue de la Paix",
            commune="99999",
        )
    with pytest.raises(AgendaError, match="éditeur"):
        services.create_reserved_event(
            organisation_ids=[cohort["admitted"].pk], **{**base, "actor": cohort["stranger"]}
        )
    with pytest.raises(AgendaError, match="passé"):
        services.create_reserved_event(
            organisation_ids=[cohort["admitted"].pk], **{**base, "sessions": [(at(-2), at(-2, 17))]}
        )
    assert not type(cohort["event"]).objects.filter(title="Sans association").exists()


def test_not_listed_in_lists_feeds_api(client, cohort):
    event = cohort["event"]
    open_event = make_event(
        structure=cohort["structure"], place=event.place, title="Atelier ouvert"
    )
    listed = selectors.filtered_events(selectors.Filters(department="16")).events
    assert [e.pk for e in listed] == [open_event.pk]
    assert event.title not in client.get("/agenda/").content.decode()
    assert event.title not in client.get("/agenda/agenda.ics").content.decode()
    slug = cohort["structure"].slug
    assert event.title not in client.get(f"/agenda/structure/{slug}.ics").content.decode()
    api = client.get("/api/v1/events").json()
    assert event.title not in str(api)
    assert client.get(f"/api/v1/events/{event.pk}").status_code == 404
    assert selectors.upcoming_for_department("16") == [open_event]


def test_page_visible_to_members_and_refused_with_a_way_forward_to_others(client, cohort):
    event = cohort["event"]
    response = client.get(event.get_absolute_url())
    assert response.status_code == 403
    page = response.content.decode()
    assert "Événement réservé" in page and "connectez-vous" in page
    client.force_login(cohort["stranger"])
    response = client.get(event.get_absolute_url())
    assert response.status_code == 403
    assert "n'est membre d'aucune" in html.unescape(response.content.decode())
    client.force_login(cohort["member"])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Les Jardins partagés" in page and "réservé aux membres" in page
    client.force_login(cohort["editor"])
    assert client.get(event.get_absolute_url()).status_code == 200


def test_only_members_register_on_behalf_of_an_admitted_association(client, cohort):
    event = cohort["event"]
    with pytest.raises(AgendaError, match="réservé"):
        services.register(event=event, email="anonyme@asso.example")
    with pytest.raises(AgendaError, match="n'est membre d'aucune"):
        services.register(event=event, user=cohort["stranger"], organisation=cohort["outsider"])
    with pytest.raises(AgendaError, match="association admise"):
        services.register(event=event, user=cohort["member"], organisation=cohort["outsider"])
    with pytest.raises(AgendaError, match="association admise"):
        services.register(event=event, user=cohort["member"])
    assert not Registration.objects.exists()
    client.force_login(cohort["member"])
    response = client.post(f"/agenda/{event.pk}/inscription/", {})
    assert "Ce champ est obligatoire" in response.content.decode()
    response = client.post(
        f"/agenda/{event.pk}/inscription/", {"organisation": cohort["admitted"].pk}
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.organisation == cohort["admitted"]
    assert registration.status == RegistrationStatus.REGISTERED


def test_a_stranger_posting_the_form_is_refused(client, cohort):
    client.force_login(cohort["stranger"])
    response = client.post(
        f"/agenda/{cohort['event'].pk}/inscription/", {"organisation": cohort["outsider"].pk}
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_the_organisers_form_does_not_offer_reserved_mode(client, cohort):
    client.force_login(cohort["editor"])
    page = client.get("/agenda/nouveau/").content.decode()
    assert 'value="reservee"' not in page
    page = client.get(f"/agenda/{cohort['event'].pk}/modifier/").content.decode()
    assert 'value="reservee"' in page
