import pytest
from django.utils import timezone

from ressourcerie.accounts.models import Role
from ressourcerie.core.models import Organisation
from tests.api.conftest import assert_error, bearer, make_token
from tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_lists_organisations_with_public_fields_only(client):
    creator = UserFactory(email="fondatrice@example.org")
    organisation = OrganisationFactory(
        name="Les Amis du jardin",
        slug="les-amis-du-jardin",
        rna="W442000123",
        sector="environment",
        members_band="11-50",
        budget_band="0-10k",
        website="https://jardin.example.org",
        public_email="contact@jardin.example.org",
        created_by=creator,
        verified_at=timezone.now(),
        verified_by=StaffFactory(email="equipe@example.org"),
    )
    MembershipFactory(organisation=organisation, user=UserFactory(email="membre@example.org"))
    response = client.get("/api/v1/organisations")
    assert response.status_code == 200
    item = response.json()["results"][0]
    assert item["slug"] == "les-amis-du-jardin"
    assert item["commune"] == {"insee": "44109", "name": "Nantes"}
    assert item["department"] == {"code": "44", "name": "Loire-Atlantique"}
    assert item["verified"] is True
    assert item["public_email"] == "contact@jardin.example.org"
    body = response.content.decode()
    for email in ("fondatrice@example.org", "membre@example.org", "equipe@example.org"):
        assert email not in body


def test_filters_by_kind_department_and_sector(client):
    vendee = CommuneFactory(
        insee="85191",
        name="La Roche-sur-Yon",
        search_name="la roche sur yon",
        department=DepartmentFactory(code="85", name="Vendée"),
    )
    OrganisationFactory(name="A", sector="sport")
    OrganisationFactory(name="B", sector="culture", commune=vendee)
    OrganisationFactory(name="C", sector="sport", kind="support_structure", commune=vendee)

    def names(**params):
        return [o["name"] for o in client.get("/api/v1/organisations", params).json()["results"]]

    assert names(department="85") == ["B", "C"]
    assert names(sector="sport") == ["A", "C"]
    assert names(kind="support_structure") == ["C"]
    assert names(department="85", sector="sport", kind="association") == []


def test_refuses_unknown_filter_values_in_french(client):
    error = assert_error(
        client.get("/api/v1/organisations", {"kind": "club", "department": "X"}), 400
    )
    assert "valeurs possibles" in error["details"]["kind"][0]
    assert "association" in error["details"]["kind"][0]
    assert error["details"]["department"] == ["Le format de cette valeur n'est pas valide."]


def test_paginates_with_next_and_previous_links(client):
    for n in range(5):
        OrganisationFactory(name=f"Org {n}")
    first = client.get("/api/v1/organisations", {"page_size": 2, "sector": ""}).json()
    assert first["count"] == 5
    assert [o["name"] for o in first["results"]] == ["Org 0", "Org 1"]
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/organisations?")
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    last = client.get(first["next"].replace("page=2", "page=3")).json()
    assert [o["name"] for o in last["results"]] == ["Org 4"]
    assert last["next"] is None
    assert "page=2" in last["previous"]


def test_page_size_is_limited_to_one_hundred(client):
    error = assert_error(client.get("/api/v1/organisations", {"page_size": 101}), 400)
    assert error["details"] == {"page_size": ["Saisissez une valeur inférieure ou égale à 100."]}
    assert client.get("/api/v1/organisations", {"page_size": 100}).status_code == 200
    assert_error(client.get("/api/v1/organisations", {"page_size": 0}), 400)
    assert_error(client.get("/api/v1/organisations", {"page": 0}), 400)


def test_page_after_the_last_is_a_404(client):
    OrganisationFactory()
    assert client.get("/api/v1/organisations", {"page": 1}).status_code == 200
    error = assert_error(client.get("/api/v1/organisations", {"page": 2}), 404, "page_not_found")
    assert error["details"] == {"pages": 1}


def test_empty_list_is_one_empty_page(client):
    data = client.get("/api/v1/organisations").json()
    assert data == {"count": 0, "next": None, "previous": None, "results": []}


def test_gets_one_organisation_by_slug(client):
    OrganisationFactory(slug="mon-asso", name="Mon asso")
    assert client.get("/api/v1/organisations/mon-asso").json()["name"] == "Mon asso"
    assert_error(client.get("/api/v1/organisations/inconnue"), 404, "not_found")


# --- PATCH ------------------------------------------------------------------------------


def _patch(client, slug, data, raw=None, **extra):
    headers = bearer(raw) if raw else {}
    return client.patch(
        f"/api/v1/organisations/{slug}",
        data=data,
        content_type="application/json",
        **headers,
        **extra,
    )


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EDITOR])
def test_member_or_editor_updates_the_public_profile(client, role):
    membership = MembershipFactory(role=role, organisation__slug="mon-asso")
    raw = make_token(membership.user)
    response = _patch(
        client,
        "mon-asso",
        {"website": "https://mon-asso.example.org", "description": "Nouvelle présentation"},
        raw,
    )
    assert response.status_code == 200, response.content
    assert response.json()["website"] == "https://mon-asso.example.org"
    organisation = Organisation.objects.get(slug="mon-asso")
    assert organisation.description == "Nouvelle présentation"
    assert organisation.public_email == ""


def test_only_sent_fields_change_and_null_clears(client):
    membership = MembershipFactory(
        organisation__slug="mon-asso",
        organisation__website="https://ancien.example.org",
        organisation__description="Garder",
    )
    raw = make_token(membership.user)
    response = _patch(client, "mon-asso", {"website": None}, raw)
    assert response.status_code == 200
    organisation = Organisation.objects.get(slug="mon-asso")
    assert organisation.website == ""
    assert organisation.description == "Garder"


def test_staff_may_update_any_organisation(client):
    OrganisationFactory(slug="mon-asso")
    raw = make_token(StaffFactory())
    assert _patch(client, "mon-asso", {"public_email": "a@example.org"}, raw).status_code == 200


def test_member_of_another_organisation_is_refused(client):
    OrganisationFactory(slug="mon-asso", description="Intacte")
    membership = MembershipFactory(organisation__slug="autre-asso")
    raw = make_token(membership.user)
    assert_error(_patch(client, "mon-asso", {"description": "Piratée"}, raw), 403, "forbidden")
    assert Organisation.objects.get(slug="mon-asso").description == "Intacte"


def test_any_role_inside_the_organisation_may_edit_it_as_on_the_site(client):
    # Same rule as the web pages (core.permissions.can_edit_organisation).
    membership = MembershipFactory(organisation__slug="mon-asso", role=Role.REFURBISHER)
    raw = make_token(membership.user)
    assert _patch(client, "mon-asso", {"description": "x"}, raw).status_code == 200


def test_invalid_values_give_french_field_errors_and_change_nothing(client):
    membership = MembershipFactory(organisation__slug="mon-asso", organisation__description="Avant")
    raw = make_token(membership.user)
    response = _patch(
        client,
        "mon-asso",
        {"website": "pas une adresse", "public_email": "pas-un-courriel", "description": "Après"},
        raw,
    )
    # The values fit the OpenAPI document (texts); the site's rules refuse them: 422.
    error = assert_error(response, 422, "validation_error")
    assert error["details"] == {
        "website": ["Saisissez une URL valide."],
        "public_email": ["Saisissez une adresse de courriel valide."],
    }
    assert Organisation.objects.get(slug="mon-asso").description == "Avant"


def test_fields_that_cannot_be_changed_are_refused(client):
    membership = MembershipFactory(organisation__slug="mon-asso")
    raw = make_token(membership.user)
    error = assert_error(_patch(client, "mon-asso", {"name": "Autre nom", "website": 3}, raw), 400)
    assert error["details"] == {
        "name": ["Ce champ est inconnu ou ne peut pas être modifié."],
        "website": ["Saisissez un texte."],
    }


def test_body_that_is_not_json_is_a_400(client):
    membership = MembershipFactory(organisation__slug="mon-asso")
    raw = make_token(membership.user)
    response = client.patch(
        "/api/v1/organisations/mon-asso",
        data="{pas du json",
        content_type="application/json",
        **bearer(raw),
    )
    error = assert_error(response, 400)
    assert error["details"]


def test_too_long_description_is_refused(client):
    membership = MembershipFactory(organisation__slug="mon-asso")
    raw = make_token(membership.user)
    error = assert_error(_patch(client, "mon-asso", {"description": "x" * 5001}, raw), 400)
    assert error["details"] == {"description": ["Saisissez au plus 5000 caractères."]}


def test_unknown_organisation_is_404_even_with_a_token(client):
    raw = make_token(UserFactory())
    assert_error(_patch(client, "inconnue", {"description": "x"}, raw), 404)


def test_patch_without_token_is_401(client):
    OrganisationFactory(slug="mon-asso")
    assert_error(_patch(client, "mon-asso", {"description": "x"}), 401, "unauthorized")
