"""Part 2 (#16): a cohort followed by its actor through its page — sessions logged for the
group (who attended, pre-filled from a planned agenda session's attendance, the log linked
to the event), confirmed by each association, the cohort closed with a report — and the
rules and roles around it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.agenda import selectors as agenda_selectors
from ressourcerie.agenda.models import Attendance, Event, Registration, RegistrationStatus
from ressourcerie.fund.errors import FundError
from ressourcerie.fund.models import (
    CheckStatus,
    Cohort,
    CohortEvent,
    CohortStatus,
    SessionLog,
    SupportStatus,
)
from ressourcerie.fund.selectors import support as support_selectors
from ressourcerie.fund.services import support as support_services
from ressourcerie.fund.services import support_cohorts as cohort_services
from ressourcerie.fund.services import support_offers as offers
from ressourcerie.fund.services import support_sessions as sessions
from tests.factories import UserFactory
from tests.fund import support_setup, support_team_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two accepted dossiers in one cohort, assigned to the near actor (3 days each)."""
    world = support_setup.accepted_world(days=Decimal("3"))
    first = world["support"]
    second = support_team_setup.accepted_support(
        world["call"], support_team_setup.place("angouleme"), keys=first.action_keys
    )
    second_member = UserFactory()
    Membership.objects.create(
        user=second_member, organisation=second.application.organisation, role=Role.MEMBER
    )
    cohort = Cohort.objects.create(
        call=world["call"],
        name="Groupe du bocage",
        status=CohortStatus.TO_ASSIGN,
        action_keys=first.action_keys,
    )
    for support in (first, second):
        support.cohort = cohort
        support.save(update_fields=["cohort"])
    near, editor = world["actors"]["near"]
    [offer] = offers.propose(cohort=cohort, organisations=[near], actor=world["staff"])
    offers.accept(raw_token=support_selectors.offer_secret(offer), user=editor)
    cohort.refresh_from_db()
    world.update(cohort=cohort, editor=editor, second=second, second_member=second_member)
    return world


def _url(world):
    return reverse("fund:cohort_actor", args=[world["cohort"].pk])


def _post(world, **overrides):
    data = {
        "log": "1",
        "held_on": timezone.localdate().isoformat(),
        "duration": "3,5",
        "unit": "heures",
        "action_keys": list(world["cohort"].action_keys),
        "present": [str(world["support"].pk), str(world["second"].pk)],
        "attendees": "Les bénévoles",
        "note": "Sauvegardes",
    }
    data.update(overrides)
    return data


def _planned(world, *, days_ago=1):
    """A planned session of the cohort held ``days_ago`` (planned, then the clock moved)."""
    planned = cohort_services.schedule_cohort_session(
        cohort=world["cohort"],
        title="Atelier sauvegardes",
        day=timezone.localdate() + timedelta(days=3),
        start=timezone.datetime(2000, 1, 1, 14, 0).time(),
        end=timezone.datetime(2000, 1, 1, 17, 0).time(),
        attendance_mode="en_ligne",
        online_url="https://visio.example.org/bocage",
        actor=world["editor"],
    )
    shift = timedelta(days=3 + days_ago)
    event = Event.objects.get(pk=planned.event_id)
    for session in event.sessions.all():
        session.starts_at -= shift
        session.ends_at -= shift
        session.save()
    event.starts_at -= shift
    event.ends_at -= shift
    event.save(update_fields=["starts_at", "ends_at"])
    # Starts on the day the supports were assigned: move it back so the session counts.
    for support in world["cohort"].supports.all():
        support.starts_on = timezone.localdate() - timedelta(days=30)
        support.save(update_fields=["starts_on"])
    return event


def _attended(event, organisation, mark):
    Registration.objects.create(
        event=event,
        email=f"{organisation.pk}@example.org",
        organisation=organisation,
        status=RegistrationStatus.REGISTERED,
        attendance=mark,
    )


def test_the_actors_list_leads_to_the_cohort_page_with_its_members(client, world):
    client.force_login(world["editor"])
    page = client.get(reverse("fund:actor_supports")).text
    assert "Les groupes que votre structure accompagne" in page
    assert f'href="{_url(world)}"' in page and "Groupe « Groupe du bocage »" in page
    assert "2 associations :" in page
    for support in (world["support"], world["second"]):
        assert support.application.organisation.name in page
    assert "Aucun accompagnement individuel" in page


def test_the_actor_logs_a_cohort_session_on_its_page_with_who_attended(client, world):
    client.force_login(world["editor"])
    page = client.get(_url(world))
    assert page.status_code == 200 and "Enregistrer une séance du groupe" in page.text
    response = client.post(_url(world), _post(world, present=[str(world["support"].pk)]))
    assert response.status_code == 302
    session = SessionLog.objects.get()
    assert session.cohort == world["cohort"] and session.days == Decimal("0.5")
    checks = {c.support_id: c for c in session.checks.all()}
    assert checks[world["support"].pk].attended is True
    assert checks[world["second"].pk].attended is False
    world["cohort"].refresh_from_db()
    assert world["cohort"].status == CohortStatus.RUNNING
    page = client.get(_url(world)).text
    second_name = world["second"].application.organisation.name
    assert f"{second_name} : absente" in page


def test_each_association_confirms_on_its_own_page(client, world):
    client.force_login(world["editor"])
    client.post(_url(world), _post(world))
    session = SessionLog.objects.get()
    for support, member in (
        (world["support"], world["member"]),
        (world["second"], world["second_member"]),
    ):
        client.force_login(member)
        url = reverse("fund:support_association", args=[support.application.reference])
        assert "notée présente" in client.get(url).text
        client.post(url, {"session": session.pk, f"s{session.pk}-decision": "confirmer"})
    assert set(session.checks.values_list("status", flat=True)) == {CheckStatus.CONFIRMED}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"held_on": "2999-01-01"}, "dans le futur"),
        ({"duration": "25"}, "durée positive"),
        ({"present": []}, "au moins une association présente"),
        ({"action_keys": []}, "au moins une action"),
    ],
)
def test_bad_input_is_refused_in_french_and_kept(client, world, overrides, message):
    client.force_login(world["editor"])
    response = client.post(_url(world), _post(world, note="Gardé tel quel", **overrides))
    assert response.status_code == 400 and message in response.text
    assert "Gardé tel quel" in response.text
    assert not SessionLog.objects.exists()


def test_refused_before_the_start_and_beyond_the_grant_until_the_team_raises_it(client, world):
    client.force_login(world["editor"])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(_url(world), _post(world, held_on=yesterday))
    assert response.status_code == 400 and "avant le début" in response.text
    # 3 days granted each: 6 half-days use them all, one more is refused.
    response = client.post(_url(world), _post(world, duration="6", unit="demi_journees"))
    assert response.status_code == 302
    response = client.post(_url(world), _post(world, duration="1", unit="demi_journees"))
    assert response.status_code == 400 and "dépasserait les 3 jours accordés" in response.text
    for support in (world["support"], world["second"]):
        support_services.change_grant(
            support=support, days="4", reason="Une séance de plus", actor=world["staff"]
        )
    response = client.post(_url(world), _post(world, duration="1", unit="demi_journees"))
    assert response.status_code == 302 and SessionLog.objects.count() == 2


def test_only_the_assigned_actors_people_open_the_page(client, world):
    url = _url(world)
    assert client.get(url).status_code == 302  # anonymous: sign in
    second, second_editor = world["actors"]["second"]
    refurbisher = UserFactory()
    Membership.objects.create(
        user=refurbisher, organisation=world["actors"]["near"][0], role=Role.REFURBISHER
    )
    for stranger in (world["member"], second_editor, world["staff"], refurbisher):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.post(url, _post(world)).status_code == 404
    assert not SessionLog.objects.exists()
    # A mere member of the actor's structure (not an editor) follows the cohort.
    member_of_actor = UserFactory()
    Membership.objects.create(
        user=member_of_actor, organisation=world["actors"]["near"][0], role=Role.MEMBER
    )
    client.force_login(member_of_actor)
    assert client.post(url, _post(world)).status_code == 302
    assert SessionLog.objects.get().logged_by == member_of_actor


def test_the_service_refuses_another_actor(world):
    _second, second_editor = world["actors"]["second"]
    with pytest.raises(FundError, match="Seul l'acteur attribué à ce groupe"):
        sessions.log_session(
            cohort=world["cohort"],
            held_on=timezone.localdate(),
            duration="2",
            unit="heures",
            action_keys=world["cohort"].action_keys,
            actor=second_editor,
        )


def _box(page, pk) -> str:
    """The ``present`` check box of one member support, as rendered."""
    return next(
        tag for tag in page.split("<input") if 'name="present"' in tag and f'value="{pk}"' in tag
    ).split(">")[0]


def test_a_planned_session_prefills_from_the_agendas_attendance_and_is_linked(client, world):
    event = _planned(world)
    _attended(event, world["organisation"], Attendance.PRESENT)
    _attended(event, world["second"].application.organisation, Attendance.ABSENT)
    [found] = agenda_selectors.events_with_attendance([event.pk])
    assert found.attendance == {
        world["organisation"].pk: "present",
        world["second"].application.organisation_id: "absent",
    }
    client.force_login(world["editor"])
    page = client.get(_url(world)).text
    assert "Enregistrer cette séance" in page
    prefilled = reverse("fund:cohort_actor_event", args=[world["cohort"].pk, event.pk])
    assert prefilled in page
    page = client.get(prefilled).text
    assert f'name="event" value="{event.pk}"' in page
    assert 'value="3"' in page  # 14:00–17:00
    held_on = timezone.localtime(event.starts_at).date().isoformat()
    assert f'value="{held_on}"' in page
    # The second association is not pre-checked: the agenda marked it absent.
    assert not _box(page, world["second"].pk).count("checked")
    assert "checked" in _box(page, world["support"].pk)
    data = _post(
        world, held_on=held_on, duration="3", event=str(event.pk), present=[world["support"].pk]
    )
    assert client.post(_url(world), data).status_code == 302
    session = SessionLog.objects.get()
    assert session.event_id == event.pk
    assert "enregistrée (séance du" in client.get(_url(world)).text
    # The same planned session is not logged twice: no pre-filled page, the post refused.
    assert "Enregistrer cette séance" not in client.get(_url(world)).text
    assert client.get(prefilled).status_code == 404
    response = client.post(_url(world), data)
    assert response.status_code == 400 and "déjà enregistrée" in response.text
    assert SessionLog.objects.count() == 1


def test_an_event_of_another_cohort_or_an_individual_support_is_refused(world):
    event = _planned(world)
    other = Cohort.objects.create(call=world["call"], name="Autre", status=CohortStatus.ASSIGNED)
    CohortEvent.objects.filter(event_id=event.pk).update(cohort=other)
    with pytest.raises(FundError, match="n'est pas une séance de ce groupe"):
        sessions.log_session(
            cohort=world["cohort"],
            held_on=timezone.localdate(),
            duration="2",
            unit="heures",
            action_keys=world["cohort"].action_keys,
            actor=world["editor"],
            event_id=event.pk,
        )
    with pytest.raises(FundError, match="Seules les séances d'un groupe"):
        sessions.log_session(
            support=world["support"],
            held_on=timezone.localdate(),
            duration="2",
            unit="heures",
            action_keys=world["support"].action_keys,
            actor=world["editor"],
            event_id=event.pk,
        )


def test_the_actor_closes_the_cohort_with_a_report(client, world):
    client.force_login(world["editor"])
    url = _url(world)
    assert "Terminer le groupe" not in client.get(url).text  # no session yet
    with pytest.raises(FundError, match="première séance"):
        cohort_services.close_cohort(cohort=world["cohort"], report="Bilan", actor=world["editor"])
    client.post(url, _post(world))
    response = client.post(url, {"close": "1", "report": ""})
    assert response.status_code == 400 and "obligatoire" in response.text
    # A member support of a cohort is not closed alone.
    with pytest.raises(FundError, match="se termine avec son groupe"):
        support_services.close_support(
            support=world["support"], report="Bilan", actor=world["editor"]
        )
    mail.outbox.clear()
    response = client.post(url, {"close": "1", "report": "Sauvegardes en place partout."})
    assert response.status_code == 302
    world["cohort"].refresh_from_db()
    assert world["cohort"].status == CohortStatus.DONE
    for support in (world["support"], world["second"]):
        support.refresh_from_db()
        assert support.status == SupportStatus.DONE
        assert support.report == "Sauvegardes en place partout." and support.closed_at
    assert "Ce groupe est terminé" in client.get(url).text
    # Each association reads the report on its page.
    client.force_login(world["second_member"])
    page = client.get(
        reverse("fund:support_association", args=[world["second"].application.reference])
    )
    assert "Sauvegardes en place partout." in page.text


def test_the_actors_support_page_sends_a_cohorts_member_to_the_cohort_page(client, world):
    client.force_login(world["editor"])
    page = client.get(
        reverse("fund:support_actor", args=[world["support"].application.reference])
    ).text
    assert _url(world) in page and "Enregistrer la séance" not in page
