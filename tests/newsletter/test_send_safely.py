"""#18 item 9, "The newsletter cannot be sent by mistake": sending asks first with the number
of recipients (a page, no JavaScript), the feedback counts what was queued, the text preview
carries real links, and subscribers are offered only the topics of parts that exist."""

import pytest
from django.apps import apps
from django.contrib.messages import get_messages

from ressourcerie.newsletter import selectors
from ressourcerie.newsletter.models import Edition, EditionStatus, Subscriber, SubscriberStatus
from tests.factories import StaffFactory

from .factories import EditionFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def test_send_now_asks_with_the_number_of_recipients(client):
    client.force_login(StaffFactory())
    edition = EditionFactory()
    SubscriberFactory.create_batch(3)
    SubscriberFactory(status=SubscriberStatus.PENDING)  # not a recipient
    page = client.get(f"/gestion/lettre/{edition.pk}/").content.decode()
    assert f'href="/gestion/lettre/{edition.pk}/envoyer/"' in page  # a link, not a send button
    confirm = client.get(f"/gestion/lettre/{edition.pk}/envoyer/").content.decode()
    assert "3 abonnés confirmés" in confirm
    assert 'name="confirmed" value="1"' in confirm
    assert Edition.objects.get().status == EditionStatus.DRAFT  # asking changed nothing


def test_a_post_without_confirmation_only_leads_to_the_question(client):
    client.force_login(StaffFactory())
    edition = EditionFactory()
    SubscriberFactory()
    response = client.post(f"/gestion/lettre/{edition.pk}/send/")
    assert response["Location"] == f"/gestion/lettre/{edition.pk}/envoyer/"
    assert Edition.objects.get().status == EditionStatus.DRAFT


def test_feedback_says_how_many_were_queued(client):
    client.force_login(StaffFactory())
    edition = EditionFactory()
    SubscriberFactory.create_batch(2)
    response = client.post(f"/gestion/lettre/{edition.pk}/send/", {"confirmed": "1"})
    shown = [m.message for m in get_messages(response.wsgi_request)]
    assert shown == ["L'envoi a commencé : 2 messages sont en file d'attente."]
    assert Edition.objects.get().status == EditionStatus.SENDING


def test_text_preview_shows_real_links_not_placeholders(client):
    client.force_login(StaffFactory())
    edition = EditionFactory()
    page = client.get(f"/gestion/lettre/{edition.pk}/").content.decode()
    assert "@@UNSUBSCRIBE_URL@@" not in page and "@@PREFERENCES_URL@@" not in page
    assert "/lettre/desinscription/" in page and "/lettre/preferences/" in page


def test_only_topics_of_installed_parts_are_offered(client, monkeypatch):
    # An instance without the agenda nor the fund.
    installed = apps.is_installed
    absent = {"ressourcerie.agenda", "ressourcerie.fund"}
    monkeypatch.setattr(
        selectors.apps, "is_installed", lambda name: name not in absent and installed(name)
    )
    codes = [code for code, _label in selectors.offered_topics()]
    assert codes == ["outils", "dons", "temoignages"]
    page = client.get("/lettre/").content.decode()
    assert 'value="outils"' in page
    assert 'value="evenements"' not in page and 'value="appels-a-projets"' not in page
    client.post("/lettre/", {"email": "a@example.org", "topics": ["evenements"]})
    assert not Subscriber.objects.exists()  # an absent part's topic is refused


def test_every_topic_names_a_part_that_exists_in_the_code():
    for code, part in selectors.TOPIC_PARTS.items():
        assert apps.is_installed(part), f"{code}: {part} is not a part of the platform"
