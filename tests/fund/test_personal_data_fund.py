"""What the fund holds about a person: exported, then, on erasure, the association's dossier
kept and the person detached from it; an expert opinion loses the expert's name and address."""

import pytest

from ressourcerie.accounts.personal_data import collect
from ressourcerie.accounts.services import delete_account
from ressourcerie.fund.models import Application, ApplicationDocument, ExpertOpinion
from tests.accounts.erasure_fixtures import PROBE_EMAIL, make_fund_traces
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    user = UserFactory(email=PROBE_EMAIL)
    association = OrganisationFactory(name="Les Amis de la Sonde")
    MembershipFactory(user=user, organisation=association)
    make_fund_traces(user, association)
    return user


def test_the_export_holds_the_dossiers_documents_and_opinions(person):
    section = collect(person)["fonds_d_accompagnement"]
    assert section["dossiers_crees"][0]["numero"] == "2026-SONDE2"
    assert section["dossiers_crees"][0]["projet"] == "Former nos bénévoles."
    assert section["documents_envoyes"][0]["nom"] == "budget.pdf"
    assert section["avis_d_expert"][0]["adresse"] == PROBE_EMAIL


def test_erasure_keeps_the_dossier_and_detaches_the_person(person):
    delete_account(user=person)
    application = Application.objects.get(reference="2026-SONDE2")
    assert application.created_by is None
    assert application.project == "Former nos bénévoles."
    assert ApplicationDocument.objects.get().uploaded_by is None
    opinion = ExpertOpinion.objects.get()
    assert opinion.expert_email == "" and "Sonde" not in opinion.expert_name
    assert opinion.opinion == "Avis donné sur le dossier."
