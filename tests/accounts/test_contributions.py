"""Mes contributions: everything a person proposed, where it stands, and why."""

import pytest
from django.core import mail

from ressourcerie.core import moderation
from ressourcerie.core.models import ModerationStatus
from ressourcerie.core.organisations import services as organisation_services
from ressourcerie.toolbox.models import Price, Tool
from tests.core.organisation_fixtures import communes, make_moderator  # noqa: F401
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

S = ModerationStatus
PAGE = "/compte/contributions/"


def proposed_tool(user, name="Outil proposé"):
    tool = Tool(
        name=name,
        slug=name.lower().replace(" ", "-"),
        pitch="Un outil libre.",
        licence="MIT",
        price=Price.FREE,
    )
    return moderation.submit(obj=tool, by=user)


def test_the_page_needs_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]


def test_empty_state_says_what_one_can_propose(client):
    client.force_login(UserFactory())
    html = client.get(PAGE).content.decode()
    assert "Vous n'avez encore rien proposé." in html
    assert "/outils/proposer/" in html


def test_lists_only_ones_own_proposals_with_their_status(client, communes):  # noqa: F811
    author, other = UserFactory(), UserFactory()
    proposed_tool(author, "Carnet libre")
    proposed_tool(other, "Outil d'un autre")
    organisation_services.report_correction(
        organisation=OrganisationFactory(name="Vélo nantais"),
        user=author,
        message="L'association a déménagé à Rezé.",
    )
    client.force_login(author)
    html = client.get(PAGE).content.decode()
    assert "Carnet libre" in html and "Outil d&#x27;un autre" not in html
    assert "Vélo nantais" in html
    assert html.count('<span class="tag">En attente de modération</span>') == 2
    assert "Outil proposé" in html and "Correction d&#x27;une organisation" in html


def test_the_teams_reason_is_shown_and_the_mail_points_to_a_page_the_author_can_open(
    client, django_capture_on_commit_callbacks
):
    author = UserFactory(email="autrice@example.org")
    tool = proposed_tool(author, "Carnet libre")
    moderator = make_moderator(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        moderation.transition(
            obj=tool,
            to_status=S.CHANGES_REQUESTED,
            actor=moderator,
            reason="Précisez la licence exacte.",
        )
    client.force_login(author)
    html = client.get(PAGE).content.decode()
    assert "Modifications demandées" in html and "Précisez la licence exacte." in html
    assert '<span class="tag tag-warning">Modifications demandées</span>' in html
    # Not yet published: no link to a page the author could not open.
    assert 'href="/outils/carnet-libre/"' not in html
    body = mail.outbox[-1].body
    assert "/admin/" not in body
    assert "/compte/contributions/" in body


def test_a_published_proposal_links_to_its_public_page(client, django_capture_on_commit_callbacks):
    author = UserFactory()
    tool = proposed_tool(author, "Carnet libre")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.transition(obj=tool, to_status=S.PUBLISHED, actor=make_moderator(UserFactory()))
    client.force_login(author)
    html = client.get(PAGE).content.decode()
    assert 'href="/outils/carnet-libre/"' in html and "Publié" in html
    assert '<span class="tag tag-success">Publié</span>' in html
    assert "/outils/carnet-libre/" in mail.outbox[-1].body


def test_the_page_caps_each_kind_and_says_so(client):
    author = UserFactory()
    for n in range(3):
        proposed_tool(author, f"Outil {n}")
    groups = moderation.submissions_by(author, limit_per_type=2)
    assert [len(g.items) for g in groups] == [2] and groups[0].total == 3
    assert [i.summary.split(" —")[0] for i in groups[0].items] == ["Outil 2", "Outil 1"]


def withdraw_url(tool):
    return f"/compte/contributions/toolbox.tool/{tool.pk}/retirer/"


def test_an_author_withdraws_a_proposal_not_yet_published(client):
    author = UserFactory()
    tool = proposed_tool(author, "Carnet libre")
    client.force_login(author)
    assert withdraw_url(tool) in client.get(PAGE).content.decode()
    confirm = client.get(withdraw_url(tool)).content.decode()
    assert "Retirer définitivement" in confirm and "Carnet libre" in confirm
    response = client.post(withdraw_url(tool), follow=True)
    tool.refresh_from_db()
    assert tool.moderation_status == S.WITHDRAWN
    html = response.content.decode()
    assert "Votre proposition est retirée" in html and "Retiré par son auteur" in html
    assert withdraw_url(tool) not in html  # nothing more to take back


@pytest.mark.parametrize(
    "url",
    [
        "/compte/contributions/toolbox.tool/{pk}/retirer/",  # someone else's
        "/compte/contributions/inconnu.modele/{pk}/retirer/",
        "/compte/contributions/toolbox.tool/abc/retirer/",
        "/compte/contributions/toolbox.tool/99999999999999999999999/retirer/",
    ],
)
def test_withdrawing_what_is_not_ones_own_is_not_found(client, url):
    tool = proposed_tool(UserFactory(), "Outil d'une autre")
    client.force_login(UserFactory())
    assert client.get(url.format(pk=tool.pk)).status_code == 404
    assert client.post(url.format(pk=tool.pk)).status_code == 404
    tool.refresh_from_db()
    assert tool.moderation_status == S.SUBMITTED


def test_a_published_proposal_is_not_withdrawn_from_this_page(client):
    author = UserFactory()
    tool = proposed_tool(author, "Carnet libre")
    moderation.transition(obj=tool, to_status=S.PUBLISHED, actor=make_moderator(UserFactory()))
    client.force_login(author)
    assert client.post(withdraw_url(tool)).status_code == 404
    tool.refresh_from_db()
    assert tool.moderation_status == S.PUBLISHED
