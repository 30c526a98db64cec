"""Fonds d'accompagnement, the calls part of the issue's "Done when", in a browser with
JavaScript off: staff open a call (budget 20 days and 10,000 €, priority: rural communes); an
association from another department is told, before any form, that it is not eligible and why.

(axe cannot run without JavaScript: these pages are checked by test_pages.)"""

from datetime import timedelta

from django.utils import timezone

from ressourcerie.fund.models import Call, CallStatus
from tests.factories import StaffFactory
from tests.fund.call_factories import (
    association,
    bourges,
    completed_diagnostic,
    department,
    member_of,
)


def _main(page) -> str:
    return page.locator("main").inner_text()


def test_staff_open_a_call_and_an_association_elsewhere_is_told_why(live_server, no_js_context):
    department("37"), department("45")
    far = association(bourges(), name="Les Amis de Bourges")
    completed_diagnostic(far)
    member = member_of(far)
    today = timezone.localdate()

    # 1. The team creates the call, without JavaScript.
    staff = no_js_context(user=StaffFactory()).new_page()
    staff.set_content("<title>off</title><script>document.title = 'on'</script>")
    assert staff.title() == "off", "JavaScript is not disabled"
    staff.goto(live_server.url + "/fonds/gestion/appels/")
    staff.get_by_role("link", name="Créer un appel").click()
    staff.get_by_label("Titre").fill("Numérique et ruralité 2027")
    staff.get_by_label("Résumé").fill("Des jours d'accompagnement pour les petites communes.")
    staff.get_by_label("Texte de l'appel").fill("## Objectif\n\nAider les associations rurales.")
    staff.get_by_label("Budget en euros").fill("10000")
    staff.get_by_label("Budget en jours").fill("20")
    staff.get_by_label("Valeur d'une journée").fill("450")
    staff.get_by_label("Ouverture le").fill((today - timedelta(days=1)).strftime("%d/%m/%Y"))
    staff.get_by_label("Clôture le").fill((today - timedelta(days=3)).strftime("%d/%m/%Y"))
    staff.get_by_label("Départements éligibles").fill("37, 45")
    priority = staff.get_by_role("group", name="Orientation 1")
    priority.get_by_label("Type d'orientation").select_option(
        label="Commune de moins de N habitants"
    )
    priority.get_by_label("Paramètre").fill("3500")
    priority.get_by_label("Libellé public").fill("Communes rurales")
    priority.get_by_label("Points").fill("3")
    criterion = staff.get_by_role("group", name="Critère 1")
    criterion.get_by_label("Intitulé du critère").fill("Pertinence du projet")
    criterion.get_by_label("Poids").fill("2")
    staff.get_by_role("button", name="Enregistrer l'appel").click()
    # Closing before opening: refused in French, what was typed is kept.
    assert "La clôture ne peut pas précéder l'ouverture." in _main(staff)
    assert staff.get_by_label("Titre").input_value() == "Numérique et ruralité 2027"
    assert (
        staff.get_by_role("group", name="Orientation 1").get_by_label("Paramètre").input_value()
        == "3500"
    )
    staff.get_by_label("Clôture le").fill((today + timedelta(days=40)).strftime("%d/%m/%Y"))
    staff.get_by_role("button", name="Enregistrer l'appel").click()
    assert _main(staff).count("L'appel est enregistré.") == 1
    assert "État : Brouillon" in _main(staff)
    staff.get_by_role("button", name="Ouvrir aux dépôts").click()
    assert _main(staff).count("L'appel est maintenant : Ouvert.") == 1
    call = Call.objects.get()
    assert call.status == CallStatus.OPEN
    assert (call.budget_euros, call.budget_days) == (10000, 20)
    assert call.priorities.get().label == "Communes rurales"

    # 2. Anyone reads the call; anonymous visitors are asked to sign in.
    visitor = no_js_context().new_page()
    visitor.goto(live_server.url + "/fonds/")
    visitor.get_by_role("link", name="Numérique et ruralité 2027").click()
    text = _main(visitor)
    assert "10 000 € et 20 jours d'accompagnement" in text.replace("\u202f", " ").replace(
        "\xa0", " "
    )
    assert "Communes rurales (3 points)" in text
    assert "Connectez-vous" in text

    # 3. A member of an association in the Cher is told why, before any form.
    asso = no_js_context(user=member).new_page()
    asso.goto(live_server.url + call.get_absolute_url())
    text = _main(asso)
    assert "Pas éligible à cet appel" in text
    assert (
        "Votre association est dans le département Cher (18) ; cet appel concerne "
        "Indre-et-Loire (37) et Loiret (45)."
    ) in text
    assert asso.get_by_role("button", name="Déposer un dossier").count() == 0
