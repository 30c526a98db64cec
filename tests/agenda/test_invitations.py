"""Invitations that reach the right people (#17 item 8): the organiser invites the
associations of a department whose latest plan holds an action the event serves; only
opted-in members receive it, once per association, and the organiser sees counts only."""

from html import unescape

import pytest
from django.core import mail
from django.test import Client

from ressourcerie.accounts.personal_data import collect
from ressourcerie.agenda import invitations
from ressourcerie.agenda.errors import AgendaError
from ressourcerie.agenda.models import EventInvitation, InvitationRound
from ressourcerie.diagnostic.models import PlanStatus
from tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)

from .factories import make_event, make_structure
from .plan_factories import BACKUP, WEBSITE, association_with_plan, title_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(db):
    """A Charente workshop serving BACKUP, its organiser, and associations around it."""
    structure, editor, place = make_structure()
    charente = place.commune.department
    gironde = DepartmentFactory(code="33", name="Gironde", region=charente.region)
    event = make_event(structure=structure, place=place, plan_actions=[BACKUP])
    jardin, (alice, bob) = association_with_plan(
        "Les Amis du Jardin",
        department=charente,
        keys=[BACKUP, WEBSITE],
        members=[("alice@jardin.example", True), ("bob@jardin.example", False)],
    )
    # Same action but marked "pas pour nous"; another only with another action; another
    # department; an association without any opted-in member.
    done, (carla,) = association_with_plan(
        "Club fermé",
        department=charente,
        keys=[BACKUP],
        status=PlanStatus.NOT_FOR_US,
        members=[("carla@club.example", True)],
    )
    website, (dan,) = association_with_plan(
        "Site seulement",
        department=charente,
        keys=[WEBSITE],
        members=[("dan@site.example", True)],
    )
    far, (eve,) = association_with_plan(
        "Bordeaux Solidaire",
        department=gironde,
        keys=[BACKUP],
        members=[("eve@bordeaux.example", True)],
    )
    silent, _people = association_with_plan(
        "Silencieuse", department=charente, keys=[BACKUP], members=[("sam@s.example", False)]
    )
    client = Client()
    client.force_login(editor)
    return {
        "event": event,
        "editor": editor,
        "client": client,
        "alice": alice,
        "jardin": jardin,
        "silent": silent,
        "charente": charente,
        "url": f"/agenda/{event.pk}/inviter/",
    }


def _send(client, url, department="16", capture=None):
    with capture(execute=True):
        return client.post(url, {"department": department})


def test_only_opted_in_members_of_matching_associations_receive_it_once(
    setting, django_capture_on_commit_callbacks
):
    client, url = setting["client"], setting["url"]
    response = _send(client, url, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["alice@jardin.example"]]
    page = unescape(client.get(url).content.decode())
    assert "Invitation envoyée à 1 association (1 personne)." in page
    # Counts only: no association's name, no member's address on the organiser's page.
    for secret in ("Amis du Jardin", "alice@", "Silencieuse", "Club fermé"):
        assert secret not in page
    assert EventInvitation.objects.filter(event=setting["event"]).count() == 1

    # Again: nobody is invited twice; a member who opts in later is reached next time.
    mail.outbox.clear()
    _send(client, url, capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert "Aucune nouvelle association à inviter" in unescape(client.get(url).content.decode())
    silent_member = UserFactory(email="sam@s.example")
    silent_member.event_invitations_opt_in = True
    silent_member.save()
    _send(client, url, capture=django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["sam@s.example"]]
    rounds = list(InvitationRound.objects.filter(event=setting["event"]).order_by("pk"))
    assert [(r.associations, r.recipients) for r in rounds] == [(1, 1), (0, 0), (1, 1)]
    page = unescape(client.get(url).content.decode())
    assert "2 associations invitées en tout." in page


def test_another_department_reaches_its_own_associations(
    setting, django_capture_on_commit_callbacks
):
    _send(setting["client"], setting["url"], "33", capture=django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["eve@bordeaux.example"]]


def test_the_email_names_the_event_the_action_and_the_way_out(
    setting, django_capture_on_commit_callbacks
):
    _send(setting["client"], setting["url"], capture=django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.subject == "Invitation : Atelier : gérer ses adhésions"
    body = message.body
    assert "Numérique en Charente vous invite : Atelier « Atelier : gérer ses adhésions »" in body
    assert "plan d'action de Les Amis du Jardin" in body
    assert f"- {title_of(BACKUP)}" in body
    assert title_of(WEBSITE) not in body  # an action of the plan the event does not serve
    assert f"/agenda/{setting['event'].pk}/" in body
    assert "/compte/" in body and "décochez la case" in body
    assert "L'organisateur ne sait pas à qui" in body


def test_no_email_when_the_person_turned_invitations_off_before_sending(setting):
    round_ = InvitationRound.objects.create(event=setting["event"], department_code="16")
    EventInvitation.objects.create(
        round=round_, event=setting["event"], organisation=setting["jardin"]
    )
    alice = setting["alice"]
    assert invitations.plan_invitation(invitation_round=round_.pk, user=alice.pk) is not None
    alice.event_invitations_opt_in = False
    alice.save()
    assert invitations.plan_invitation(invitation_round=round_.pk, user=alice.pk) is None


def test_refused_for_a_draft_or_an_event_serving_no_action(setting):
    structure, editor, place = make_structure(email="autre@charente.example", slug="autre")
    draft = make_event(structure=structure, place=place, publish=False, plan_actions=[BACKUP])
    plain = make_event(structure=structure, place=place)
    for event, words in ((draft, "Publiez d'abord"), (plain, "actions du plan d'action")):
        with pytest.raises(AgendaError, match=words):
            invitations.invite_associations(event=event, actor=editor, department_code="16")
        client = Client()
        client.force_login(editor)
        response = client.post(f"/agenda/{event.pk}/inviter/", {"department": "16"})
        assert response.status_code == 400
        assert words in unescape(response.content.decode())
    assert not InvitationRound.objects.exists()


def test_roles_an_organiser_of_another_structure_is_refused(setting):
    url = setting["url"]
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/compte/connexion/" in anonymous["Location"]
    _other, other_editor, _place = make_structure(email="autre@structure.example", slug="autre")
    member = UserFactory()
    MembershipFactory(user=member, organisation=setting["jardin"])
    for person in (other_editor, member, UserFactory()):
        client = Client()
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"department": "16"}).status_code == 404
        with pytest.raises(AgendaError):
            invitations.invite_associations(
                event=setting["event"], actor=person, department_code="16"
            )
    assert not InvitationRound.objects.exists()
    team = Client()
    team.force_login(StaffFactory())
    assert team.get(url).status_code == 200
    assert setting["client"].get(url).status_code == 200


def test_rate_limited_per_event(setting, django_capture_on_commit_callbacks):
    client = setting["client"]
    for _ in range(3):
        assert (
            _send(client, setting["url"], capture=django_capture_on_commit_callbacks).status_code
            == 302
        )
    response = client.post(setting["url"], {"department": "16"})
    assert response.status_code == 429
    assert "Trop de demandes" in unescape(response.content.decode())
    assert InvitationRound.objects.count() == 3


def test_an_unknown_department_is_a_french_error(setting):
    response = setting["client"].post(setting["url"], {"department": "999"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in unescape(response.content.decode())
    assert not InvitationRound.objects.exists()


def test_opt_in_is_off_by_default_set_on_the_account_and_in_the_export():
    user = UserFactory()
    assert user.event_invitations_opt_in is False
    client = Client()
    client.force_login(user)
    page = unescape(client.get("/compte/").content.decode())
    assert (
        "Recevoir les invitations aux événements qui correspondent au plan d'action de mon "
        "association" in page
    )
    response = client.post("/compte/", {"display_name": "Awa", "event_invitations_opt_in": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.event_invitations_opt_in is True
    assert collect(user)["compte"]["utilisateur"]["invitations_aux_evenements_du_plan"] is True
    client.post("/compte/", {"display_name": "Awa"})
    user.refresh_from_db()
    assert user.event_invitations_opt_in is False


def test_the_event_page_offers_the_invitation_to_its_organisers_only(setting):
    event_url = f"/agenda/{setting['event'].pk}/"
    assert setting["url"] in setting["client"].get(event_url).content.decode()
    assert setting["url"] not in Client().get(event_url).content.decode()


def test_an_unconfirmed_or_inactive_member_is_not_reached(
    setting, django_capture_on_commit_callbacks
):
    association, (pending,) = association_with_plan(
        "Non confirmée",
        department=setting["charente"],
        keys=[BACKUP],
        members=[("pending@n.example", True)],
    )
    pending.email_confirmed_at = None
    pending.save()
    _send(setting["client"], setting["url"], capture=django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["alice@jardin.example"]]
    assert not EventInvitation.objects.filter(organisation=association).exists()
