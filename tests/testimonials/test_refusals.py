"""Each testimonial page refused for a missing role says which, who grants it and what to do
next (``core.refusals``), instead of a bare « Accès refusé »."""

from django.urls import reverse

from ressourcerie.core.models import ModerationStatus
from tests.factories import MembershipFactory, OrganisationFactory

from .factories import StoryFactory

BARE = "Accès refusé"


def _refused(response) -> str:
    assert response.status_code == 403
    text = response.content.decode()
    assert BARE not in text
    return text


def test_writing_without_association_offers_to_register_it_and_come_back(client, stranger):
    client.force_login(stranger)
    text = _refused(client.get("/temoignages/raconter/"))
    assert "Un témoignage est écrit au nom d&#x27;une association" in text
    assert "/associations/inscrire/?next=%2Ftemoignages%2Fraconter%2F" in text


def test_a_stranger_editing_or_adding_images_is_told_whose_it_is(client, stranger, association):
    testimonial = StoryFactory(organisation=association)
    client.force_login(stranger)
    for url in ("modifier/", "images/"):
        text = _refused(client.get(f"{testimonial.get_absolute_url()}{url}"))
        assert "Page réservée à la personne qui a écrit ce témoignage" in text
        assert "membre de « Les Crampons nantais »" in text
        assert reverse("core:contact") in text
        assert f'href="{testimonial.get_absolute_url()}"' in text


def test_deleting_an_image_of_someone_else_is_refused_with_the_way_forward(
    client, stranger, association
):
    testimonial = StoryFactory(organisation=association)
    client.force_login(stranger)
    text = _refused(client.post(f"{testimonial.get_absolute_url()}images/1/supprimer/"))
    assert "Page réservée à la personne qui a écrit ce témoignage" in text


def test_the_author_of_a_withdrawn_testimonial_is_offered_to_write_another(
    client, member, association
):
    testimonial = StoryFactory(
        organisation=association,
        submitted_by=member,
        moderation_status=ModerationStatus.WITHDRAWN,
    )
    client.force_login(member)
    text = _refused(client.get(f"{testimonial.get_absolute_url()}modifier/"))
    assert "Ce témoignage ne peut plus être modifié" in text
    assert reverse("testimonials:create") in text


def test_an_author_who_left_the_association_is_told_who_can_invite_them(client, association):
    other = OrganisationFactory(name="Autre club")
    author = MembershipFactory(organisation=other).user
    testimonial = StoryFactory(organisation=association, submitted_by=author)
    client.force_login(author)
    text = _refused(client.get(f"{testimonial.get_absolute_url()}modifier/"))
    assert "Page réservée aux membres de « Les Crampons nantais »" in text
    assert "ils vous invitent depuis sa page" in text


def test_a_moderator_is_sent_to_moderation_rather_than_editing(client, moderator):
    testimonial = StoryFactory()
    client.force_login(moderator)
    text = _refused(client.get(f"{testimonial.get_absolute_url()}modifier/"))
    assert "Seule la personne qui l&#x27;a écrit modifie un témoignage" in text
    assert reverse("core:moderation_queue") in text


def test_withdrawing_someone_elses_testimonial_says_who_may(client, stranger, association):
    testimonial = StoryFactory(organisation=association)
    client.force_login(stranger)
    for response in (
        client.get(f"{testimonial.get_absolute_url()}retirer/"),
        client.post(f"{testimonial.get_absolute_url()}retirer/"),
    ):
        text = _refused(response)
        assert "Seuls l&#x27;auteur et l&#x27;équipe retirent un témoignage" in text
        assert reverse("core:contact") in text


def test_writing_to_ones_own_association_is_refused_with_its_page(client, member, association):
    testimonial = StoryFactory(organisation=association, contact_opt_in=True)
    client.force_login(member)
    text = _refused(
        client.post(f"{testimonial.get_absolute_url()}contacter/", {"message": "Bonjour " * 5})
    )
    assert "Vous êtes membre de « Les Crampons nantais »" in text
    assert association.get_absolute_url() in text


def test_writing_to_an_association_that_declined_contact_says_so(client, stranger, association):
    testimonial = StoryFactory(organisation=association, contact_opt_in=False)
    client.force_login(stranger)
    text = _refused(
        client.post(f"{testimonial.get_absolute_url()}contacter/", {"message": "Bonjour " * 5})
    )
    assert "n&#x27;a pas souhaité être contactée" in text
