"""The refurbisher's workshop refused to someone without the role says which role, that the
team grants it and how to ask (``core.refusals``), instead of a bare « Accès refusé »."""

import pytest
from django.urls import reverse

from .factories import make_association_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "method, url", [("get", "/dons/atelier/"), ("post", "/dons/atelier/zone/")]
)
def test_workshop_without_the_refurbisher_role_names_it_and_who_grants_it(client, method, url):
    _association, member = make_association_member()
    client.force_login(member)
    response = getattr(client, method)(url)
    assert response.status_code == 403
    text = response.content.decode()
    assert "Accès refusé" not in text
    assert "Le rôle de reconditionneur" in text
    assert "L&#x27;équipe de la plateforme, après avoir vérifié la structure." in text
    assert reverse("core:contact") in text


def test_anonymous_visitor_still_goes_to_sign_in(client):
    response = client.get("/dons/atelier/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
