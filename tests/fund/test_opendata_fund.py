"""Open data of the fund: decisions in SCDL « Subventions » v2.1.1 and calls in « Dispositifs
d'aides » v0.2.0, valid against the schemas with frictionless; JSON calls in the API."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from ressourcerie.fund import exports
from ressourcerie.fund.models import Application, ApplicationStatus, CallStatus

from .call_factories import association, make_call, small_village, tours
from .opendata_validation import FIXTURES, validate

pytestmark = pytest.mark.django_db

SCDL = "scdl-subventions-2.1.1.schema.json"
AIDS = "dispositif-aide-0.2.0.schema.json"


@pytest.fixture(autouse=True)
def grantor(settings):
    settings.FUND_GRANTOR_NAME = "Mouvement associatif Centre-Val de Loire"
    settings.FUND_GRANTOR_SIRET = "12345678900012"
    settings.SITE_URL = "https://ressourcerie.example.org"


def decided(call, organisation, status, *, days=None, euros=None, cofunding="", n=0):
    return Application.objects.create(
        call=call,
        organisation=organisation,
        reference=f"2026-ABCDE{n}",
        status=status,
        project="Former nos bénévoles ; contact : jeanne@example.org",
        cofunding=cofunding,
        days_granted=days,
        amount_granted=euros,
        submitted_at=timezone.now(),
        decided_at=timezone.now() if status != ApplicationStatus.IN_REVIEW else None,
    )


def rows(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body)))


def test_the_decisions_export_is_valid_scdl_with_days_in_kind_and_euros_in_cash(client, tmp_path):
    call = make_call(status=CallStatus.CLOSED, day_value_euros=450)
    rural = association(small_village(), name="=Les Amis d'Adon", rna="W451000001")
    town = association(tours(), name="Tours Solidaire", siret="38047555800058")
    third = association(tours(), name="Refusée", rna="W371000003")
    decided(call, rural, ApplicationStatus.ACCEPTED, days=Decimal("3"), n=1)
    decided(
        call,
        town,
        ApplicationStatus.ACCEPTED_WITH_CONDITIONS,
        days=Decimal("2.5"),
        euros=1500,
        cofunding="Commune de Tours",
        n=2,
    )
    decided(call, third, ApplicationStatus.REFUSED, n=3)
    response = client.get("/api/v1/fund/decisions.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert validate(body, SCDL, tmp_path) == []
    by_name = {row["nomBeneficiaire"]: row for row in rows(body)}
    assert set(by_name) == {"'=Les Amis d'Adon", "Tours Solidaire"}  # formula neutralised
    only_days = by_name["'=Les Amis d'Adon"]
    assert (only_days["nature"], only_days["montant"]) == ("aide en nature", "1350")
    assert only_days["rnaBeneficiaire"] == "W451000001" and only_days["cofinancement"] == "non"
    both = by_name["Tours Solidaire"]
    assert both["nature"] == "aide en numéraire;aide en nature"
    assert both["montant"] == "2625"  # 1 500 € + 2,5 days × 450 €
    assert both["idAttribuant"] == "12345678900012" and both["cofinancement"] == "oui"
    assert both["statutLabel"] == "attribuée" and both["pourcentageSubvention"] == "1"
    # No personal data, nor the association's own words.
    assert "jeanne@example.org" not in body and "Former nos bénévoles" not in body
    for row in rows(body):  # the schema's custom check, not run by frictionless
        assert row["idBeneficiaire"] or row["rnaBeneficiaire"]


def test_a_tampered_export_fails_validation(tmp_path):
    """The validation can fail: a wrong nature and a missing grantor are reported."""
    call = make_call(status=CallStatus.CLOSED)
    decided(call, association(tours(), rna="W371000009"), ApplicationStatus.ACCEPTED, days=1)
    body = exports.decisions_csv().replace("aide en nature", "aide en chocolat")
    assert any("constraint-error" in line for line in validate(body, SCDL, tmp_path))


def test_the_calls_export_is_valid_dispositifs_d_aides(client, tmp_path):
    make_call(title="Numérique et ruralité", slug="rural")
    make_call(title="Partout", slug="partout", departments=(), status=CallStatus.CLOSED)
    make_call(title="Brouillon", slug="brouillon", status=CallStatus.DRAFT)
    response = client.get("/api/v1/fund/calls.csv")
    assert response.status_code == 200
    body = response.content.decode()
    assert validate(body, AIDS, tmp_path) == []
    by_title = {row["titre"]: row for row in rows(body)}
    assert set(by_title) == {"Numérique et ruralité", "Partout"}
    rural = by_title["Numérique et ruralité"]
    assert rural["eligibilite_geographique"] == "DEP-37|DEP-45"
    assert by_title["Partout"]["eligibilite_geographique"] == "REG-52"
    assert rural["cibles"] == "associations"
    assert rural["url_source"] == "https://ressourcerie.example.org/fonds/appels/rural/"
    assert "Indre-et-Loire (37)" in rural["eligibilite"]
    again = rows(client.get("/api/v1/fund/calls.csv").content.decode())
    assert {r["id"] for r in again} == {r["id"] for r in by_title.values()}  # stable ids


def test_the_standard_example_validates_with_our_helper(tmp_path):
    body = (FIXTURES / "dispositif-aide-exemple.csv").read_text(encoding="utf-8")
    assert validate(body, AIDS, tmp_path) == []


def test_the_json_calls_list_public_calls_with_rules_and_grid(client):
    make_call(title="Numérique et ruralité", slug="rural")
    make_call(title="Brouillon", slug="brouillon", status=CallStatus.DRAFT)
    data = client.get("/api/v1/fund/calls").json()
    assert data["count"] == 1
    (call,) = data["results"]
    assert call["slug"] == "rural" and call["budget_days"] == 20.0
    assert call["departments"] == ["37", "45"]
    assert call["priorities"] == [{"label": "Communes rurales", "points": 3}]
    assert call["review_grid"][0]["levels"][5] == "Excellent"
    assert call["url"] == "https://ressourcerie.example.org/fonds/appels/rural/"
