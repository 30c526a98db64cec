import pytest
from django.core.management import call_command

from ressourcerie.core import search
from ressourcerie.toolbox.models import Guide, Need, Tool


@pytest.fixture(scope="module")
def seed_catalogue(django_db_setup, django_db_blocker):
    """The shipped catalogue, imported and indexed once for a test module."""
    with django_db_blocker.unblock():
        call_command("import_tools", quiet_rows=True, verbosity=0)
        yield
        Guide.objects.all().delete()
        Tool.objects.all().delete()
        Need.objects.filter(parent__isnull=False).delete()
        Need.objects.all().delete()
        search.rebuild(types=["tool", "guide"])  # nothing left: empties their index
