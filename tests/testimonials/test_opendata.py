import csv
import io

import pytest

from .factories import StoryFactory, link

pytestmark = pytest.mark.django_db


def test_exports_list_published_ones_with_licence_and_without_anonymous_names(
    client, association, tools
):
    named = StoryFactory(organisation=association, title='=HYPERLINK("http://x")')
    link(named, tools["drive"], role="before")
    link(named, tools["nextcloud"])
    StoryFactory(
        organisation=association, title="Anonyme", display_mode="anonymous", consent_names=False
    )
    StoryFactory(title="En attente", moderation_status="submitted")

    data = client.get("/temoignages/export.json").json()
    assert data["licence"] == "etalab-2.0"
    rows = {r["titre"]: r for r in data["temoignages"]}
    assert set(rows) == {named.title, "Anonyme"}
    assert rows[named.title]["outils_avant"] == ["google-drive"]
    assert rows[named.title]["outils_apres"] == ["nextcloud"]
    assert rows["Anonyme"]["association"] == ""
    assert "Crampons" not in str(rows["Anonyme"])

    response = client.get("/temoignages/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    reader = list(csv.DictReader(io.StringIO(response.content.decode())))
    titles = {r["titre"] for r in reader}
    assert '\'=HYPERLINK("http://x")' in titles
    assert client.get("/temoignages/export.xml").status_code == 404


def test_api_lists_tools_with_roles_and_hides_unpublished(client, association, tools):
    story = StoryFactory(organisation=association)
    link(story, tools["drive"], role="before")
    link(story, tools["nextcloud"])
    hidden = StoryFactory(moderation_status="withdrawn")
    data = client.get("/api/v1/testimonials").json()
    assert data["count"] == 1
    item = data["results"][0]
    assert {(t["slug"], t["role"]) for t in item["tools"]} == {
        ("google-drive", "before"),
        ("nextcloud", "after"),
    }
    detail = client.get(f"/api/v1/testimonials/{story.pk}").json()
    assert detail["problem"] == story.problem
    assert client.get(f"/api/v1/testimonials/{hidden.pk}").status_code == 404
    assert client.get("/api/v1/testimonials/abc").status_code in (400, 404, 422)
    assert client.get("/api/v1/testimonials", {"tool": "nextcloud"}).json()["count"] == 1
    assert client.get("/api/v1/testimonials", {"sector": "culture"}).json()["count"] == 0


def test_api_anonymous_item_has_no_association_name(client, association):
    StoryFactory(organisation=association, display_mode="anonymous", consent_names=False)
    item = client.get("/api/v1/testimonials").json()["results"][0]
    assert item["association"] == "" and item["presentation"].startswith("Une association")
