"""Moderators moderate inside the platform: a review page for every moderated type (the
proposal as it would be published, before/after for a correction), never the Django admin;
authors edit and resubmit what the team sent back for changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ressourcerie.accounts.models import Role
from ressourcerie.core import moderation
from ressourcerie.core.models import ModerationStatus, OrganisationCorrection
from ressourcerie.core.organisations import services as organisation_services
from ressourcerie.toolbox import services as toolbox_services
from ressourcerie.toolbox.models import Price, Tool
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .organisation_fixtures import communes, make_moderator  # noqa: F401

pytestmark = pytest.mark.django_db
S = ModerationStatus


@pytest.fixture
def moderator():
    return make_moderator(UserFactory())


@pytest.fixture
def author():
    return UserFactory(email="auteur@example.org")


def proposed_tool(user):
    tool = Tool(
        name="Carnet libre",
        slug="carnet-libre",
        pitch="Un carnet partagé.",
        licence="MIT",
        price=Price.FREE,
        website="https://carnet.example.org",
    )
    return moderation.submit(obj=tool, by=user)


def review_url(obj):
    return reverse("core:moderation_review", args=[obj._meta.label_lower, obj.pk])


def test_queue_links_each_item_to_its_review_page_never_the_admin(client, moderator, author):
    tool = proposed_tool(author)
    client.force_login(moderator)
    text = client.get(reverse("core:moderation_queue")).content.decode()
    assert review_url(tool) in text
    assert "/gestion/admin/" not in text


def test_a_moderator_reads_a_proposed_tool_as_it_would_be_published(client, moderator, author):
    tool = proposed_tool(author)
    client.force_login(moderator)
    response = client.get(review_url(tool))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Carnet libre" in text and "Un carnet partagé." in text
    assert "https://carnet.example.org" in text
    assert "/gestion/admin/" not in text  # a moderator has no staff account
    assert reverse("core:moderation_decide", args=["toolbox.tool", tool.pk]) in text


def test_a_tool_correction_shows_before_and_after(client, moderator, author):
    tool = Tool.objects.create(
        name="Agenda", slug="agenda", pitch="Ancien résumé.", licence="MIT", price=Price.FREE
    )
    correction = toolbox_services.propose_correction(
        tool=tool, user=author, field="pitch", proposed_value="Nouveau résumé."
    )
    client.force_login(moderator)
    text = client.get(review_url(correction)).content.decode()
    assert "Ce qui change" in text
    assert "<del>Ancien résumé.</del>" in text and "<ins>Nouveau résumé.</ins>" in text


def test_an_organisation_change_shows_before_and_after(client, communes, moderator):  # noqa: F811
    organisation = OrganisationFactory(name="Ancien nom", verified_at=timezone.now())
    member = UserFactory()
    MembershipFactory(user=member, organisation=organisation, role=Role.MEMBER)
    change = organisation_services.propose_organisation_change(
        organisation=organisation, actor=member, changes={"name": "Nouveau nom"}
    )
    client.force_login(moderator)
    text = client.get(review_url(change)).content.decode()
    assert "<del>Ancien nom</del>" in text and "<ins>Nouveau nom</ins>" in text


def test_the_review_page_refuses_members_and_unknown_types(client, communes, author):  # noqa: F811
    correction = organisation_services.report_correction(
        organisation=OrganisationFactory(), user=author, message="Déménagée."
    )
    client.force_login(author)
    assert client.get(review_url(correction)).status_code == 403
    client.force_login(make_moderator(UserFactory()))
    url = reverse("core:moderation_review", args=["inconnu.type", correction.pk])
    assert client.get(url).status_code == 404


def test_author_edits_and_resubmits_after_changes_were_requested(
    client,
    communes,  # noqa: F811
    moderator,
    author,
):
    correction = organisation_services.report_correction(
        organisation=OrganisationFactory(), user=author, message="Déménagée."
    )
    moderation.transition(
        obj=correction, to_status=S.CHANGES_REQUESTED, actor=moderator, reason="Où ?"
    )
    client.force_login(author)
    contributions = client.get(reverse("accounts:contributions")).content.decode()
    edit_url = reverse(
        "accounts:contribution_edit", args=["core.organisationcorrection", correction.pk]
    )
    assert edit_url in contributions
    assert "Où ?" in client.get(edit_url).content.decode()
    response = client.post(edit_url, {"message": "Déménagée au 3 rue des Lilas, Rezé."})
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.message == "Déménagée au 3 rue des Lilas, Rezé."
    assert correction.moderation_status == S.SUBMITTED
    assert [r.to_status for r in moderation.history(correction)][-1] == S.SUBMITTED
    page = client.get(reverse("accounts:contributions")).content.decode()
    assert page.count("Votre proposition modifiée est renvoyée à l&#x27;équipe.") == 1


def test_edit_keeps_what_was_typed_when_it_is_invalid(client, communes, moderator, author):  # noqa: F811
    correction = organisation_services.report_correction(
        organisation=OrganisationFactory(), user=author, message="Déménagée."
    )
    moderation.transition(
        obj=correction, to_status=S.CHANGES_REQUESTED, actor=moderator, reason="Où ?"
    )
    client.force_login(author)
    url = reverse("accounts:contribution_edit", args=["core.organisationcorrection", correction.pk])
    response = client.post(url, {"message": ""})
    assert response.status_code == 400
    assert OrganisationCorrection.objects.get(pk=correction.pk).moderation_status == (
        S.CHANGES_REQUESTED
    )


def test_only_proposals_sent_back_can_be_edited(client, communes, author):  # noqa: F811
    correction = organisation_services.report_correction(
        organisation=OrganisationFactory(), user=author, message="Déménagée."
    )
    url = reverse("accounts:contribution_edit", args=["core.organisationcorrection", correction.pk])
    client.force_login(author)
    assert client.get(url).status_code == 404  # still submitted
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404  # someone else's


def test_typed_fields_leave_out_moderation_and_relations():
    fields = moderation.typed_fields(OrganisationCorrection)
    assert fields == ["message"]


def test_markdown_fields_are_shown_as_they_would_be_published(client, moderator, author):
    tool = Tool(
        name="Carnet libre",
        slug="carnet-libre",
        pitch="Un carnet partagé.",
        description="Pour **noter** à plusieurs :\n\n- les idées\n- les comptes rendus",
        licence="MIT",
        price=Price.FREE,
    )
    tool = moderation.submit(obj=tool, by=author)
    client.force_login(moderator)
    text = client.get(review_url(tool)).content.decode()
    assert "<strong>noter</strong>" in text
    assert "<li>les idées</li>" in text
    assert "**noter**" not in text
    assert "Un carnet partagé." in text  # plain fields stay plain text


def test_a_correction_of_a_markdown_field_renders_both_versions(client, moderator, author):
    tool = Tool.objects.create(
        name="Agenda",
        slug="agenda",
        pitch="Un agenda.",
        description="Ancienne *description*.",
        licence="MIT",
        price=Price.FREE,
    )
    correction = toolbox_services.propose_correction(
        tool=tool, user=author, field="description", proposed_value="Nouvelle **description**."
    )
    client.force_login(moderator)
    text = client.get(review_url(correction)).content.decode()
    assert "<em>description</em>" in text and "<strong>description</strong>" in text


def test_markdown_in_a_proposal_is_sanitised(client, moderator, author):
    tool = Tool(
        name="Piège",
        slug="piege",
        pitch="Un résumé.",
        description='Texte <script>alert("x")</script> [lien](javascript:alert(1))',
        licence="MIT",
        price=Price.FREE,
    )
    tool = moderation.submit(obj=tool, by=author)
    client.force_login(moderator)
    text = client.get(review_url(tool)).content.decode()
    assert '<script>alert("x")</script>' not in text
    assert "javascript:alert" not in text


def test_code_lists_and_labels_read_as_on_the_site(client, moderator, author):
    tool = Tool(
        name="Carnet libre",
        slug="carnet-libre",
        pitch="Un carnet partagé.",
        licence="MIT",
        price=Price.FREE,
        languages=",fr,en,",
    )
    tool = moderation.submit(obj=tool, by=author)
    client.force_login(moderator)
    text = client.get(review_url(tool)).content.decode()
    assert "<dd>fr, en</dd>" in text and ",fr,en," not in text
    assert "Licence (identifiant SPDX)" in text
