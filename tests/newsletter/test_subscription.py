from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from ressourcerie.newsletter import tokens
from ressourcerie.newsletter.models import ConsentRecord, Subscriber, SubscriberStatus
from tests.factories import DepartmentFactory, UserFactory

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def _post(client, callbacks, **data):
    with callbacks(execute=True):
        return client.post("/lettre/", {"topics": ["outils"], **data})


def test_form_states_purpose_and_retention(client):
    page = client.get("/lettre/").content.decode()
    assert "uniquement à vous envoyer cette lettre" in page
    assert "7 jours" in page


@pytest.mark.parametrize(
    "address",
    [
        "pas-une-adresse",
        "a@b",
        "quelqu'un@yopmail.com",
        "x@mail.trashmail.net",
        "victime@example.org\nBcc: autre@example.org",
        "victime@example.org\r\nSubject: x",
    ],
)
def test_refuses_malformed_disposable_or_injected_addresses(
    client, django_capture_on_commit_callbacks, address
):
    response = _post(client, django_capture_on_commit_callbacks, email=address)
    assert response.status_code == 200
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_requires_a_topic_and_keeps_what_was_typed(client):
    response = client.post("/lettre/", {"email": "garde@example.org"})
    content = response.content.decode()
    assert "Choisissez au moins un thème" in content
    assert "garde@example.org" in content


def test_honeypot_refuses_bots(client, django_capture_on_commit_callbacks):
    _post(
        client,
        django_capture_on_commit_callbacks,
        email="bot@example.org",
        website_hp="http://spam",
    )
    assert Subscriber.objects.count() == 0


def test_rate_limit_per_ip(client, django_capture_on_commit_callbacks):
    for i in range(10):
        _post(client, django_capture_on_commit_callbacks, email=f"p{i}@example.org")
    response = _post(client, django_capture_on_commit_callbacks, email="p99@example.org")
    assert response.status_code == 429
    assert Subscriber.objects.count() == 10


def test_confirmed_address_is_not_changed_by_a_stranger(client, django_capture_on_commit_callbacks):
    subscriber = SubscriberFactory(email="deja@example.org", topics=",dons,")
    response = _post(client, django_capture_on_commit_callbacks, email="DEJA@example.org")
    assert response.status_code == 302  # same answer as for a new address
    subscriber.refresh_from_db()
    assert subscriber.topics == ",dons," and subscriber.status == SubscriberStatus.CONFIRMED
    assert "déjà inscrite" in mail.outbox[0].body


def test_subscribe_records_department_and_consent(client, django_capture_on_commit_callbacks):
    department = DepartmentFactory()
    _post(
        client,
        django_capture_on_commit_callbacks,
        email="dep@example.org",
        department=department.pk,
        topics=["dons", "temoignages"],  # topics of installed parts only (#18 item 9)
    )
    subscriber = Subscriber.objects.get()
    assert subscriber.department == department
    assert subscriber.topic_codes == ["dons", "temoignages"]
    consent = ConsentRecord.objects.get()
    assert consent.topics == ",dons,temoignages," and consent.wording_version


def test_expired_confirmation_link_is_refused(client):
    subscriber = SubscriberFactory(status=SubscriberStatus.PENDING)
    token = tokens.for_subscriber(tokens.CONFIRM, subscriber)
    later = timezone.now() + timedelta(days=8)
    with mock.patch("time.time", return_value=later.timestamp()):
        response = client.post(f"/lettre/confirmer/{token}/")
    assert response.status_code == 400
    assert "expiré" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_forged_and_cross_purpose_tokens_are_refused(client):
    subscriber = SubscriberFactory(status=SubscriberStatus.PENDING)
    unsubscribe_token = tokens.for_subscriber(tokens.UNSUBSCRIBE, subscriber)
    assert client.post(f"/lettre/confirmer/{unsubscribe_token}/").status_code == 400
    forged = signing.dumps([subscriber.pk, 1], salt="autre")
    assert client.get(f"/lettre/preferences/{forged}/").status_code == 400
    assert client.post("/lettre/desinscription/n'importe-quoi/").status_code == 400


def test_links_of_messages_sent_before_compact_tokens_still_work(client):
    """Unsubscribe and preference links were ``signing.dumps`` tokens until Dec. 2026."""
    subscriber = SubscriberFactory()
    payload = [subscriber.pk, subscriber.token_version]
    preferences = signing.dumps(payload, salt="newsletter.preferences", compress=False)
    assert client.get(f"/lettre/preferences/{preferences}/").status_code == 200
    unsubscribe = signing.dumps(payload, salt="newsletter.unsubscribe", compress=False)
    assert tokens.for_subscriber(tokens.UNSUBSCRIBE, subscriber) != unsubscribe
    assert client.post(f"/lettre/desinscription/{unsubscribe}/").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_old_links_die_when_the_person_subscribes_again(client, django_capture_on_commit_callbacks):
    subscriber = SubscriberFactory(email="retour@example.org", status=SubscriberStatus.UNSUBSCRIBED)
    old = tokens.for_subscriber(tokens.UNSUBSCRIBE, subscriber)
    _post(client, django_capture_on_commit_callbacks, email="retour@example.org")
    assert client.post(f"/lettre/desinscription/{old}/").status_code == 400


def test_preferences_page_changes_topics_and_leaves(client):
    subscriber = SubscriberFactory()
    url = f"/lettre/preferences/{tokens.for_subscriber(tokens.PREFERENCES, subscriber)}/"
    assert client.get(url).status_code == 200
    client.post(url, {"topics": ["dons"]})
    subscriber.refresh_from_db()
    assert subscriber.topic_codes == ["dons"]
    client.post(url, {"action": "leave"})
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_signed_in_user_subscribes_from_account(client):
    user = UserFactory()
    client.force_login(user)
    assert "/lettre/mon-abonnement/" in client.get("/compte/").content.decode()
    client.post("/lettre/mon-abonnement/", {"topics": ["outils", "dons"]})
    subscriber = Subscriber.objects.get(email=user.email)
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.consents.get().source == "compte"
    client.post("/lettre/mon-abonnement/", {"action": "leave"})
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_account_page_needs_sign_in(client):
    assert client.get("/lettre/mon-abonnement/").status_code == 302


def test_purge_deletes_unconfirmed_after_seven_days():
    old = SubscriberFactory(
        status=SubscriberStatus.PENDING, confirmation_sent_at=timezone.now() - timedelta(days=8)
    )
    recent = SubscriberFactory(
        status=SubscriberStatus.PENDING, confirmation_sent_at=timezone.now() - timedelta(days=6)
    )
    confirmed = SubscriberFactory(confirmation_sent_at=timezone.now() - timedelta(days=30))
    call_command("newsletter_purge")
    remaining = set(Subscriber.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, confirmed.pk}
    assert old.pk not in remaining


def test_email_is_unique_whatever_the_case():
    from django.db import IntegrityError

    SubscriberFactory(email="Casse@example.org")
    with pytest.raises(IntegrityError):
        SubscriberFactory(email="casse@EXAMPLE.org")


def test_topics_filter_works_on_this_database():
    from ressourcerie.newsletter.models import topic_filter

    SubscriberFactory(topics=",outils,dons,")
    SubscriberFactory(topics=",appels-a-projets,")
    assert Subscriber.objects.filter(topic_filter("dons")).count() == 1
    assert Subscriber.objects.filter(topic_filter("outils")).count() == 1
    assert Subscriber.objects.filter(topic_filter("evenements")).count() == 0


def test_personal_data_export_and_erasure():
    from ressourcerie.accounts import personal_data

    user = UserFactory(email="moi@example.org")
    subscriber = SubscriberFactory(email="MOI@example.org")
    ConsentRecord.objects.create(subscriber=subscriber, action="confirm", wording_version="v")
    data = personal_data.collect(user)["lettre_d_information"]
    assert data[0]["adresse_e_mail"] == "MOI@example.org"
    assert data[0]["consentements"][0]["action"] == "confirm"
    personal_data.run_erasure_steps(user)
    assert not Subscriber.objects.exists()
