"""« Pourquoi c'est prioritaire » is asked only for a priority above « Normale »: a normal
request goes through without it; a high or urgent one without a reason is refused in French,
with everything typed kept."""

import pytest

from ressourcerie.donations.models import DeviceRequest

from .factories import make_association_member

pytestmark = pytest.mark.django_db


def _typed(association, **overrides):
    data = {
        "organisation": association.pk,
        "device_type": "portable",
        "quantity": "3",
        "intended_use": "Ateliers numériques du mardi",
        "beneficiaries": "Douze jeunes en insertion",
        "priority": "1",
        "priority_reason": "",
        "contact_email": "contact@asso.example",
    }
    data.update(overrides)
    return data


def test_a_normal_request_needs_no_reason(client):
    association, member = make_association_member()
    client.force_login(member)
    response = client.post("/dons/demande/", _typed(association))
    assert response.status_code == 302
    request_obj = DeviceRequest.objects.get()
    assert request_obj.priority_reason == ""
    page = client.get(response["Location"]).content.decode()
    assert "Normale —" not in page


@pytest.mark.parametrize("priority, label", [("2", "Élevée"), ("3", "Urgente")])
def test_a_higher_priority_without_reason_is_refused_and_the_input_kept(client, priority, label):
    association, member = make_association_member()
    client.force_login(member)
    response = client.post("/dons/demande/", _typed(association, priority=priority))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Dites pourquoi c&#x27;est prioritaire : une priorité « {label} »" in page
    assert "Ateliers numériques du mardi" in page
    assert 'value="Douze jeunes en insertion"' in page
    assert not DeviceRequest.objects.exists()


def test_a_higher_priority_with_its_reason_goes_through(client):
    association, member = make_association_member()
    client.force_login(member)
    response = client.post(
        "/dons/demande/",
        _typed(association, priority="3", priority_reason="Nos postes datent de 2012"),
    )
    assert response.status_code == 302
    assert DeviceRequest.objects.get().priority_reason == "Nos postes datent de 2012"
