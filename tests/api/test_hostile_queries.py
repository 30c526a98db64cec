"""Whatever a client sends in the query string or the path, the API never answers 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

texts = st.text(max_size=60) | st.sampled_from(
    ["", "0", "-1", "1e9", "99999999999999999999", "%00", "\x00", "' OR 1=1 --", "2A", "44"]
)
hypothesis_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def data():
    OrganisationFactory(slug="mon-asso")


def _assert_json_not_500(response):
    assert response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")


@hypothesis_settings
@given(q=texts)
def test_commune_search_never_fails(data, q):
    _assert_json_not_500(Client().get("/api/v1/communes", {"q": q}))


@hypothesis_settings
@given(kind=texts, department=texts, sector=texts, page=texts, page_size=texts)
def test_organisation_list_never_fails(data, kind, department, sector, page, page_size):
    params = {
        "kind": kind,
        "department": department,
        "sector": sector,
        "page": page,
        "page_size": page_size,
    }
    _assert_json_not_500(Client().get("/api/v1/organisations", params))


@hypothesis_settings
@given(segment=st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s))
def test_detail_paths_never_fail(data, segment):
    client = Client()
    for prefix in ("/api/v1/organisations/", "/api/v1/communes/"):
        _assert_json_not_500(client.get(prefix + segment))


@hypothesis_settings
@given(body=st.text(max_size=80) | st.binary(max_size=80))
def test_patch_bodies_never_fail(data, body):
    from ressourcerie.accounts.models import ApiToken
    from tests.api.conftest import bearer, make_token
    from tests.factories import StaffFactory

    ApiToken.objects.all().delete()
    raw = make_token(StaffFactory(email="equipe@example.org"))
    response = Client().patch(
        "/api/v1/organisations/mon-asso", data=body, content_type="application/json", **bearer(raw)
    )
    _assert_json_not_500(response)
