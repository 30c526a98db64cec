from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mediation-numerique"
HINAURA = FIXTURES / "2021-hinaura-auvergne-rhone-alpes.json"
SUD = FIXTURES / "2023-05-17-hub-du-sud-provence-alpes-cote-d-azur.json"
CHARENTE = FIXTURES / "2023-07-11-charente-nouvelle-aquitaine.json"
SCHEMA = FIXTURES / "schema-v1.0.1.json"


@pytest.fixture(scope="module")
def gazetteer(django_db_setup, django_db_blocker):
    """The real commune gazetteer, loaded once per module and removed afterwards."""
    from ressourcerie.core.models import Commune, Department, Region

    with django_db_blocker.unblock():
        call_command("load_territories", verbosity=0)
    yield
    with django_db_blocker.unblock():
        from ressourcerie.directory.models import Place

        Place.objects.all().delete()
        Commune.objects.all().delete()
        Department.objects.all().delete()
        Region.objects.all().delete()
