"""The export of a person with a trace in every part holds each of those traces."""

import json

import pytest

from .erasure_fixtures import PROBE_ADDRESS, PROBE_EMAIL, PROBE_PHONE, make_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported():
    everything = make_everything()
    response = everything.client.get("/compte/mes-donnees/")
    assert response.status_code == 200
    return json.loads(response.content)["donnees"]


def text(section) -> str:
    return json.dumps(section, ensure_ascii=False)


def test_export_holds_donation_offers_and_requests_with_their_contacts(exported):
    donations = text(exported["dons_d_ordinateurs"])
    assert PROBE_ADDRESS in donations
    assert f"Appelez le {PROBE_PHONE} avant de passer." in donations
    assert len(exported["dons_d_ordinateurs"]) == 2  # the one made without an account too
    requests = exported["demandes_d_ordinateurs"]
    assert requests[0]["adresse_e_mail_de_contact"] == PROBE_EMAIL
    assert requests[0]["telephone_de_contact"] == PROBE_PHONE
    assert requests[0]["association"] == "Les Amis de la Sonde"


def test_export_holds_correction_texts_and_place_reports(exported):
    corrections = exported["organisations_et_moderation"]["corrections_proposees"]
    assert corrections[0]["message"].startswith(f"Écrivez-moi à {PROBE_EMAIL}")
    tool_corrections = exported["boite_a_outils"]["corrections_proposees"]
    assert PROBE_PHONE in tool_corrections[0]["proposed_value"]
    reports = {r["message"] for r in exported["directory"]["error_reports"]}
    assert reports == {f"Fermé le lundi. Rappelez-moi au {PROBE_PHONE}.", "Le site a changé."}
    assert PROBE_PHONE in exported["directory"]["claims"][0]["message"]
    assert PROBE_PHONE in exported["directory"]["messages"][0]["body"]


def test_export_holds_diagnostic_answers(exported):
    response = exported["autodiagnostic"][0]
    answers = {a["question"]: a["reponse"] for a in response["reponses"]}
    assert answers["Question 1 ?"] == "Oui"
    assert answers["Suite de la question 1 ?"] == "5"
    assert answers["Question 2 ?"] == "X"


def test_export_holds_testimonial_texts_messages_and_the_newsletter(exported):
    testimonials = exported["temoignages"]
    pending = next(
        t for t in testimonials["temoignages_proposes"] if t["title"] == "Notre passage au libre"
    )
    assert PROBE_EMAIL in pending["problem"]
    assert PROBE_PHONE in testimonials["messages_envoyes_aux_associations"][0]["message"]
    assert exported["lettre_d_information"][0]["adresse_e_mail"] == PROBE_EMAIL


def test_export_holds_invitations_tokens_and_roles(exported):
    account = exported["compte"]
    assert account["invitations_recues"][0]["organisation"] == "Autre association"
    assert account["invitations_envoyees"][0]["adresse_e_mail"] == "invitee@example.org"
    assert account["jetons_api"][0]["nom"] == "Tableur de la Sonde"
    assert {r["role"] for r in account["roles"]} == {"member", "editor", "moderator"}
