"""Search behaviour on a small French corpus. Runs on SQLite and, with DATABASE_URL, PostgreSQL."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ressourcerie.core import search
from ressourcerie.core.models import SearchSynonym

from .search_fixtures import corpus, titles

__all__ = ["corpus"]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["Comptabilite", "COMPTABILITÉ", "comptabilité"])
def test_case_and_accents_are_folded(corpus, query):
    assert "Paheko" in titles(search.find(query))


def test_accented_query_finds_unaccented_word_and_back(corpus):
    assert "Kdenlive" in titles(search.find("videos"))
    assert "Jitsi Meet" in titles(search.find("VISIOCONFERENCE"))


def test_plural_finds_singular_and_singular_finds_plural(corpus):
    # HelloAsso says "association", the Saint-Nazaire place "associations".
    assert "HelloAsso" in titles(search.find("associations gratuits"))
    assert "Ressourcerie informatique de Saint-Nazaire" in titles(
        search.find("association reconditionné")
    )
    assert "Dolibarr" in titles(search.find("comptabilité factures"))  # body: comptabilités


def test_synonym_finds_equivalent_words(corpus):
    # "visio" ≈ "réunion en ligne": the guide holds the phrase, never the word.
    assert "Réussir ses réunions en ligne" in titles(search.find("visio"))
    assert "Paheko" in titles(search.find("compta adhérents"))


def test_synonyms_work_in_both_directions(corpus):
    # The Nantes place says "compta", the Fabrique says "visio", Grist says "tableur".
    assert "Maison des associations de Nantes" in titles(search.find("comptabilité"))
    assert "Tiers-lieu La Fabrique" in titles(search.find("visioconférence"))
    assert "Framacalc" in titles(search.find("tableur collaboratif"))
    assert "Grist" in titles(search.find("feuille de calcul"))


def test_multiword_synonym_in_the_query(corpus):
    found = titles(search.find("réunion en ligne"))
    assert {"Jitsi Meet", "Tiers-lieu La Fabrique", "Réussir ses réunions en ligne"} <= set(found)


def test_synonym_changes_apply_without_reindexing(corpus):
    assert search.find("cagnotte").total == 0
    SearchSynonym.objects.create(term="cagnotte", synonyms="dons en ligne")
    assert "HelloAsso" in titles(search.find("cagnotte"))
    SearchSynonym.objects.filter(term="cagnotte").delete()
    assert search.find("cagnotte").total == 0


@pytest.mark.parametrize(
    ("typo", "title", "suggestion"),
    [
        ("nextclod", "Nextcloud", "nextcloud"),
        ("libreofice", "LibreOffice", "libreoffice"),
        ("comptabilte", "Paheko", "comptabilité"),
        ("Thunderbrid", "Thunderbird", "thunderbird"),
    ],
)
def test_small_typos_are_corrected(corpus, typo, title, suggestion):
    results = search.find(typo)
    assert title in titles(results)
    assert results.corrected_query == suggestion


def test_known_words_are_not_corrected(corpus):
    results = search.find("Nextcloud")
    assert results.corrected_query == ""


def test_short_unknown_words_are_not_corrected(corpus):
    assert search.find("gmp").corrected_query == ""


def test_last_word_matches_as_a_prefix(corpus):
    assert "Kdenlive" in titles(search.find("montage vid"))
    assert "Mobilizon" in titles(search.find("événem"))


def test_title_match_ranks_above_body_match(corpus):
    # Zourit mentions Nextcloud in its body only.
    found = titles(search.find("nextcloud"))
    assert found.index("Nextcloud") < found.index("Zourit")


def test_exact_title_comes_first(corpus):
    found = titles(search.find("framacalc"))
    assert found[0] == "Framacalc"
    assert titles(search.find("tableur"))[0] in {"Framacalc", "LibreOffice", "Grist"}


def test_every_word_must_match(corpus):
    assert titles(search.find("vidéo hébergement")) == ["PeerTube"]


def test_stopwords_alone_find_nothing(corpus):
    assert search.find("de la pour").total == 0


def test_restrict_to_one_type(corpus):
    results = search.find("tableur", types=["place"])
    assert titles(results) == ["Fablab Le Bazar"]
    assert {f.key for f in results.facets} == {"tool", "place"}


def test_unknown_type_finds_nothing(corpus):
    assert search.find("tableur", types=["nope"]).total == 0


def test_filter_values(corpus):
    assert titles(search.find("associations", filters={"department": "44"})) == [
        "Maison des associations de Nantes",
        "Ressourcerie informatique de Saint-Nazaire",
    ] or set(titles(search.find("associations", filters={"department": "44"}))) == {
        "Maison des associations de Nantes",
        "Ressourcerie informatique de Saint-Nazaire",
    }
    assert titles(search.find("visio", filters={"department": ["85", "49"]})) == [
        "Tiers-lieu La Fabrique"
    ]
    needs = titles(search.find("libre", filters={"need": "se-reunir"}))
    assert needs == ["Jitsi Meet"]
    assert search.find("libre", filters={"need": "absent"}).total == 0


def test_snippet_shows_the_matching_passage(corpus):
    hit = next(h for h in search.find("partie double").items if h.title == "Paheko")
    assert "partie double" in hit.snippet


def test_pagination_splits_results_without_overlap(corpus):
    first = search.find("libre", per_page=1, page=1)
    assert first.total >= 3
    seen = set()
    for page in range(1, first.total + 1):
        results = search.find("libre", per_page=1, page=page)
        assert len(results.items) == 1
        seen.add(results.items[0].title)
    assert len(seen) == first.total
    beyond = search.find("libre", per_page=1, page=999)
    assert beyond.page == first.total and beyond.items


def test_two_words_written_as_one_known_word_find_it_first(corpus):
    """People type "next cloud" or "libre office" for Nextcloud or LibreOffice."""
    assert titles(search.find("next cloud"))[0] == "Nextcloud"
    assert titles(search.find("Next Cloud", facets=False))[0] == "Nextcloud"
    # Words that do not join into a known word are searched as before.
    assert "Paheko" in titles(search.find("partie double"))


def test_without_facets_the_same_answers_come_in_one_pass(corpus):
    """facets=False counts with the page itself; answers, order and total do not change."""
    for text, kwargs in [
        ("libre", {}),
        ("associations", {"filters": {"department": "44"}}),
        ("visio", {"types": ["organisation"]}),
        ("introuvablemot", {}),
    ]:
        full = search.find(text, **kwargs)
        lean = search.find(text, facets=False, snippets=False, **kwargs)
        assert lean.total == full.total, text
        assert titles(lean) == titles(full), text
        assert lean.facets == []
        assert all(hit.snippet == "" for hit in lean.items)


def test_without_facets_pages_split_and_past_the_end_shows_the_last_page(corpus):
    total = search.find("libre").total
    seen = [
        search.find("libre", per_page=1, page=page, facets=False).items[0].title
        for page in range(1, total + 1)
    ]
    assert len(set(seen)) == total
    beyond = search.find("libre", per_page=1, page=10**30, facets=False)
    assert beyond.total == total
    assert beyond.page == total and titles(beyond) == [seen[-1]]


HOSTILE = [
    "",
    "   ",
    '"',
    '"nextcloud',
    "*",
    "nextcloud*",
    "NEAR(nextcloud libreoffice)",
    "nextcloud OR libreoffice",
    "nextcloud AND",
    "OR",
    "NOT",
    "-nextcloud",
    "title:nextcloud",
    "^nextcloud",
    "(nextcloud",
    "nextcloud)",
    "{title body}: nextcloud",
    "a & b | !c <-> d:*",
    "'; DROP TABLE core_searchentry; --",
    "%_\\",
    "x" * 5000,
    "nextcloud " * 600,
    "?!.;,…—«»",
    "🙂🎉 visio 🙂",
    "null\x00byte",
    "\x00",
    "comptabilité\u0301\u200b",
    "ｎｅｘｔｃｌｏｕｄ",
    "ĳ ß ﬁ Ⅻ",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises(corpus, text):
    results = search.find(text)
    assert results.total >= 0
    assert len(results.query) <= 200


def test_operators_are_searched_as_words_not_obeyed(corpus):
    assert search.find("nextcloud OR libreoffice").total == 0
    for text in ['"nextcloud"', "nextcloud*", "(nextcloud)", "-nextcloud", "^nextcloud:"]:
        assert titles(search.find(text))[0] == "Nextcloud", text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_arbitrary_text_never_raises(corpus, text):
    results = search.find(text, filters={"need": text[:20]}, page=text[:3] or 1)
    assert results.total >= 0
