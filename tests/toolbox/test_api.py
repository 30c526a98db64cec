import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_catalogue")]


def test_search_returns_best_answer_first_with_required_fields(client):
    data = client.get("/api/v1/tools", {"q": "alternative à Zoom"}).json()
    assert data["count"] >= 2
    first = data["results"][0]
    assert {"name", "slug", "licence", "url"} <= set(first)
    assert first["free_software"] is True
    assert first["slug"] in {"jitsi-meet", "bigbluebutton", "galene", "nextcloud-talk"}


def test_need_filter_and_free_filter(client):
    data = client.get("/api/v1/tools", {"need": "visioconference", "free": "true"}).json()
    assert data["count"] >= 1
    assert all(t["free_software"] and "visioconference" in t["needs"] for t in data["results"])


def test_detail_and_alternatives(client):
    tool = client.get("/api/v1/tools/zoom").json()
    assert tool["proprietary_reference"] is True
    assert "jitsi-meet" in [a["slug"] for a in tool["alternatives"]]
    assert client.get("/api/v1/tools/nexiste-pas").status_code == 404


def test_bad_filter_value_is_a_french_400(client):
    response = client.get("/api/v1/tools", {"difficulty": "expert"})
    assert response.status_code == 400
    assert response.json()["error"]["message"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=250))
def test_any_query_string_answers_without_500(client, q):
    assert client.get("/api/v1/tools", {"q": q}).status_code in (200, 400)
