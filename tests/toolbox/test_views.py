import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ressourcerie.core.models import ModerationStatus
from ressourcerie.toolbox.models import Tool, ToolCorrection
from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_catalogue")]


@pytest.mark.parametrize(
    "url",
    [
        "/outils/",
        "/outils/?q=visio",
        "/outils/?q=alternative+%C3%A0+zoom",
        "/outils/?q=zzzzqqq",
        "/outils/?libre=on&gratuit=on&ue=on&difficulte=debutant&plateforme=web",
        "/outils/par-ou-commencer/",
        "/outils/comparer/",
        "/outils/guides/",
        "/outils/nextcloud/",
        "/outils/zoom/",
        "/outils/besoins/communiquer/",
    ],
)
def test_public_pages_render(client, url):
    response = client.get(url)
    assert response.status_code == 200, url


@pytest.mark.parametrize("url", ["/outils/?q=visio&libre=on", "/outils/?gratuit=on"])
def test_catalogue_page_cost_does_not_grow_with_the_results(
    client, django_assert_max_num_queries, url
):
    """A page of 20 cards: a bounded number of queries, whatever the catalogue holds."""
    client.get(url)  # session, caches
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200


def test_tool_page_explains_each_criterion(client):
    page = client.get("/outils/nextcloud/").content.decode()
    assert "Logiciel libre" in page and "Le code est public" in page
    assert "Localisation des données" in page


def test_product_to_replace_lists_its_alternatives_with_reasons(client):
    page = client.get("/outils/zoom/").content.decode()
    assert "Alternatives à Zoom" in page and "Jitsi Meet" in page


def test_starter_proposes_three_to_five_tools_with_a_reason(client):
    from ressourcerie.toolbox.models import Need

    need = Need.objects.filter(parent__isnull=False, tools__isnull=False).first()
    response = client.get("/outils/par-ou-commencer/", {"need": need.slug})
    ((answered, suggestions),) = response.context["answers"]
    assert answered == need
    assert 1 <= len(suggestions) <= 5
    assert all(reason for _tool, reason in suggestions)


def test_compare_needs_two_to_four_tools(client):
    one = client.get("/outils/comparer/", {"outils": ["nextcloud"]})
    assert "au moins 2" in one.content.decode()
    five = client.get(
        "/outils/comparer/",
        {"outils": ["nextcloud", "cryptpad", "jitsi-meet", "zoom", "libreoffice"]},
    )
    assert "4 outils au plus" in five.content.decode()
    two = client.get("/outils/comparer/", {"outils": ["nextcloud", "zoom"]})
    assert len(two.context["compared"]) == 2


def test_proposing_needs_sign_in_and_goes_to_moderation(client):
    assert client.get("/outils/proposer/").status_code == 302
    user = UserFactory()
    client.force_login(user)
    need = Tool.objects.get(slug="nextcloud").needs.first()
    response = client.post(
        "/outils/proposer/",
        {
            "name": "Outil imaginaire",
            "pitch": "Un outil proposé par un bénévole.",
            "website": "https://exemple.org",
            "licence": "MIT",
            "price": "gratuit",
            "data_location": "ue",
            "difficulty": "debutant",
            "needs": [need.pk],
        },
    )
    assert response.status_code == 302
    tool = Tool.objects.get(name="Outil imaginaire")
    assert tool.moderation_status == ModerationStatus.SUBMITTED
    assert tool.submitted_by == user
    assert client.get(f"/outils/{tool.slug}/").status_code == 404  # hidden until published


def test_proposal_errors_are_french_and_keep_what_was_typed(client):
    client.force_login(UserFactory())
    response = client.post(
        "/outils/proposer/", {"name": "Nextcloud", "pitch": "Mon texte", "licence": "truc"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "déjà dans le catalogue" in page
    assert "Identifiant de licence inconnu" in page
    assert "Mon texte" in page


def test_correction_goes_to_moderation(client):
    client.force_login(UserFactory())
    response = client.post(
        "/outils/nextcloud/corriger/",
        {"field": "website", "proposed_value": "Le site a changé d'adresse."},
    )
    assert response.status_code == 302
    assert ToolCorrection.objects.get().moderation_status == ModerationStatus.SUBMITTED


def test_staff_page_of_tools_to_verify_refuses_strangers(client):
    assert client.get("/outils/gestion/a-verifier/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/outils/gestion/a-verifier/").status_code == 403
    client.force_login(StaffFactory())
    assert client.get("/outils/gestion/a-verifier/").status_code == 200
    response = client.post("/outils/gestion/verifier/nextcloud/")
    assert response.status_code == 302
    assert Tool.objects.get(slug="nextcloud").verified_on is not None


def test_exports_state_the_licence_and_neutralise_formulas(client):
    data = client.get("/outils/export.json").json()
    assert data["licence"] == "etalab-2.0" and len(data["outils"]) >= 150
    csv_text = client.get("/outils/export.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("slug,nom,resume")
    Tool.objects.filter(slug="nextcloud").update(pitch='=HYPERLINK("http://x")')
    assert "'=HYPERLINK" in client.get("/outils/export.csv").content.decode()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.one_of(
        st.text(max_size=300),
        st.sampled_from(['"', "*", "NEAR(", "OR", "a OR b", '"unterminated', "x" * 5000, "\x00"]),
    )
)
def test_any_search_string_returns_a_page(client, q):
    response = client.get("/outils/", {"q": q})
    assert response.status_code == 200
