from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ressourcerie.testimonials.models import ContactMessage
from tests.factories import MembershipFactory, UserFactory

from .factories import StoryFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Bonjour, combien de temps a pris la migration de vos fichiers ?"


@pytest.fixture
def story(association, member):
    return StoryFactory(organisation=association, submitted_by=member, contact_opt_in=True)


def test_relay_emails_members_with_reply_to_and_shows_no_address(
    client, story, member, association, stranger, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = MembershipFactory(organisation=association).user
    client.force_login(stranger)
    page = client.get(story.get_absolute_url()).content.decode()
    assert member.email not in page and "@" not in page.split("<main")[1].split("</main>")[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{story.get_absolute_url()}contacter/", {"message": MESSAGE})
    assert response.status_code == 302
    [mail] = mailoutbox
    assert sorted(mail.to) == sorted([member.email, colleague.email])
    # The header as sent (core.emails builders give reply_to, as the directory's relay does).
    assert mail.message()["Reply-To"] == stranger.email
    assert MESSAGE in mail.body
    assert ContactMessage.objects.get().sender == stranger


def test_relay_form_only_when_the_association_opted_in(client, association, stranger):
    story = StoryFactory(organisation=association, contact_opt_in=False)
    client.force_login(stranger)
    assert "Poser une question" not in client.get(story.get_absolute_url()).content.decode()
    response = client.post(f"{story.get_absolute_url()}contacter/", {"message": MESSAGE})
    assert response.status_code == 403


def test_anonymous_visitor_is_invited_to_sign_in(client, story):
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Connectez-vous" in page and 'name="message"' not in page
    response = client.post(f"{story.get_absolute_url()}contacter/", {"message": MESSAGE})
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_short_message_is_refused_and_kept(client, story, stranger):
    client.force_login(stranger)
    response = client.post(f"{story.get_absolute_url()}contacter/", {"message": "Salut"})
    assert response.status_code == 400
    assert "Salut" in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_relay_is_rate_limited(client, story, settings):
    settings.RATE_LIMITS_ENABLED = True
    client.force_login(UserFactory())
    statuses = [
        client.post(f"{story.get_absolute_url()}contacter/", {"message": MESSAGE}).status_code
        for _ in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    assert ContactMessage.objects.count() == 5


def test_honeypot_blocks_bots(client, story, stranger):
    client.force_login(stranger)
    client.post(f"{story.get_absolute_url()}contacter/", {"message": MESSAGE, "website_hp": "spam"})
    assert not ContactMessage.objects.exists()


def test_messages_older_than_12_months_are_purged(story, stranger):
    old = ContactMessage.objects.create(
        testimonial=story, sender=stranger, sender_email=stranger.email, message=MESSAGE
    )
    ContactMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=366))
    recent = ContactMessage.objects.create(
        testimonial=story, sender=stranger, sender_email=stranger.email, message=MESSAGE
    )
    call_command("purge_testimonial_messages", verbosity=0)
    assert list(ContactMessage.objects.all()) == [recent]


def test_personal_data_export_and_erasure(story, member, stranger, association):
    from ressourcerie.accounts import personal_data

    ContactMessage.objects.create(
        testimonial=story, sender=stranger, sender_email=stranger.email, message=MESSAGE
    )
    pending = StoryFactory(
        organisation=association, submitted_by=member, moderation_status="submitted"
    )
    data = personal_data.collect(member)["temoignages"]
    assert {t["id"] for t in data["temoignages_proposes"]} == {story.pk, pending.pk}
    sent = personal_data.collect(stranger)["temoignages"]["messages_envoyes_aux_associations"]
    assert sent[0]["message"] == MESSAGE
    personal_data.run_erasure_steps(stranger)
    personal_data.run_erasure_steps(member)
    assert not ContactMessage.objects.exists()
    story.refresh_from_db()  # the association's published story stays
    assert not type(story).objects.filter(pk=pending.pk).exists()


def test_members_of_the_association_see_no_relay_form(client, story, member):
    client.force_login(member)
    assert 'name="message"' not in client.get(story.get_absolute_url()).content.decode()
    response = client.post(f"{story.get_absolute_url()}contacter/", {"message": MESSAGE})
    assert response.status_code == 403


def test_breadcrumbs_name_home_once(client, story):
    page = client.get(story.get_absolute_url()).content.decode()
    assert page.count(">Accueil</a>") == 1
