import pytest
from django.core.management import call_command

from ressourcerie.core.models import Commune, Department, Region
from ressourcerie.core.territories import resolve_commune


@pytest.fixture(scope="module")
def gazetteer(django_db_setup, django_db_blocker):
    """The real shipped gazetteer, loaded once for this module and removed afterwards."""
    with django_db_blocker.unblock():
        call_command("load_territories", verbosity=0)
        yield
        Commune.objects.all().delete()
        Department.objects.all().delete()
        Region.objects.all().delete()


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gazetteer")]


def test_gazetteer_covers_communes_with_coordinates():
    total = Commune.objects.count()
    assert total > 34_800
    with_centroid = Commune.objects.filter(coordinate_source="centroid").count()
    assert with_centroid / total >= 0.99
    assert Department.objects.count() == 101
    assert Region.objects.count() == 18


def test_reloading_changes_nothing(capsys):
    call_command("load_territories")
    assert "0 créées, 0 mises à jour" in capsys.readouterr().out


@pytest.mark.parametrize(
    "text", ["44000", "Nantes", "nantes", "NANTES", " Nantes ", "44109", "Nantes (44)", "nantes 44"]
)
def test_resolves_nantes(text):
    result = resolve_commune(text)
    assert result.exact, result.communes
    assert result.commune.insee == "44109"
    assert abs(result.commune.latitude - 47.22) < 0.05


@pytest.mark.parametrize(
    "text", ["st nazaire", "Saint-Nazaire", "saint nazaire", "Saint-Nazaire (44)", "ST-NAZAIRE"]
)
def test_resolves_saint_nazaire(text):
    result = resolve_commune(text)
    assert result.commune is not None and result.commune.insee == "44184"


def test_resolves_postal_code_of_an_arrondissement_to_its_city():
    assert resolve_commune("75011").commune.insee == "75056"


def test_accents_are_optional():
    assert resolve_commune("angouleme").commune.insee == "16015"
    assert resolve_commune("Angoulême").commune.insee == "16015"


def test_ambiguous_name_returns_candidates_most_populous_first():
    result = resolve_commune("Saint-Denis")
    assert not result.exact
    assert len(result.communes) > 1
    assert result.communes[0].insee in {"93066", "97411"}
    narrowed = resolve_commune("Saint-Denis (93)")
    assert narrowed.commune.insee == "93066"


def test_postal_code_shared_by_several_communes_lists_them():
    result = resolve_commune("15170")
    assert len(result.communes) > 1 and not result.exact


def test_typo_gives_close_spellings():
    result = resolve_commune("Nanttes")
    assert result.communes == []
    assert "44109" in [c.insee for c in result.suggestions]


@pytest.mark.parametrize(
    "text", ["", "   ", "99999", "zzzzzz", "'; DROP TABLE", "%", "_", "x" * 5000]
)
def test_unknown_or_hostile_text_resolves_to_nothing(text):
    result = resolve_commune(text)
    assert result.commune is None


def test_homonym_in_the_instance_region_is_preferred(settings):
    settings.REGION_CODE = "11"  # Île-de-France
    result = resolve_commune("Saint-Denis")
    assert result.exact and result.commune.insee == "93066"
    assert len(result.communes) > 1  # the others stay available as alternatives
