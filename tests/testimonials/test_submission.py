import pytest

from ressourcerie.core.models import ModerationStatus
from ressourcerie.testimonials import services
from ressourcerie.testimonials.models import Testimonial

from .factories import StoryFactory, link

pytestmark = pytest.mark.django_db


def _form(association, **overrides):
    data = {
        "organisation": association.pk,
        "display_mode": "named",
        "consent_names": "on",
        "sector": "sport",
        "members_band": "51-200",
        "title": "Nos réunions en visio",
        "problem": "Les réunions à distance étaient pénibles.",
        "actions": "Nous utilisons maintenant Jitsi.",
        "tools_before": "",
        "tools_after": "",
    }
    data.update(overrides)
    return data


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/temoignages/raconter/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_user_without_association_is_told_how_to_join(client, stranger):
    client.force_login(stranger)
    response = client.get("/temoignages/raconter/")
    assert response.status_code == 403
    assert "membre" in response.content.decode()


def test_member_cannot_write_for_another_association(client, member, tools):
    from tests.factories import OrganisationFactory

    other = OrganisationFactory()
    client.force_login(member)
    response = client.post("/temoignages/raconter/", _form(other))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Testimonial.objects.exists()


def test_form_is_prefilled_from_the_association(client, member, association):
    client.force_login(member)
    form = client.get("/temoignages/raconter/").context["form"]
    assert form.initial["sector"] == "sport" and form.initial["members_band"] == "51-200"
    assert form.initial["department"] == association.commune.department_id


def test_named_testimonial_needs_explicit_consent_and_keeps_what_was_typed(
    client, member, association
):
    client.force_login(member)
    response = client.post(
        "/temoignages/raconter/", _form(association, consent_names="", problem="Texte tapé")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cochez cette case pour publier le nom" in page
    assert "Texte tapé" in page
    assert not Testimonial.objects.exists()


def test_anonymous_testimonial_shows_sector_and_size_not_the_name(client, member, association):
    client.force_login(member)
    client.post(
        "/temoignages/raconter/", _form(association, display_mode="anonymous", consent_names="")
    )
    testimonial = Testimonial.objects.get()
    assert testimonial.author_label == "Une association de sport de 51 à 200 membres"
    page = client.get(testimonial.get_absolute_url()).content.decode()
    assert "Les Crampons nantais" not in page


def test_unknown_tool_is_refused_in_french_with_the_name(client, member, association, tools):
    client.force_login(member)
    response = client.post(
        "/temoignages/raconter/", _form(association, tools_after="Nextcloud, Logiciel Fantôme")
    )
    errors = response.context["form"].errors["tools_after"]
    assert "Logiciel Fantôme" in errors[0] and "catalogue" in errors[0]
    assert 'value="Nextcloud, Logiciel Fantôme"' in response.content.decode()


def test_script_in_markdown_is_neutralised(client, member, association):
    client.force_login(member)
    client.post(
        "/temoignages/raconter/",
        _form(
            association,
            problem="<script>alert(1)</script> **gras** [lien](javascript:alert(2))",
            advice='<img src=x onerror="alert(3)">',
        ),
    )
    page = client.get(Testimonial.objects.get().get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page
    assert "<strong>gras</strong>" in page


def test_video_link_is_a_plain_link_without_iframe(client, member, association):
    client.force_login(member)
    client.post(
        "/temoignages/raconter/",
        _form(association, video_url="https://video.example.org/w/abc"),
    )
    page = client.get(Testimonial.objects.get().get_absolute_url()).content.decode()
    assert "<iframe" not in page
    assert 'href="https://video.example.org/w/abc"' in page and "video.example.org" in page


def test_video_link_must_be_https(client, member, association):
    client.force_login(member)
    response = client.post(
        "/temoignages/raconter/", _form(association, video_url="http://video.example.org/x")
    )
    assert "https://" in response.context["form"].errors["video_url"][0]


def test_pending_testimonial_is_hidden_from_others(client, stranger):
    testimonial = StoryFactory(moderation_status=ModerationStatus.SUBMITTED)
    assert client.get(testimonial.get_absolute_url()).status_code == 404
    client.force_login(stranger)
    assert client.get(testimonial.get_absolute_url()).status_code == 404


def test_stranger_cannot_edit_withdraw_or_add_images(client, stranger):
    testimonial = StoryFactory()
    client.force_login(stranger)
    for url in ("modifier/", "images/", "retirer/"):
        assert client.get(f"{testimonial.get_absolute_url()}{url}").status_code == 403
    assert client.post(f"{testimonial.get_absolute_url()}retirer/").status_code == 403
    testimonial.refresh_from_db()
    assert testimonial.is_published


def test_author_edit_of_a_published_testimonial_goes_back_to_moderation(
    client, member, association, tools
):
    testimonial = StoryFactory(organisation=association, submitted_by=member)
    link(testimonial, tools["nextcloud"])
    client.force_login(member)
    data = _form(association, title="Titre corrigé", tools_after="Nextcloud")
    del data["organisation"]
    response = client.post(f"{testimonial.get_absolute_url()}modifier/", data)
    assert response.status_code == 302
    testimonial.refresh_from_db()
    assert testimonial.title == "Titre corrigé"
    assert testimonial.moderation_status == ModerationStatus.SUBMITTED
    client.logout()
    assert "Titre corrigé" not in client.get("/outils/nextcloud/").content.decode()
    assert client.get(testimonial.get_absolute_url()).status_code == 404


def test_moderator_can_withdraw_but_not_edit(client, moderator):
    testimonial = StoryFactory()
    client.force_login(moderator)
    assert client.get(f"{testimonial.get_absolute_url()}modifier/").status_code == 403
    client.post(f"{testimonial.get_absolute_url()}retirer/")
    testimonial.refresh_from_db()
    assert testimonial.moderation_status == ModerationStatus.WITHDRAWN


def test_my_testimonials_lists_every_status(client, member, association):
    StoryFactory(organisation=association, submitted_by=member, title="Publié")
    StoryFactory(
        organisation=association,
        submitted_by=member,
        title="En attente",
        moderation_status=ModerationStatus.SUBMITTED,
    )
    client.force_login(member)
    page = client.get("/temoignages/mes-temoignages/").content.decode()
    assert "Publié" in page and "En attente" in page and "En attente de modération" in page


def test_service_refuses_an_edit_by_someone_else(member, stranger, association):
    from ressourcerie.core.moderation import ModerationError

    testimonial = StoryFactory(organisation=association, submitted_by=member)
    with pytest.raises(ModerationError):
        services.update_testimonial(testimonial=testimonial, user=stranger, data={"title": "X"})


def test_service_refuses_a_story_for_an_association_the_user_is_not_in(stranger, association):
    with pytest.raises(services.TestimonialError) as refused:
        services.submit_testimonial(
            user=stranger, organisation=association, data={"title": "Nos outils"}
        )
    assert refused.value.field == "organisation" and "membres" in refused.value.message
    assert not Testimonial.objects.exists()


def test_image_upload_needs_a_file_and_keeps_the_alt_on_error(client, member, association):
    testimonial = StoryFactory(
        organisation=association, submitted_by=member, moderation_status="submitted"
    )
    client.force_login(member)
    response = client.post(f"{testimonial.get_absolute_url()}images/", {"alt": "Mon texte"})
    assert response.status_code == 200
    assert "obligatoire" in str(response.context["form"].errors["image"])
    assert 'value="Mon texte"' in response.content.decode()
    assert "choisissez à nouveau" in response.content.decode()


def test_moderator_and_author_see_a_pending_testimonial_with_its_status(
    client, moderator, member, association
):
    story = StoryFactory(
        organisation=association, submitted_by=member, moderation_status="submitted"
    )
    for user in (moderator, member):
        client.force_login(user)
        page = client.get(story.get_absolute_url()).content.decode()
        assert "En attente de modération" in page
