import pytest
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory

PUBLIC_PAGES = [
    "core:home",
    "core:legal_notice",
    "core:privacy",
    "core:accessibility",
    "core:sitemap",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_renders_in_french(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b'<html lang="fr">' in response.content
    assert b'href="#contenu"' in response.content


@pytest.mark.django_db
def test_unknown_address_gets_french_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_security_headers_are_set(client):
    response = client.get(reverse("core:home"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["core:staff", "core:outbox"])
def test_staff_pages_refuse_strangers(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    client.force_login(UserFactory())
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "Page réservée à l&#x27;équipe de la plateforme" in response.content.decode()


@pytest.mark.django_db
def test_outbox_lists_messages_written_in_development(client, settings):
    from django.core.mail import get_connection, send_mail

    connection = get_connection("ressourcerie.core.mail.OutboxBackend")
    send_mail("Bienvenue", "Bonjour", None, ["a@example.org"], connection=connection)
    client.force_login(StaffFactory())
    page = client.get(reverse("core:outbox")).content.decode()
    assert "Bienvenue" in page and "a@example.org" in page
    name = next((settings.EMAIL_OUTBOX_DIR).iterdir()).name
    detail = client.get(reverse("core:outbox_detail", args=[name])).content.decode()
    assert "Bonjour" in detail
    assert client.get("/gestion/courriels/settings.py/").status_code == 404


@pytest.mark.django_db
def test_server_error_page_is_french_and_standalone(rf):
    from ressourcerie.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Une erreur est survenue" in page and '<html lang="fr">' in page
