"""The issue's "Done when", as a new user would: a member submits a testimonial with an
image, a moderator publishes it, it appears on the list, the tool's page and in search;
withdrawal removes it everywhere."""

import pytest

from ressourcerie.core import search
from ressourcerie.core.models import ModerationStatus
from ressourcerie.testimonials.models import Testimonial

from .factories import image_file

pytestmark = pytest.mark.django_db

FORM = {
    "display_mode": "named",
    "consent_names": "on",
    "sector": "sport",
    "members_band": "51-200",
    "title": "Du Google Drive éparpillé à Nextcloud",
    "problem": "Nos **documents** étaient dans cinq Google Drive personnels.",
    "actions": "Un espace Nextcloud chez un hébergeur associatif, deux ateliers.",
    "tools_before": "Google Drive",
    "tools_after": "nextcloud",
    "cost_note": "0 €",
    "time_spent": "3 mois",
}


def _visible_everywhere(client, testimonial, title):
    listing = client.get("/temoignages/").content.decode()
    tool_page = client.get("/outils/nextcloud/").content.decode()
    found = search.find("Nextcloud éparpillé", types=["testimonial"])
    site_search = client.get("/recherche/", {"q": "éparpillé"}).content.decode()
    api = client.get("/api/v1/testimonials").json()
    export = client.get("/temoignages/export.csv").content.decode()
    return {
        "list": title in listing,
        "tool": title in tool_page,
        "search": [h.object_id for h in found.items] == [str(testimonial.pk)],
        "site_search": title in site_search,
        "api": [r["id"] for r in api["results"]] == [testimonial.pk],
        "export": title in export,
        "detail": client.get(testimonial.get_absolute_url()).status_code == 200,
    }


def test_member_submits_moderator_publishes_then_withdrawal_removes_everywhere(
    client, member, moderator, tools, actor, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(member)
    response = client.post(
        "/temoignages/raconter/",
        {**FORM, "organisation": member.memberships.get().organisation_id, "actors": [actor.pk]},
    )
    testimonial = Testimonial.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/temoignages/{testimonial.pk}/images/"
    assert testimonial.moderation_status == ModerationStatus.SUBMITTED
    assert testimonial.tools_before == [tools["drive"]]
    assert testimonial.tools_after == [tools["nextcloud"]]

    response = client.post(
        f"/temoignages/{testimonial.pk}/images/",
        {"image": image_file(), "alt": "L'équipe devant le nouvel espace de fichiers"},
    )
    assert response.status_code == 302
    image = testimonial.images.get()
    assert max(image.width, image.height) <= 1600

    # Pending: nobody else sees it.
    client.logout()
    assert not any(_visible_everywhere(client, testimonial, FORM["title"]).values())

    client.force_login(moderator)
    queue = client.get("/gestion/moderation/").content.decode()
    assert FORM["title"] in queue
    with django_capture_on_commit_callbacks(execute=True):
        prefix = f"testimonials.testimonial-{testimonial.pk}"
        response = client.post(
            f"/gestion/moderation/testimonials.testimonial/{testimonial.pk}/",
            {f"{prefix}-decision": "published", f"{prefix}-reason": ""},
        )
    assert response.status_code == 302
    testimonial.refresh_from_db()
    assert testimonial.moderation_status == ModerationStatus.PUBLISHED
    assert "acceptée" in mailoutbox[-1].body
    client.logout()
    visible = _visible_everywhere(client, testimonial, FORM["title"])
    assert all(visible.values()), visible
    page = client.get(testimonial.get_absolute_url()).content.decode()
    assert 'loading="lazy"' in page and "L&#x27;équipe devant" in page
    assert (
        "PANA Loire-Atlantique"
        in client.get("/associations/pana-loire-atlantique/").content.decode()
    )

    client.force_login(member)
    response = client.post(f"/temoignages/{testimonial.pk}/retirer/")
    assert response.status_code == 302
    testimonial.refresh_from_db()
    assert testimonial.moderation_status == ModerationStatus.WITHDRAWN
    client.logout()
    visible = _visible_everywhere(client, testimonial, FORM["title"])
    assert not any(visible.values()), visible
    assert client.get(f"/api/v1/testimonials/{testimonial.pk}").status_code == 404
