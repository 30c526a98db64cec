"""Index maintenance: registered organisations, index_object/remove_object, rebuild."""

import pytest
from django.core.management import call_command

from ressourcerie.core import search
from ressourcerie.core.models import Organisation, SearchEntry, SearchTerm
from ressourcerie.core.models.organisations import Sector
from ressourcerie.core.search.registrations import organisation_url
from tests.factories import CommuneFactory, DepartmentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def titles(results):
    return [hit.title for hit in results.items]


def test_organisations_are_registered():
    searchable = search.get("organisation")
    assert searchable is not None and searchable.model is Organisation


def test_saved_organisation_is_found_by_name_description_sector_and_commune():
    OrganisationFactory(
        name="Les Jardins partagés du Breil",
        description="Potagers collectifs et ateliers de compostage pour le quartier.",
        sector=Sector.ENVIRONMENT,
    )
    for query in ["jardin partage", "compostage", "environnement", "Nantes"]:
        assert titles(search.find(query)) == ["Les Jardins partagés du Breil"], query


def test_organisation_filters_by_department_and_kind():
    angers = CommuneFactory(
        insee="49007",
        name="Angers",
        search_name="angers",
        department=DepartmentFactory(code="49", name="Maine-et-Loire"),
    )
    OrganisationFactory(name="Vélo solidaire Nantes")
    OrganisationFactory(name="Vélo solidaire Angers", commune=angers)
    assert titles(search.find("vélo", filters={"department": "49"})) == ["Vélo solidaire Angers"]
    assert search.find("vélo", filters={"kind": "association"}).total == 2


def test_updated_organisation_is_reindexed_and_old_words_forgotten():
    organisation = OrganisationFactory(name="Chorale du marais")
    assert SearchTerm.objects.filter(term="chorale").exists()
    organisation.name = "Fanfare du marais"
    organisation.save()
    assert search.find("chorale").total == 0
    assert titles(search.find("fanfare")) == ["Fanfare du marais"]
    assert not SearchTerm.objects.filter(term="chorale").exists()
    assert SearchTerm.objects.get(term="marais").document_frequency == 1


def test_deleted_organisation_leaves_the_index():
    organisation = OrganisationFactory(name="Club d'échecs de Rezé")
    organisation.delete()
    assert search.find("échecs").total == 0
    assert not SearchEntry.objects.exists()
    assert not SearchTerm.objects.filter(term="echecs").exists()


def test_document_frequency_counts_entries():
    OrganisationFactory(name="Théâtre amateur de Vertou")
    OrganisationFactory(name="Théâtre des Bords de Loire")
    assert SearchTerm.objects.get(term="theatre").document_frequency == 2
    assert SearchTerm.objects.get(term="theatre").display == "théâtre"


def test_index_and_remove_object_by_hand():
    organisation = OrganisationFactory(name="Amicale laïque")
    search.remove_object(organisation)
    assert search.find("amicale").total == 0
    search.index_object(organisation)
    assert search.find("amicale").total == 1


def test_object_outside_the_published_queryset_is_dropped():
    organisation = OrganisationFactory(name="Ciné-club du lundi")
    searchable = search.get("organisation")
    try:
        search.register(
            search.SearchableType(
                key="organisation",
                label=searchable.label,
                model=Organisation,
                document=searchable.document,
                queryset=lambda: Organisation.objects.exclude(name__startswith="Ciné"),
                url=searchable.url,
            )
        )
        search.index_object(organisation)
        assert search.find("ciné-club").total == 0
    finally:
        search.register(searchable)


def test_rebuild_command_restores_a_lost_index(capsys):
    OrganisationFactory(name="Secours populaire antenne Chantenay")
    OrganisationFactory(name="Restos du cœur de Saint-Herblain")
    SearchEntry.objects.all().delete()
    SearchTerm.objects.all().delete()
    assert search.find("secours").total == 0
    call_command("rebuild_search_index")
    assert "2 entries indexed" in capsys.readouterr().out
    assert titles(search.find("secour populaire")) == ["Secours populaire antenne Chantenay"]
    assert titles(search.find("coeur")) == ["Restos du cœur de Saint-Herblain"]
    assert SearchTerm.objects.get(term="populaire").document_frequency == 1


def test_organisation_entry_links_to_its_public_page():
    organisation = OrganisationFactory(slug="amis-du-livre")
    assert organisation_url(organisation) == "/associations/amis-du-livre/"


def test_filters_are_kept_on_the_entry():
    organisation = OrganisationFactory(name="Ludothèque", sector=Sector.LEISURE)
    entry = SearchEntry.objects.get(type="organisation", object_id=str(organisation.pk))
    assert entry.filters["sector"] == ["leisure"]
    assert entry.filters["department"] == ["44"]


def test_documents_with_nul_bytes_are_indexed_without_them():
    search.register(
        search.SearchableType(
            key="note",
            label="Notes",
            model=SearchTerm,
            document=lambda o: None,
            queryset=SearchTerm.objects.none,
        )
    )
    try:
        search.index_document(
            "note",
            1,
            search.SearchDocumentData(
                title="Atelier\x00 vélo", body="ré\x00paration", filters={"x\x00": "y\x00"}
            ),
        )
        assert titles(search.find("atelier", filters={"x": "y"})) == ["Atelier vélo"]
    finally:
        search.unregister("note")


def test_shadow_columns_are_filled_for_sqlite_only():
    """The shadows feed FTS5; on PostgreSQL they would only widen the row the search scans."""
    from django.db import connection

    OrganisationFactory(name="Atelier vélo solidaire", description="Réparation de vélos.")
    entry = SearchEntry.objects.get(title="Atelier vélo solidaire")
    if connection.vendor == "sqlite":
        assert entry.title_shadow and entry.body_shadow
    else:
        assert (entry.title_shadow, entry.keywords_shadow, entry.body_shadow) == ("", "", "")
    assert titles(search.find("velo reparation")) == ["Atelier vélo solidaire"]
