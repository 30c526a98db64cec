"""Publishing an event without managing a structure: the refusal says which role, who grants
it and the way in through the directory (``core.refusals``), not a page of its own."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_without_structure_is_sent_to_the_directory_to_claim_their_place(client):
    client.force_login(UserFactory())
    response = client.get(reverse("agenda:create"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "Seules les structures d&#x27;accompagnement publient des événements" in text
    assert "Qui le donne" in text
    assert "Les éditeurs de la structure : ils vous invitent depuis sa page." in text
    assert reverse("directory:near") in text
    assert reverse("core:contact") in text
