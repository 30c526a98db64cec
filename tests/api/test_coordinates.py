"""Every coordinate and radius parameter of the API is checked the same way (F9): a finite
number, latitude in [-90, 90], longitude in [-180, 180], radius in (0, 1000] km; anything else
is a French 400 naming the parameter, never a 500 nor a silent empty answer.

The parameters are found in the OpenAPI document, so a new endpoint taking a position is
covered without being listed here.
"""

import pytest

from ressourcerie.api.views import openapi_schema
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db

COORDINATES = {"lat": (-90, 90), "lon": (-180, 180), "radius_km": (0, 1000)}
# A valid value for the other parameters of a position, so only the one tested is wrong.
VALID = {"lat": "45.6", "lon": "0.16", "radius_km": "10"}
NOT_FINITE = ["inf", "-inf", "Infinity", "nan", "NaN", "1e400"]
OUT_OF_RANGE = {
    "lat": ["91", "-90.0001", "5000"],
    "lon": ["180.5", "-181", "5000"],
    "radius_km": ["0", "-1", "1000.01"],
}


def _coordinate_operations() -> list[tuple[str, str]]:
    """(path, parameter) for every coordinate/radius query parameter of the API."""
    found = []
    for path, item in openapi_schema()["paths"].items():
        for method, operation in item.items():
            for param in operation.get("parameters", []):
                if param["in"] == "query" and param["name"] in COORDINATES:
                    assert method == "get", (method, path)
                    found.append((path, param["name"]))
    return found


def _bad_values(name: str) -> list[str]:
    return NOT_FINITE + OUT_OF_RANGE[name] + ["abc", "45,6"]


CASES = [
    (path, name, value) for path, name in _coordinate_operations() for value in _bad_values(name)
]


def test_the_api_has_coordinate_parameters_to_check():
    paths = {path for path, _name in _coordinate_operations()}
    assert {"/api/v1/places", "/api/v1/donations/dropoff-points"} <= paths


@pytest.mark.parametrize(("path", "name", "value"), CASES)
def test_bad_coordinate_is_a_french_400_naming_the_parameter(client, path, name, value):
    params = {"lat": VALID["lat"], "lon": VALID["lon"], name: value}
    error = assert_error(client.get(path, params), 400, "validation_error")
    assert list(error["details"]) == [name], error
    message = error["details"][name][0]
    assert message.startswith("Saisissez"), message


@pytest.mark.parametrize(("path", "name"), _coordinate_operations())
def test_coordinate_parameters_share_one_documented_range(path, name):
    operation = openapi_schema()["paths"][path]["get"]
    param = next(p for p in operation["parameters"] if p["name"] == name)
    schema = param["schema"]
    number = next(s for s in schema.get("anyOf", [schema]) if s.get("type") == "number")
    low, high = COORDINATES[name]
    assert number.get("maximum") == high
    assert number.get("minimum", number.get("exclusiveMinimum")) == low
    assert param.get("description") or schema.get("description")


@pytest.mark.parametrize(("path", "name"), _coordinate_operations())
def test_half_a_position_is_refused(client, path, name):
    if name == "radius_km":
        pytest.skip("a radius alone is checked with the position it goes with")
    # Each value fits the document, which cannot say that lat and lon go together: 422.
    error = assert_error(client.get(path, {name: VALID[name]}), 422, "validation_error")
    other = {"lat": "lon", "lon": "lat"}[name]
    assert list(error["details"]) == [other]
    assert other in error["details"][other][0]


@pytest.mark.parametrize("value", ["-90", "90", "0"])
def test_bounds_themselves_are_accepted(client, value):
    response = client.get("/api/v1/donations/dropoff-points", {"lat": value, "lon": "180"})
    assert response.status_code == 200, response.content
    response = client.get("/api/v1/places", {"lat": value, "lon": "-180", "radius_km": "1000"})
    assert response.status_code == 200, response.content


def test_reported_cases_answer_in_french(client):
    # The two requests of the review: a 500 and a silently accepted position.
    error = assert_error(client.get("/api/v1/donations/dropoff-points?lat=inf&lon=0"), 400)
    assert error["details"] == {"lat": ["Saisissez un nombre fini."]}
    error = assert_error(client.get("/api/v1/donations/dropoff-points?lat=91&lon=5000"), 400)
    assert error["details"] == {
        "lat": ["Saisissez une valeur inférieure ou égale à 90."],
        "lon": ["Saisissez une valeur inférieure ou égale à 180."],
    }
    error = assert_error(client.get("/api/v1/places?lat=0&lon=0&radius_km=0"), 400)
    assert error["details"] == {"radius_km": ["Saisissez une valeur strictement supérieure à 0."]}
