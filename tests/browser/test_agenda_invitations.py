"""Invitations that reach the right people (#17 item 8), in a browser with JavaScript off:
a member ticks the invitations on « Mon compte »; the organiser of a Charente workshop that
serves an action of her association's plan invites the associations of Charente and sees
only a count; she gets the e-mail, opens the event from it, registers on behalf of her
association, and her plan page lists the event under the action; once the organiser marks
her present, the plan says the workshop was attended. Only the setup goes through
factories. (axe needs JavaScript: these pages are checked by test_pages.)"""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.agenda.factories import make_event, make_structure
from tests.agenda.plan_factories import BACKUP, association_with_plan, title_of


def test_invitation_journey_without_javascript(live_server, no_js_context):
    structure, editor, place = make_structure()
    association, (alice,) = association_with_plan(
        "Les Amis du Jardin",
        department=place.commune.department,
        keys=[BACKUP],
        commune=place.commune,
        members=[("alice@jardin.example", False)],
    )
    alice.display_name = "Alice Martin"
    alice.save()
    event = make_event(
        structure=structure, place=place, title="Atelier : un référent numérique", capacity=5
    )

    # 1. Alice asks for the invitations on her account (off until she ticks it).
    member = no_js_context(user=alice).new_page()
    member.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert member.title() == "off", "JavaScript is not disabled"
    member.goto(live_server.url + "/compte/")
    box = member.get_by_label(
        "Recevoir les invitations aux événements qui correspondent au plan d'action de mon "
        "association"
    )
    expect(box).not_to_be_checked()
    box.check()
    member.get_by_role("button", name="Enregistrer").first.click()
    expect(member.locator("main")).to_contain_text("Votre profil est enregistré.")

    # 2. The organiser says which action the workshop serves, then invites Charente.
    organiser = no_js_context(user=editor).new_page()
    organiser.goto(f"{live_server.url}/agenda/{event.pk}/modifier/")
    organiser.get_by_label(title_of(BACKUP)).check()
    organiser.get_by_role("button", name="Enregistrer").click()
    expect(organiser.locator("main")).to_contain_text(title_of(BACKUP))
    organiser.get_by_role("link", name="Inviter les associations concernées").click()
    expect(organiser.get_by_label("Département des associations à inviter")).to_have_value("16")
    organiser.get_by_role("button", name="Envoyer les invitations").click()
    main = organiser.locator("main")
    expect(main).to_contain_text("Invitation envoyée à 1 association (1 personne).")
    expect(main).not_to_contain_text("Amis du Jardin")
    expect(main).not_to_contain_text("alice@")

    # 3. Alice reads the e-mail, opens the event and registers for her association.
    (message,) = [m for m in mail.outbox if m.to == ["alice@jardin.example"]]
    assert "plan d'action de Les Amis du Jardin" in message.body
    path = re.search(r"/agenda/\d+/", message.body).group(0)
    member.goto(live_server.url + path)
    member.get_by_label("Au nom de l'association (facultatif)").select_option(
        label="Les Amis du Jardin"
    )
    member.get_by_role("button", name="S'inscrire").click()
    expect(member.locator("main")).to_contain_text("Vous êtes inscrit")

    # 4. Her plan lists the workshop under the action.
    member.goto(live_server.url + "/autodiagnostic/mon-plan/")
    action = member.locator("article", has_text=title_of(BACKUP))
    expect(action.get_by_role("link", name="Atelier : un référent numérique")).to_be_visible()

    # 5. The organiser marks her present: the plan says so, the status stays hers to set.
    organiser.goto(f"{live_server.url}/agenda/{event.pk}/inscrits/")
    organiser.get_by_label("Alice Martin").select_option(label="Présent")
    organiser.get_by_role("button", name="Enregistrer les présences").click()
    member.goto(live_server.url + "/autodiagnostic/mon-plan/")
    expect(action).to_contain_text("Atelier « Atelier : un référent numérique » suivi le")
    expect(action).to_contain_text("par 1 membre")
    expect(action).to_contain_text("À faire")
