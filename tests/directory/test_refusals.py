"""Editing a listing or saying « toujours à jour » without managing it: the refusal names the
structure that manages it (or says nobody does yet) and offers to claim the listing or report
a mistake (``core.refusals``), instead of a bare « Accès refusé »."""

import pytest
from django.urls import reverse

from ressourcerie.accounts.models import Role
from ressourcerie.core.models import OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db


def _refused(response) -> str:
    assert response.status_code == 403
    text = response.content.decode()
    assert "Accès refusé" not in text
    return text


def _requests(client, place):
    return (
        client.get(f"/acteurs/{place.slug}/modifier/"),
        client.post(f"/acteurs/{place.slug}/modifier/", {"name": "Pris"}),
        client.post(f"/acteurs/{place.slug}/a-jour/"),
    )


def test_a_managed_listing_names_its_structure_and_how_to_join_it(client):
    structure = OrganisationFactory(kind=OrganisationKind.SUPPORT_STRUCTURE, name="Cyber Base")
    MembershipFactory(user=UserFactory(), organisation=structure, role=Role.EDITOR)
    place = PlaceFactory(organisation=structure, name="EPN du centre")
    client.force_login(UserFactory())
    for response in _requests(client, place):
        text = _refused(response)
        assert "Page réservée aux éditeurs de « Cyber Base »" in text
        assert "ils vous invitent depuis sa page" in text
        assert structure.get_absolute_url() in text
        assert reverse("directory:claim", args=[place.slug]) in text
        assert reverse("directory:report", args=[place.slug]) in text
    place.refresh_from_db()
    assert place.name == "EPN du centre"


def test_a_listing_nobody_manages_offers_to_claim_it_first(client):
    place = PlaceFactory(organisation=None)
    client.force_login(UserFactory())
    for response in _requests(client, place):
        text = _refused(response)
        assert "Cette fiche n&#x27;est encore gérée par aucune structure" in text
        assert "un code envoyé à l&#x27;adresse publiée du lieu" in text
        assert reverse("directory:claim", args=[place.slug]) in text
