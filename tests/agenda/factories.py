"""Agenda test data: a structure of Charente with its editor and place, and events."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from ressourcerie.accounts.models import Role
from ressourcerie.agenda import services
from ressourcerie.agenda.models import AttendanceMode, Event, Kind, Publication, RegistrationMode
from ressourcerie.core.models import OrganisationKind
from tests.directory.factories import PlaceFactory
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    StaffFactory,
    UserFactory,
)


def charente():
    return CommuneFactory(
        insee="16015",
        name="Angoulême",
        search_name="angouleme",
        postal_codes="16000",
        population=41711,
        latitude=45.6484,
        longitude=0.1562,
        department=DepartmentFactory(
            code="16", name="Charente", region=RegionFactory(code="75", name="Nouvelle-Aquitaine")
        ),
    )


def make_structure(
    *, commune=None, email="animatrice@charente.example", slug="numerique-en-charente"
):
    """A support structure with an editor and a place it manages."""
    commune = commune or charente()
    structure = OrganisationFactory(
        kind=OrganisationKind.SUPPORT_STRUCTURE,
        name="Numérique en Charente",
        slug=slug,
        commune=commune,
    )
    editor = UserFactory(email=email)
    MembershipFactory(user=editor, organisation=structure, role=Role.EDITOR)
    place = PlaceFactory(organisation=structure, commune=commune, name="Espace Angoulême")
    return structure, editor, place


def at(days: int, hour: int = 14):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def make_event(*, structure=None, place=None, capacity=2, sessions=None, publish=True, **extra):
    if structure is None:
        structure, _editor, place = make_structure()
    data = {
        "organiser": structure,
        "title": "Atelier : gérer ses adhésions",
        "kind": Kind.WORKSHOP,
        "attendance_mode": AttendanceMode.IN_PERSON,
        "place": place,
        "capacity": capacity,
        "registration_mode": RegistrationMode.OPEN,
        **extra,
    }
    staff = StaffFactory(email="equipe@plateforme.example")
    sessions = sessions or [(at(10), at(10, 17)), (at(17), at(17, 17))]
    event = services.save_event(actor=staff, data=data, sessions=sessions)
    if publish:
        event = services.transition_publication(
            event=event, to_status=Publication.PUBLISHED, actor=staff
        )
    return event


def world_event(world):
    """The access matrix's event: published, of the owner's structure, at its place. Made
    on first use in each test (the matrix's world is rolled back between tests)."""
    existing = Event.objects.filter(
        organiser=world.structure, title="Événement de la matrice"
    ).first()
    if existing is not None:
        return existing
    return make_event(structure=world.structure, place=world.place, title="Événement de la matrice")
