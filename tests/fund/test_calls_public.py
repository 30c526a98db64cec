"""Public call pages: the list by section, one page per call, the Atom feed, the newsletter
block, and for a signed-in member the eligibility answer per association before any form."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from ressourcerie.fund.models import CallStatus, RequestedDocument
from ressourcerie.fund.registrations import open_calls
from ressourcerie.newsletter import blocks
from tests.factories import StaffFactory

from .call_factories import (
    association,
    bourges,
    completed_diagnostic,
    department,
    make_call,
    member_of,
    small_village,
    tours,
)

pytestmark = pytest.mark.django_db


def _page(client, call):
    response = client.get(reverse("fund:call_detail", args=[call.slug]))
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_list_sorts_calls_into_open_upcoming_and_closed(client):
    today = timezone.localdate()
    make_call(title="Appel ouvert", slug="ouvert")
    make_call(
        title="Appel à venir",
        slug="a-venir",
        status=CallStatus.PUBLISHED,
        opens_on=today + timedelta(days=10),
        closes_on=today + timedelta(days=40),
    )
    make_call(title="Appel clos", slug="clos", status=CallStatus.CLOSED)
    make_call(title="Appel brouillon", slug="brouillon", status=CallStatus.DRAFT)
    page = unescape(client.get(reverse("fund:call_list")).content.decode())
    assert page.index("Appel ouvert") < page.index("Appel à venir") < page.index("Appel clos")
    assert "Appel brouillon" not in page


def test_the_list_has_an_empty_state(client):
    page = unescape(client.get(reverse("fund:call_list")).content.decode())
    assert "Aucun appel n'est publié pour le moment." in page


def test_a_call_page_shows_budget_dates_rules_priorities_documents_and_grid(client):
    call = make_call(members_bands=["1-10"], sectors=["culture"], checklist=["Nous avons lu."])
    RequestedDocument.objects.create(call=call, label="Statuts", help_text="À jour")
    page = _page(client, call)
    assert "<h2>Objectif</h2>" in page and "<strong>petites</strong>" in page  # Markdown
    assert "10\u00a0000 € et 20 jours d'accompagnement" in page
    assert "valorisée 450 €" in page
    assert "Départements : Indre-et-Loire (37) et Loiret (45)." in page
    assert "Taille : 1 à 10 membres." in page
    assert "Secteurs : Culture et patrimoine." in page
    assert "Association vérifiée par l'équipe de la plateforme." in page
    assert "jusqu'à 5 jours par association" in page
    assert "Communes rurales (3 points)" in page
    assert "Statuts (obligatoire) — À jour" in page
    assert "Nous avons lu." in page
    assert "Pertinence du projet (poids 2)" in page and "Excellent" in page


def test_anonymous_visitors_are_asked_to_sign_in_and_come_back(client):
    call = make_call()
    page = _page(client, call)
    assert f"/compte/connexion/?next=/fonds/appels/{call.slug}/" in page
    assert "Déposer un dossier" not in page


def test_an_association_of_another_department_is_told_why_before_any_form(client):
    call = make_call()
    organisation = association(bourges(), name="Les Amis de Bourges")
    completed_diagnostic(organisation)
    client.force_login(member_of(organisation))
    page = _page(client, call)
    assert (
        "Votre association est dans le département Cher (18) ; cet appel concerne "
        "Indre-et-Loire (37) et Loiret (45)."
    ) in page
    assert "Pas éligible à cet appel" in page
    assert "Déposer un dossier" not in page


def test_size_sector_and_verification_are_answered_in_french(client):
    call = make_call(members_bands=["1-10"], sectors=["culture"])
    organisation = association(tours(), verified=False, members_band="51-200", sector="sport")
    client.force_login(member_of(organisation))
    page = _page(client, call)
    assert "Votre association n'est pas encore vérifiée par l'équipe" in page
    assert (
        "La taille de votre association (51 à 200 membres) ne correspond pas à cet appel, qui "
        "concerne : 1 à 10 membres."
    ) in page
    assert (
        "Le secteur de votre association (Sport) ne correspond pas à cet appel, qui concerne : "
        "Culture et patrimoine."
    ) in page


def test_an_eligible_association_with_a_recent_diagnostic_may_apply(client):
    call = make_call()
    organisation = association(small_village(), members_band="1-10")
    completed_diagnostic(organisation)
    client.force_login(member_of(organisation))
    page = _page(client, call)
    assert "Éligible" in page and "Département : Loiret." in page
    assert f'action="/fonds/appels/{call.slug}/deposer/"' in page
    assert f'name="organisation" value="{organisation.pk}"' in page


def test_a_missing_or_old_diagnostic_links_to_the_diagnostic(client):
    call = make_call()
    fresh = association(tours(), name="Sans diagnostic")
    client.force_login(member_of(fresh))
    page = _page(client, call)
    assert "pas encore d'autodiagnostic complet" in page
    assert 'href="/autodiagnostic/"' in page and "Déposer un dossier" not in page
    old = association(tours(), name="Diagnostic ancien")
    completed_diagnostic(old, days_ago=400)
    client.force_login(member_of(old))
    page = _page(client, call)
    assert "plus de 12 mois" in page and "Déposer un dossier" not in page


def test_a_draft_is_hidden_from_the_public_but_previewed_by_the_team(client):
    call = make_call(status=CallStatus.DRAFT)
    assert client.get(reverse("fund:call_detail", args=[call.slug])).status_code == 404
    client.force_login(StaffFactory())
    assert "Aperçu pour l'équipe" in _page(client, call)


def test_the_atom_feed_lists_public_calls(client):
    make_call(title="Appel ouvert", slug="ouvert")
    make_call(title="Appel caché", slug="cache", status=CallStatus.DRAFT)
    response = client.get(reverse("fund:call_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = unescape(response.content.decode())
    assert "<title>Appel ouvert (ouvert)</title>" in body
    assert "/fonds/appels/ouvert/" in body
    assert "Appel caché" not in body


def test_the_newsletter_block_lists_open_calls_of_the_department():
    make_call(title="Pour 37 et 45", slug="a")
    make_call(title="Partout", slug="b", departments=())
    make_call(title="Clos", slug="c", status=CallStatus.CLOSED)
    block = blocks.get("appels-en-cours")
    assert block is not None and block.topic == "appels-a-projets"
    everywhere = [item.title for item in open_calls(None, None, None)]
    assert sorted(everywhere) == ["Partout", "Pour 37 et 45"]
    assert [item.title for item in open_calls(None, None, department("18"))] == ["Partout"]
    item = open_calls(None, None, department("37"))[0]
    assert item.url.startswith("/fonds/appels/") and "10\u00a0000 €" in item.text
