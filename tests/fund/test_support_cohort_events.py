"""Part 2 (#16 item 3): a cohort's collective sessions are agenda events reserved to its
member associations, planned by the assigned actor (or the team)."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.agenda import selectors as agenda_selectors
from ressourcerie.agenda import services as agenda_services
from ressourcerie.agenda.models import Event, RegistrationMode
from ressourcerie.fund.errors import FundError
from ressourcerie.fund.models import Cohort, CohortEvent, CohortStatus
from ressourcerie.fund.selectors import support as support_selectors
from ressourcerie.fund.services import support_cohorts as cohort_services
from ressourcerie.fund.services import support_offers as offers
from tests.factories import UserFactory
from tests.fund import instruction_setup, support_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """The accepted support in a cohort offered to and accepted by the near actor."""
    world = support_setup.accepted_world()
    support, staff = world["support"], world["staff"]
    near, near_editor = world["actors"]["near"]
    cohort = Cohort.objects.create(
        call=world["call"],
        name="Groupe du bocage",
        status=CohortStatus.TO_ASSIGN,
        action_keys=support.action_keys,
        days_planned=Decimal("2"),
    )
    support.cohort = cohort
    support.save(update_fields=["cohort"])
    [offer] = offers.propose(cohort=cohort, organisations=[near], actor=staff)
    offers.accept(raw_token=support_selectors.offer_secret(offer), user=near_editor)
    cohort.refresh_from_db()
    world.update(cohort=cohort, editor=near_editor)
    return world


def _day(days=7):
    return timezone.localdate() + timedelta(days=days)


def _schedule(world, **overrides):
    data = {
        "cohort": world["cohort"],
        "title": "Accompagnement collectif — Groupe du bocage",
        "day": _day(),
        "start": time(14, 0),
        "end": time(17, 0),
        "attendance_mode": "en_ligne",
        "online_url": "https://visio.example.org/bocage",
        "actor": world["editor"],
    }
    data.update(overrides)
    return cohort_services.schedule_cohort_session(**data)


def test_the_session_is_an_event_reserved_to_the_members(world):
    planned = _schedule(world)
    event = Event.objects.get(pk=planned.event_id)
    assert planned.cohort == world["cohort"]
    assert event.registration_mode == RegistrationMode.RESERVED
    assert event.organiser == world["actors"]["near"][0] and event.kind == "atelier"
    assert list(event.reserved_for.all()) == [world["organisation"]]
    # A member registers on behalf of the association; a stranger is refused.
    registration = agenda_services.register(
        event=event, user=world["member"], organisation=world["organisation"]
    )
    assert registration.organisation == world["organisation"]
    with pytest.raises(agenda_services.AgendaError, match="réservé"):
        agenda_services.register(event=event, user=UserFactory(), organisation=None)
    assert [e.pk for e in agenda_selectors.upcoming_by_ids([event.pk])] == [event.pk]
    assert agenda_selectors.upcoming_by_ids([]) == []


def test_refusals_write_nothing(world):
    with pytest.raises(FundError, match="passé"):
        _schedule(world, day=timezone.localdate() - timedelta(days=1))
    with pytest.raises(FundError, match="finir après"):
        _schedule(world, start=time(17, 0), end=time(14, 0))
    with pytest.raises(FundError, match="acteur attribué"):
        _schedule(world, actor=world["actors"]["second"][1])
    with pytest.raises(FundError, match="adresse"):
        _schedule(world, attendance_mode="presentiel", online_url="")
    world["cohort"].status = CohortStatus.TO_ASSIGN
    world["cohort"].save(update_fields=["status"])
    with pytest.raises(FundError, match="attribué"):
        _schedule(world)
    assert not CohortEvent.objects.exists() and not Event.objects.exists()


def test_the_schedule_page_by_role(client, world):
    cohort = world["cohort"]
    url = reverse("fund:cohort_schedule", args=[cohort.pk])
    cases = [
        (world["editor"], 200),
        (world["staff"], 200),
        (world["actors"]["second"][1], 404),
        (world["member"], 404),
        (instruction_setup.reviewer(), 404),
    ]
    for user, status in cases:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(world["editor"])
    page = client.get(url).content.decode()
    assert "Accompagnement collectif — Groupe du bocage" in page
    actor_page = client.get(
        reverse("fund:support_actor", args=[world["support"].application.reference])
    )
    assert url in actor_page.content.decode()


def test_the_form_plans_in_person_and_keeps_input_on_refusal(client, world):
    cohort = world["cohort"]
    url = reverse("fund:cohort_schedule", args=[cohort.pk])
    client.force_login(world["editor"])
    data = {
        "title": "Atelier du bocage",
        "day": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "start": "14:00",
        "end": "17:00",
        "attendance_mode": "presentiel",
        "address": "2 place de la Mairie",
        "commune": "Petitbourg",
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "passé" in page and 'value="2 place de la Mairie"' in page
    data["commune"] = "Nullepart-sur-Mer"
    data["day"] = _day().isoformat()
    response = client.post(url, data)
    assert response.status_code == 400 and "trouvons pas cette commune" in response.content.decode()
    data["commune"] = "44001"
    assert client.post(url, data).status_code == 302
    event = Event.objects.get(pk=CohortEvent.objects.get(cohort=cohort).event_id)
    assert event.commune.insee == "44001" and event.address == "2 place de la Mairie"
    # Listed on the cohort's pages: the actor's, the team's, the association's.
    link = event.get_absolute_url()
    assert link in client.get(url).content.decode()
    client.force_login(world["member"])
    reference = world["support"].application.reference
    assert (
        link in client.get(reverse("fund:support_association", args=[reference])).content.decode()
    )
    client.force_login(world["staff"])
    team_url = reverse("fund:cohort_detail", args=[cohort.call.slug, cohort.pk])
    assert link in client.get(team_url).content.decode()
    # The member reaches the reserved page; a stranger does not.
    client.force_login(world["member"])
    assert client.get(link).status_code == 200
    client.force_login(UserFactory())
    assert client.get(link).status_code == 403


def test_the_team_and_a_mere_member_of_the_actor_plan_too_a_refurbisher_does_not(world):
    """The fund's rule (``permissions.acts_for``: the structure's member or editor role)
    decides who plans a cohort's session; the agenda takes the fund's word for it."""
    planned = _schedule(world, actor=world["staff"])
    assert Event.objects.get(pk=planned.event_id).organiser == world["actors"]["near"][0]
    member_of_actor = UserFactory()
    Membership.objects.create(
        user=member_of_actor, organisation=world["actors"]["near"][0], role=Role.MEMBER
    )
    by_member = _schedule(world, actor=member_of_actor, day=_day(8))
    event = Event.objects.get(pk=by_member.event_id)
    assert event.created_by == member_of_actor and event.is_reserved
    refurbisher = UserFactory()
    Membership.objects.create(
        user=refurbisher, organisation=world["actors"]["near"][0], role=Role.REFURBISHER
    )
    with pytest.raises(FundError, match="Seul l'acteur attribué"):
        _schedule(world, actor=refurbisher, day=_day(9))
    assert CohortEvent.objects.count() == 2
