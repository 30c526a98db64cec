import csv
import io
import re
from email import message_from_bytes, policy

import pytest
from django.core import mail

from ressourcerie.core.tokens import read_signed_ids as read_ids
from ressourcerie.newsletter import blocks, dispatch, rendering, sending
from ressourcerie.newsletter.blocks import BlockItem
from ressourcerie.newsletter.models import Edition, EditionStatus, Subscriber
from ressourcerie.newsletter.rendering import EditionRenderer
from tests.factories import DepartmentFactory, StaffFactory, UserFactory

from .factories import EditionFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_block():
    """A test-only block: main ships no part with content to announce yet."""

    def builder(start, end, department):
        where = department.code if department else "toute la région"
        return [BlockItem(title=f"Atelier ({where})", url="/agenda/atelier/", text="Le 3 mars")]

    blocks.register("test-evenements", "Prochains événements", "evenements", builder)
    yield
    blocks.unregister("test-evenements")


def test_block_registry_filters_by_topic_and_department(event_block, smtp_sink):
    loire = DepartmentFactory()
    SubscriberFactory(email="evt@example.org", topics=",evenements,", department=loire)
    SubscriberFactory(email="outils@example.org", topics=",outils,")
    edition = EditionFactory(blocks=["test-evenements"])
    dispatch.start_sending(edition=edition, enqueue=False)
    sending.send_pending(edition.pk)
    bodies = {
        r[0]: m.get_body(("plain",)).get_content()
        for (r, _raw), m in zip(
            smtp_sink.recorder.messages, smtp_sink.recorder.parsed(), strict=True
        )
    }
    assert "Atelier (44)" in bodies["evt@example.org"]
    assert "https://lettre.example.org/agenda/atelier/" in bodies["evt@example.org"]
    assert "Atelier" not in bodies["outils@example.org"]


def test_register_refuses_unknown_topic():
    with pytest.raises(ValueError):
        blocks.register("x", "X", "inconnu", lambda s, e, d: [])


def test_message_is_small_readable_and_untracked():
    edition = EditionFactory(
        body="Texte avec ![image](https://exemple.org/pixel.png) et un [lien](https://exemple.org/page)"
    )
    raw = EditionRenderer(edition).message(
        delivery_id=1,
        email="a@example.org",
        topics=",outils,",
        department_id=None,
        subscriber_id=1,
        token_version=1,
    )
    assert len(raw) < 100_000
    message = message_from_bytes(raw, policy=policy.default)
    html = message.get_body(("html",)).get_content()
    assert "<img" not in html  # no images, hence no pixel
    assert 'href="https://exemple.org/page"' in html  # links are not rewritten
    assert "Texte avec" in message.get_body(("plain",)).get_content()


def test_subject_with_newline_is_refused(client):
    client.force_login(StaffFactory())
    response = client.post(
        "/gestion/lettre/nouvelle/", {"subject": "Bonjour\r\nBcc: x@example.org", "body": "x"}
    )
    assert response.status_code == 200
    assert not Edition.objects.exists()


def test_staff_writes_previews_tests_and_schedules(client, settings):
    staff = StaffFactory(email="equipe@example.org")
    client.force_login(staff)
    response = client.post("/gestion/lettre/nouvelle/", {"subject": "Mars", "body": "**Gras**"})
    edition = Edition.objects.get()
    assert response.status_code == 302
    page = client.get(f"/gestion/lettre/{edition.pk}/").content.decode()
    assert "<strong>Gras</strong>" in page and "**Gras**" in page  # HTML and text previews
    client.post(f"/gestion/lettre/{edition.pk}/test/")
    assert mail.outbox[0].to == ["equipe@example.org"]
    client.post(f"/gestion/lettre/{edition.pk}/schedule/", {"scheduled_at": "2099-01-01T10:00"})
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SCHEDULED


def test_due_scheduled_edition_is_started_by_dispatch(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    SubscriberFactory()
    edition = EditionFactory(
        status=EditionStatus.SCHEDULED, scheduled_at=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.dispatch_due()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT and edition.sent_count == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/gestion/lettre/",
        "/gestion/lettre/nouvelle/",
        "/gestion/lettre/abonnes/",
        "/gestion/lettre/abonnes/export.csv",
    ],
)
def test_strangers_are_refused_staff_pages(client, url):
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_staff_exports_counts_and_deletes(client):
    client.force_login(StaffFactory())
    SubscriberFactory(email="=cmd@example.org", topics=",dons,", department=DepartmentFactory())
    SubscriberFactory(email="b@example.org", topics=",outils,")
    page = client.get("/gestion/lettre/abonnes/").content.decode()
    assert "Loire-Atlantique" in page
    rows = list(
        csv.reader(io.StringIO(client.get("/gestion/lettre/abonnes/export.csv").content.decode()))
    )
    assert rows[1][0] == "'=cmd@example.org"
    client.post("/gestion/lettre/abonnes/", {"email": "B@example.org"})
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["=cmd@example.org"]


def test_archives_and_feed_show_sent_editions_without_personal_parts(client):
    sent = EditionFactory(subject="Lettre de février", status=EditionStatus.SENT)
    from django.utils import timezone

    Edition.objects.filter(pk=sent.pk).update(sent_at=timezone.now())
    EditionFactory(subject="Brouillon secret")
    listing = client.get("/lettre/archives/").content.decode()
    assert "Lettre de février" in listing and "Brouillon secret" not in listing
    detail = client.get(f"/lettre/archives/{sent.pk}/").content.decode()
    assert "/lettre/desinscription/" not in detail
    feed = client.get("/lettre/archives/atom.xml")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Lettre de février" in feed.content.decode()
    draft = Edition.objects.get(subject="Brouillon secret")
    assert client.get(f"/lettre/archives/{draft.pk}/").status_code == 404


def test_message_links_are_this_subscribers_signed_links(settings):
    settings.SITE_URL = "https://lettre.example.org"
    edition = EditionFactory()
    raw = EditionRenderer(edition).message(
        delivery_id=7,
        email="a@example.org",
        topics=",outils,",
        department_id=None,
        subscriber_id=42,
        token_version=3,
    )
    message = message_from_bytes(raw, policy=policy.default)
    text = message.get_body(("plain",)).get_content()
    site = "https://lettre.example.org"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{site}/lettre/desinscription/") and unsubscribe in text
    token = unsubscribe.removeprefix(f"{site}/lettre/desinscription/").rstrip("/")
    assert read_ids(token, salt="newsletter.unsubscribe", invalid=ValueError) == [42, 3, edition.pk]
    preferences = re.search(rf"{site}/lettre/preferences/([^/\s]+)/", text).group(1)
    assert read_ids(preferences, salt="newsletter.preferences", invalid=ValueError) == [42, 3]
    assert message["Message-ID"] == rendering.message_id(edition.pk, 7)


@pytest.mark.parametrize("site", ["https://lettre.example.org", "https://" + "long-" * 12 + ".org"])
def test_each_message_carries_its_own_links_whatever_their_length(settings, site):
    """The body is encoded once per variant and the links copied in: every recipient must
    still read exactly its own links, and no quoted-printable line exceed 76 characters."""
    settings.SITE_URL = site
    renderer = EditionRenderer(EditionFactory(body="Des **nouvelles** du mois : é" * 30))
    text, html = renderer.variant(",outils,", None)
    for subscriber_id in [1, 9, 10, 99, 4321, 10**9, 10**12]:
        for version in [1, 10, 12345]:
            raw = renderer.message(
                delivery_id=subscriber_id,
                email="a@example.org",
                topics=",outils,",
                department_id=None,
                subscriber_id=subscriber_id,
                token_version=version,
            )
            unsub, prefs = renderer.links(subscriber_id, version)
            message = message_from_bytes(raw, policy=policy.default)
            assert message["List-Unsubscribe"] == f"<{unsub}>"
            for kind, expected in [("plain", text), ("html", html)]:
                content = message.get_body((kind,)).get_content().replace("\r\n", "\n")
                expected = expected.replace(rendering.UNSUB, unsub).replace(rendering.PREFS, prefs)
                assert content == expected.replace("\r\n", "\n")
            body = raw.split(b"\r\n\r\n", 1)[1]
            assert max(len(line) for line in body.split(b"\r\n")) <= 76
