"""The search page, the header search box and the staff synonyms pages."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ressourcerie.core.models import SearchSynonym
from tests.factories import OrganisationFactory, StaffFactory, UserFactory

from .search_fixtures import corpus

__all__ = ["corpus"]

pytestmark = pytest.mark.django_db

URL = "/recherche/"


def page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_search_url_name():
    assert reverse("core:search") == URL


def test_every_page_has_the_search_box(client):
    html = page(client) + client.get(reverse("core:home")).content.decode()
    assert html.count('role="search"') >= 2
    assert 'type="search" id="recherche-site" name="q" maxlength="200"' in html
    assert '<label class="visually-hidden" for="recherche-site">' in html


def test_results_page_keeps_the_query_in_the_box(corpus, client):
    html = page(client, q="nextcloud")
    assert 'name="q" maxlength="200" value="nextcloud"' in html
    assert '<a href="/tool/1/">Nextcloud</a>' in html


def test_results_are_grouped_by_type_with_counts(corpus, client):
    html = page(client, q="tableur")
    assert "Outils (3)" in html and "Lieux (1)" in html and "Tout (4)" in html
    only_places = page(client, q="tableur", type="place")
    assert "Fablab Le Bazar" in only_places and "Framacalc" not in only_places
    assert 'aria-current="page">Lieux (1)' in only_places


def test_unknown_type_parameter_is_ignored(corpus, client):
    assert "Framacalc" in page(client, q="tableur", type="<script>")


def test_did_you_mean(corpus, client):
    html = page(client, q="nextclod")
    assert "Vouliez-vous dire" in html
    assert "?q=nextcloud" in html


def test_empty_state_gives_advice(corpus, client):
    html = page(client, q="aéronautique spatiale")
    assert "Aucun résultat" in html and "synonyme" in html


def test_no_query_shows_a_form(client):
    html = page(client)
    assert 'id="recherche-page"' in html and "Aucun résultat" not in html


def test_pagination(client):
    for n in range(25):
        OrganisationFactory(name=f"Club de randonnée {n}")
    first = page(client, q="randonnée")
    assert "25 résultats" in first and "Page 1 sur 2" in first
    assert 'rel="next"' in first
    second = page(client, q="randonnée", page="2")
    assert "Page 2 sur 2" in second and second.count('class="search-result"') == 5
    assert "Page 2 sur 2" in page(client, q="randonnée", page="99")
    assert "Page 1 sur 2" in page(client, q="randonnée", page="abc")


def test_query_is_escaped(client):
    html = page(client, q='<script>alert("x")</script>')
    assert "<script>alert" not in html


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=400), type_=st.text(max_size=20), page_=st.text(max_size=5))
def test_search_page_never_fails(client, q, type_, page_):
    response = client.get(URL, {"q": q.replace("\x00", ""), "type": type_, "page": page_})
    assert response.status_code == 200


# --- staff synonyms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/gestion/synonymes/", "/gestion/synonymes/ajouter/"],
)
def test_synonym_pages_refuse_strangers(client, url):
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.post(url, {"term": "x", "synonyms": "y"}).status_code == 403
    assert not SearchSynonym.objects.exists()


def test_synonym_edit_and_delete_refuse_strangers(client):
    synonym = SearchSynonym.objects.create(term="visio", synonyms="visioconférence")
    client.force_login(UserFactory())
    for url in [f"/gestion/synonymes/{synonym.pk}/", f"/gestion/synonymes/{synonym.pk}/supprimer/"]:
        assert client.post(url, {"term": "z", "synonyms": "w"}).status_code == 403
    assert SearchSynonym.objects.get().term == "visio"


def test_staff_lists_adds_edits_and_deletes_synonyms(client):
    client.force_login(StaffFactory())
    assert "Synonymes de recherche" in client.get(reverse("core:staff")).content.decode()
    response = client.post(
        "/gestion/synonymes/ajouter/",
        {"term": " Visio ", "synonyms": "visioconférence,  réunion en ligne , ,Visioconférence"},
    )
    assert response.status_code == 302
    synonym = SearchSynonym.objects.get()
    assert synonym.term == "Visio"
    assert synonym.synonym_list() == ["visioconférence", "réunion en ligne"]
    assert "réunion en ligne" in client.get("/gestion/synonymes/").content.decode()

    edit = client.get(f"/gestion/synonymes/{synonym.pk}/").content.decode()
    assert "réunion en ligne" in edit
    client.post(f"/gestion/synonymes/{synonym.pk}/", {"term": "visio", "synonyms": "jitsi"})
    synonym.refresh_from_db()
    assert synonym.synonyms == "jitsi"

    assert "Supprimer" in client.get(f"/gestion/synonymes/{synonym.pk}/supprimer/").content.decode()
    client.post(f"/gestion/synonymes/{synonym.pk}/supprimer/")
    assert not SearchSynonym.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"term": "", "synonyms": "a"}, "Ce champ est obligatoire"),
        ({"term": "!!!", "synonyms": "a"}, "au moins une lettre"),
        ({"term": "visio", "synonyms": " , ,"}, "au moins un équivalent"),
        ({"term": "visio", "synonyms": "VISIO"}, "le terme lui-même"),
        ({"term": "Compta", "synonyms": "a"}, "existe déjà"),
        ({"term": "x" * 101, "synonyms": "a"}, "100 caractères"),
        ({"term": "visio", "synonyms": "?!"}, "ni lettre ni chiffre"),
    ],
)
def test_synonym_form_explains_errors_in_french_and_keeps_input(client, data, message):
    SearchSynonym.objects.create(term="compta", synonyms="comptabilité")
    client.force_login(StaffFactory())
    response = client.post("/gestion/synonymes/ajouter/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert SearchSynonym.objects.count() == 1


def test_unknown_synonym_is_404(client):
    client.force_login(StaffFactory())
    assert client.get("/gestion/synonymes/999/").status_code == 404


def test_synonym_form_keeps_what_was_typed(client):
    client.force_login(StaffFactory())
    html = client.post(
        "/gestion/synonymes/ajouter/", {"term": "!!!", "synonyms": "réunion en ligne"}
    ).content.decode()
    assert 'value="!!!"' in html and "réunion en ligne</textarea>" in html
