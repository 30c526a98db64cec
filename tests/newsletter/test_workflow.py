"""The two status machines: every change goes through one transition function, is checked
against the allowed moves and the actor's right, and leaves one history row."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.utils import timezone

from ressourcerie.newsletter import dispatch, services
from ressourcerie.newsletter.models import (
    ConsentAction,
    ConsentRecord,
    Edition,
    EditionStatus,
    EditionTransition,
    Subscriber,
    SubscriberStatus,
)
from ressourcerie.newsletter.services import NewsletterError
from tests.factories import StaffFactory, UserFactory

from .factories import EditionFactory, SubscriberFactory
from .test_smtp_loopback import _send_edition

pytestmark = pytest.mark.django_db

S = SubscriberStatus
E = EditionStatus


def _history(subscriber):
    return list(
        ConsentRecord.objects.filter(subscriber=subscriber).values_list(
            "action", "from_status", "to_status"
        )
    )


def test_each_subscriber_change_leaves_one_record(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = services.subscribe(email="suivi@example.org", topics=["dons"])
        services.subscribe(email="suivi@example.org", topics=["outils"])  # still pending
    assert services.confirm(subscriber=subscriber)
    assert not services.confirm(subscriber=subscriber)  # nothing left to confirm
    assert services.unsubscribe(subscriber=subscriber, source="lien en un clic")
    assert not services.unsubscribe(subscriber=subscriber)  # idempotent, no second row
    assert _history(subscriber) == [
        (ConsentAction.SUBSCRIBE, "", S.PENDING),
        (ConsentAction.SUBSCRIBE, S.PENDING, S.PENDING),
        (ConsentAction.CONFIRM, S.PENDING, S.CONFIRMED),
        (ConsentAction.UNSUBSCRIBE, S.CONFIRMED, S.UNSUBSCRIBED),
    ]
    last = ConsentRecord.objects.filter(subscriber=subscriber).last()
    assert last.source == "lien en un clic" and last.actor is None and last.wording_version


def test_bouncing_address_leaves_a_record_with_the_servers_answer(smtp_sink, settings):
    settings.NEWSLETTER_BOUNCE_LIMIT = 1
    bad = SubscriberFactory(email="inconnu@example.org")
    smtp_sink.recorder.reject["inconnu@example.org"] = "550 5.1.1 No such user"
    _send_edition(EditionFactory())
    bad.refresh_from_db()
    assert bad.status == S.BOUNCING
    record = ConsentRecord.objects.get(subscriber=bad)
    assert (record.action, record.from_status, record.to_status) == (
        ConsentAction.BOUNCE,
        S.CONFIRMED,
        S.BOUNCING,
    )
    assert "550" in record.reason and record.source == services.BOUNCE_SOURCE


def test_bounce_below_the_limit_changes_no_status(smtp_sink, settings):
    settings.NEWSLETTER_BOUNCE_LIMIT = 2
    bad = SubscriberFactory(email="inconnu@example.org")
    smtp_sink.recorder.reject["inconnu@example.org"] = "550 5.1.1 No such user"
    _send_edition(EditionFactory())
    bad.refresh_from_db()
    assert bad.status == S.CONFIRMED and bad.bounce_count == 1
    assert not ConsentRecord.objects.filter(subscriber=bad).exists()


def test_account_subscription_records_who_and_old_links_die():
    user = UserFactory(email="retour@example.org")
    subscriber = SubscriberFactory(email="retour@example.org", status=S.BOUNCING, bounce_count=3)
    services.subscribe_account(user=user, topics=["dons"])
    subscriber.refresh_from_db()
    assert subscriber.status == S.CONFIRMED and subscriber.bounce_count == 0
    assert subscriber.token_version == 2
    record = ConsentRecord.objects.get(subscriber=subscriber)
    assert (record.from_status, record.to_status, record.actor) == (S.BOUNCING, S.CONFIRMED, user)


def test_refused_subscriber_move_raises_the_apps_error():
    subscriber = SubscriberFactory(status=S.UNSUBSCRIBED)
    with pytest.raises(NewsletterError, match="Désinscrit"):
        services.transition_subscriber(
            subscriber=subscriber,
            to_status=S.BOUNCING,
            action=ConsentAction.BOUNCE,
            source="test",
        )
    subscriber.refresh_from_db()
    assert subscriber.status == S.UNSUBSCRIBED
    assert not ConsentRecord.objects.exists()


def test_someone_elses_account_cannot_change_a_subscription():
    subscriber = SubscriberFactory(email="elle@example.org")
    with pytest.raises(NewsletterError):
        services.unsubscribe(subscriber=subscriber, source="compte", actor=UserFactory())
    subscriber.refresh_from_db()
    assert subscriber.status == S.CONFIRMED


def test_edition_moves_are_recorded_with_their_actor(django_capture_on_commit_callbacks):
    staff = StaffFactory()
    SubscriberFactory.create_batch(2)
    edition = EditionFactory()
    at = timezone.now() + timedelta(days=1)
    services.schedule_edition(edition=edition, at=at, by=staff)
    services.schedule_edition(edition=edition, at=at + timedelta(hours=1), by=staff)
    services.unschedule_edition(edition=edition, by=staff)
    dispatch.start_sending(edition=edition, actor=staff, enqueue=False)
    assert edition.status == E.SENDING and edition.recipients_count == 2
    assert list(
        EditionTransition.objects.filter(edition=edition).values_list(
            "from_status", "to_status", "actor"
        )
    ) == [
        (E.DRAFT, E.SCHEDULED, staff.pk),
        (E.SCHEDULED, E.SCHEDULED, staff.pk),
        (E.SCHEDULED, E.DRAFT, staff.pk),
        (E.DRAFT, E.SENDING, staff.pk),
    ]


def test_the_worker_closes_the_edition_and_records_it(smtp_sink):
    SubscriberFactory.create_batch(2)
    edition = EditionFactory()
    report = _send_edition(edition)
    assert report.finished
    last = EditionTransition.objects.filter(edition=edition).last()
    assert (last.from_status, last.to_status, last.actor) == (E.SENDING, E.SENT, None)


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (E.DRAFT, lambda e, u: services.unschedule_edition(edition=e, by=u)),
        (E.SENT, lambda e, u: dispatch.start_sending(edition=e, actor=u, enqueue=False)),
        (E.SENDING, lambda e, u: services.schedule_edition(edition=e, at=_tomorrow(), by=u)),
    ],
)
def test_refused_edition_moves_raise_and_change_nothing(status, move):
    edition = EditionFactory(status=status)
    with pytest.raises(NewsletterError):
        move(edition, StaffFactory())
    assert Edition.objects.get().status == status
    assert not EditionTransition.objects.exists()


def _tomorrow():
    return timezone.now() + timedelta(days=1)


def test_only_the_team_moves_editions_and_only_the_worker_says_sent():
    edition = EditionFactory()
    with pytest.raises(NewsletterError):
        services.schedule_edition(edition=edition, at=_tomorrow(), by=UserFactory())
    assert services.allowed_moves(edition, UserFactory()) == []
    assert services.allowed_moves(edition, AnonymousUser()) == []
    assert services.allowed_moves(edition, StaffFactory()) == [E.SCHEDULED, E.SENDING]
    sending = EditionFactory(status=E.SENDING)
    assert services.allowed_moves(sending, StaffFactory()) == []
    with pytest.raises(NewsletterError):
        services.transition_edition(edition=sending, to_status=E.SENT, actor=StaffFactory())
    assert Edition.objects.get(pk=sending.pk).status == E.SENDING


def test_past_date_is_refused_by_the_service():
    edition = EditionFactory()
    with pytest.raises(NewsletterError, match="à venir"):
        services.schedule_edition(
            edition=edition, at=timezone.now() - timedelta(minutes=1), by=StaffFactory()
        )


def _actions(page):
    # "Envoyer maintenant" leads to the confirmation page (/envoyer/), which posts "send".
    return {
        "send": "/envoyer/" in page,
        **{name: f"/{name}/" in page for name in ("schedule", "unschedule")},
    }


@pytest.mark.parametrize(
    ("status", "send", "schedule", "unschedule", "button"),
    [
        (E.DRAFT, True, True, False, "Envoyer maintenant"),
        (E.SCHEDULED, True, True, True, "Envoyer maintenant"),
        (E.SENDING, True, False, False, "Reprendre l'envoi"),
        (E.SENT, False, False, False, None),
    ],
)
def test_edition_page_offers_the_allowed_moves(client, status, send, schedule, unschedule, button):
    client.force_login(StaffFactory())
    edition = EditionFactory(status=status, scheduled_at=_tomorrow())
    page = client.get(f"/gestion/lettre/{edition.pk}/").content.decode()
    assert _actions(page) == {"send": send, "schedule": schedule, "unschedule": unschedule}
    if button:
        assert button in page


def test_refused_move_is_shown_to_staff_not_a_500(client):
    client.force_login(StaffFactory())
    edition = EditionFactory(status=E.SENT)
    response = client.post(f"/gestion/lettre/{edition.pk}/send/", {"confirmed": "1"})
    assert response.status_code == 302
    shown = [m.message for m in get_messages(response.wsgi_request)]
    assert shown == ["Cette édition est « Envoyée » et ne peut pas passer à « En cours d'envoi »."]
    assert Edition.objects.get().status == E.SENT
    assert not Subscriber.objects.exists() and not EditionTransition.objects.exists()
