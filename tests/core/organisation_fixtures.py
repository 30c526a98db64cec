"""Communes and helpers shared by the organisation and moderation tests."""

import pytest

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core.territories import commune_search_name
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory

VALID_RNA = "W442001234"
VALID_SIREN = "542051180"
VALID_SIRET = "44306184100047"


def make_commune(insee, name, department_code, department_name, postal_codes, population):
    region = RegionFactory(code=f"r{department_code}"[:3], name=f"Région {department_code}")
    department = DepartmentFactory(code=department_code, name=department_name, region=region)
    return CommuneFactory(
        insee=insee,
        name=name,
        search_name=commune_search_name(name),
        department=department,
        postal_codes=postal_codes,
        population=population,
    )


@pytest.fixture
def communes(db):
    return {
        "nantes": CommuneFactory(),
        "saint_nazaire": make_commune(
            "44184", "Saint-Nazaire", "44", "Loire-Atlantique", "44600", 72000
        ),
        "saint_denis_93": make_commune(
            "93066", "Saint-Denis", "93", "Seine-Saint-Denis", "93200 93210", 113000
        ),
        "saint_denis_974": make_commune(
            "97411", "Saint-Denis", "974", "La Réunion", "97400 97417 97490", 153000
        ),
    }


def make_moderator(user):
    Membership.objects.create(user=user, organisation=None, role=Role.MODERATOR)
    return user
