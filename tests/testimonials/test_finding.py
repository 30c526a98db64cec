from decimal import Decimal

import pytest

from ressourcerie.testimonials import selectors
from ressourcerie.testimonials.models import Testimonial
from tests.factories import CommuneFactory, DepartmentFactory, OrganisationFactory, RegionFactory

from .factories import NeedFactory, StoryFactory, ToolFactory, link

pytestmark = pytest.mark.django_db


def titles(response):
    return [t.title for t in response.context["testimonials"]]


def test_list_filters_by_sector_size_department_tool_and_need(client, tools):
    vendee = DepartmentFactory(code="85", name="Vendée")
    culture = StoryFactory(title="Culture", sector="culture", members_band="11-50")
    sport = StoryFactory(title="Sport", department=vendee)
    link(sport, tools["nextcloud"])
    other_need = NeedFactory(slug="visioconference", name="Visio")
    jitsi = ToolFactory(slug="jitsi-meet", name="Jitsi Meet")
    jitsi.needs.add(other_need)
    link(culture, jitsi)
    assert titles(client.get("/temoignages/", {"secteur": "culture"})) == ["Culture"]
    assert titles(client.get("/temoignages/", {"taille": "51-200"})) == ["Sport"]
    assert titles(client.get("/temoignages/", {"departement": "85"})) == ["Sport"]
    assert titles(client.get("/temoignages/", {"outil": "nextcloud"})) == ["Sport"]
    assert titles(client.get("/temoignages/", {"besoin": "visioconference"})) == ["Culture"]


def test_need_filter_includes_the_parent_need(client, tools):
    from ressourcerie.toolbox.models import Need

    parent = Need.objects.create(slug="collaborer", name="Collaborer")
    tools["need"].parent = parent
    tools["need"].save()
    story = StoryFactory(title="Avec parent")
    link(story, tools["nextcloud"])
    assert titles(client.get("/temoignages/", {"besoin": "collaborer"})) == ["Avec parent"]


def test_full_text_search_with_a_filter(client, tools):
    one = StoryFactory(title="Comptabilité libre", problem="Un tableur ingérable.")
    two = StoryFactory(title="Comptabilité du club", sector="culture")
    for story in (one, two):
        link(story, tools["nextcloud"])
    response = client.get("/temoignages/", {"q": "comptabilites"})
    assert set(titles(response)) == {"Comptabilité libre", "Comptabilité du club"}
    response = client.get("/temoignages/", {"q": "comptabilite", "secteur": "culture"})
    assert titles(response) == ["Comptabilité du club"]


def test_tool_page_shows_its_testimonials_and_links_to_the_filtered_list(client, tools):
    story = StoryFactory(title="Adieu Drive")
    link(story, tools["drive"], role="before")
    link(story, tools["nextcloud"])
    for slug in ("google-drive", "nextcloud"):
        page = client.get(f"/outils/{slug}/").content.decode()
        assert "Adieu Drive" in page and f"/temoignages/?outil={slug}" in page


def test_organisation_page_shows_testimonials_of_a_support_structure(client, actor):
    story = StoryFactory(title="Avec le PANA")
    story.actors.add(actor)
    page = client.get(actor.get_absolute_url()).content.decode()
    assert "Avec le PANA" in page


def test_anonymous_testimonial_is_not_linked_to_its_association(client, association):
    StoryFactory(
        organisation=association, title="Secret", display_mode="anonymous", consent_names=False
    )
    StoryFactory(organisation=association, title="Public")
    page = client.get(association.get_absolute_url()).content.decode()
    assert "Public" in page and "Secret" not in page


def test_comparable_testimonials_nearby_first_then_region_then_elsewhere():
    pdl = RegionFactory(code="52", name="Pays de la Loire")
    loire = DepartmentFactory(code="44", region=pdl)
    maine = DepartmentFactory(code="49", name="Maine-et-Loire", region=pdl)
    other = DepartmentFactory(
        code="16", name="Charente", region=RegionFactory(code="75", name="Nouvelle-Aquitaine")
    )
    far = StoryFactory(title="Loin", sector="sport", department=other)
    region = StoryFactory(title="Région", members_band="51-200", sector="culture", department=maine)
    near = StoryFactory(title="Voisin", sector="sport", department=loire)
    StoryFactory(title="Sans rapport", sector="culture", members_band="1-10", department=loire)
    found = selectors.comparable_testimonials(
        sector="sport", members_band="51-200", department_code="44", limit=3
    )
    assert found == [near, region, far]
    assert selectors.comparable_testimonials(sector="sport", limit=1) != []


def test_comparable_without_criteria_returns_recent_ones():
    StoryFactory.create_batch(4)
    assert len(selectors.comparable_testimonials()) == 3


def test_testimonials_for_tool_and_organisation_exclude_unpublished(tools, actor):
    story = StoryFactory(moderation_status="submitted")
    link(story, tools["nextcloud"])
    story.actors.add(actor)
    assert selectors.testimonials_for_tool(tools["nextcloud"]) == []
    assert selectors.testimonials_for_organisation(actor) == []


def test_list_pages_and_filters_survive_garbage(client):
    for params in ({"page": "x"}, {"secteur": "<b>"}, {"q": "\x00"}, {"q": "a", "page": "999"}):
        assert client.get("/temoignages/", params).status_code == 200


def test_example_badge_is_shown(client):
    story = StoryFactory(is_example=True)
    assert "Exemple" in client.get(story.get_absolute_url()).content.decode()


def test_department_filter_lists_only_departments_with_testimonials(client):
    CommuneFactory()
    DepartmentFactory(code="29", name="Finistère")
    StoryFactory(organisation=OrganisationFactory())
    choices = dict(client.get("/temoignages/").context["form"].fields["departement"].choices)
    assert "44" in choices and "29" not in choices


@pytest.mark.parametrize(
    ("note", "amount", "shown"),
    [
        (
            "0 € : espace offert par un hébergeur associatif",
            0,
            "0 € : espace offert par un hébergeur associatif",
        ),
        ("", 0, "Aucun coût"),
        ("Abonnement annuel", 120, "Abonnement annuel (120 €)"),
        ("", None, ""),
    ],
)
def test_cost_is_said_once(note, amount, shown):
    """#18 item 10: "Coût : 0 € … (0 €)" said the amount twice."""
    testimonial = Testimonial(
        cost_note=note, cost_amount=None if amount is None else Decimal(amount)
    )
    assert testimonial.cost_text == shown
