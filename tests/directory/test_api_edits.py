"""Managers keep their listing current through the API: proposed edits, their follow-up, and
"toujours à jour", with a personal token."""

import json
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ressourcerie.accounts.models import Role
from ressourcerie.accounts.services import create_api_token, revoke_api_token
from ressourcerie.api.views import openapi_schema
from ressourcerie.core import moderation
from ressourcerie.core.models import ModerationStatus, OrganisationKind
from ressourcerie.directory import selectors, services
from ressourcerie.directory.models import PlaceEdit
from tests.api.conftest import assert_error
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db

S = ModerationStatus


def _token(user) -> dict:
    _token_row, raw = create_api_token(user=user, name="SI de la structure")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _claimed_place(**kwargs):
    """A place managed by a support structure, and the editor of that structure."""
    structure = OrganisationFactory(kind=OrganisationKind.SUPPORT_STRUCTURE, name="Cyber Base")
    editor = UserFactory()
    MembershipFactory(user=editor, organisation=structure, role=Role.EDITOR)
    kwargs.setdefault("phone", "+33545000000")
    kwargs.setdefault("opening_hours", "Tu-Sa 10:00-18:00")
    place = PlaceFactory(organisation=structure, **kwargs)
    return place, editor


def _post(client, url, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", **headers)


def _edits_url(place) -> str:
    return f"/api/v1/places/{place.slug}/edits"


@pytest.fixture
def client():
    # A crash must come back as the API's JSON 500, not be re-raised into the test.
    return Client(raise_request_exception=False)


# --- Proposing an edit ----------------------------------------------------------------------


def test_editor_proposes_an_edit_that_the_team_then_publishes(client):
    place, editor = _claimed_place(name="Espace Coulomb")
    body = {
        "opening_hours": "Tu-Sa   10:00-19:00; PH off",
        "phone": "05 45 00 00 01",
        "kinds": ["mediation", "fablab"],
        "emails": ["Contact@Coulomb.example.org"],
    }
    response = _post(client, _edits_url(place), body, **_token(editor))

    assert response.status_code == 202, response.content
    answer = response.json()
    edit = PlaceEdit.objects.get()
    assert answer["id"] == edit.pk
    assert answer["place"] == place.slug
    assert answer["status"] == "submitted"
    assert answer["status_label"] == "En attente de modération"
    assert answer["moderation_reason"] is None
    assert answer["submitted_at"].startswith(str(timezone.now().year))
    assert answer["url"] == f"http://testserver/api/v1/places/{place.slug}/edits/{edit.pk}"
    assert answer["changes"] == {
        "opening_hours": {"before": "Tu-Sa 10:00-18:00", "after": "Tu-Sa 10:00-19:00; PH off"},
        "phone": {"before": "+33545000000", "after": "+33545000001"},
        "kinds": {"before": ["mediation"], "after": ["mediation", "fablab"]},
        "emails": {"before": [], "after": ["contact@coulomb.example.org"]},
    }
    # Stored exactly as the web form would have stored it, and not applied yet.
    assert edit.moderation_status == S.SUBMITTED
    assert edit.submitted_by == editor
    assert edit.changes == {
        "opening_hours": "Tu-Sa 10:00-19:00; PH off",
        "phone": "+33545000001",
        "kinds": ",mediation,fablab,",
        "emails": ["contact@coulomb.example.org"],
    }
    place.refresh_from_db()
    assert place.phone == "+33545000000"
    assert place.confirmed_at is None

    moderation.transition(obj=edit, to_status=S.PUBLISHED, actor=StaffFactory())

    place.refresh_from_db()
    assert place.phone == "+33545000001"
    assert place.opening_hours == "Tu-Sa 10:00-19:00; PH off"
    assert place.kinds == ",mediation,fablab,"
    assert place.emails == ["contact@coulomb.example.org"]
    assert place.name == "Espace Coulomb"  # not sent, not touched
    assert place.confirmed_at is not None
    followed = client.get(answer["url"], **_token(editor)).json()
    assert followed["status"] == "published"
    assert followed["status_label"] == "Publié"


@pytest.mark.parametrize("team_member", ["staff", "moderator"])
def test_an_edit_by_the_team_is_published_at_once_as_on_the_website(client, team_member):
    place, _editor = _claimed_place()
    if team_member == "staff":
        user = StaffFactory()
    else:
        user = UserFactory()
        MembershipFactory(user=user, organisation=None, role=Role.MODERATOR)
    response = _post(
        client, _edits_url(place), {"summary": "Ateliers tous les jours."}, **_token(user)
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "published"
    place.refresh_from_db()
    assert place.summary == "Ateliers tous les jours."


def test_null_or_empty_values_clear_optional_fields(client):
    place, editor = _claimed_place(websites=["https://coulomb.example.org"], guidasso_level=2)
    body = {"websites": None, "guidasso_level": None, "phone": ""}
    response = _post(client, _edits_url(place), body, **_token(editor))
    assert response.status_code == 202, response.content
    assert PlaceEdit.objects.get().changes == {"websites": [], "guidasso_level": None, "phone": ""}


def test_codes_the_form_does_not_offer_are_kept_and_unsent_fields_are_left_alone(client):
    # From an import: an old service code, and hours the parser cannot read.
    place, editor = _claimed_place(
        services=",outils_quotidien,ancien_code,", opening_hours="le mardi surtout"
    )
    body = {"services": ["outils_quotidien", "demarches"]}
    response = _post(client, _edits_url(place), body, **_token(editor))
    assert response.status_code == 202, response.content
    after = PlaceEdit.objects.get().changes["services"]
    assert after == ",demarches,outils_quotidien,ancien_code,"  # the form's order


def test_guidasso_level_accepts_a_number_or_its_text(client):
    place, editor = _claimed_place()
    response = _post(client, _edits_url(place), {"guidasso_level": "2"}, **_token(editor))
    assert response.status_code == 202, response.content
    assert response.json()["changes"]["guidasso_level"] == {"before": None, "after": 2}


# --- Refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"phone": "123"}, "phone", "Numéro non reconnu"),
        ({"opening_hours": "quand on peut"}, "opening_hours", "Ces horaires ne sont pas lisibles"),
        ({"name": ""}, "name", "Ce champ est obligatoire."),
        ({"name": None}, "name", "Ce champ est obligatoire."),
        ({"name": "x" * 251}, "name", "au plus 250 caractères"),
        ({"name": 12}, "name", "Saisissez un texte."),
        ({"emails": ["pas-une-adresse"]}, "emails", "n'est pas une adresse e-mail"),
        ({"emails": "a@example.org"}, "emails", "Envoyez une liste de textes."),
        ({"emails": ["a@example.org\nb@example.org"]}, "emails", "sans retour à la ligne"),
        ({"websites": ["ftp:/nulle-part"]}, "websites", "n'est pas une adresse web"),
        ({"booking_url": "https://rdv.example.org/" + "a" * 500}, "booking_url", "500"),
        ({"kinds": "mediation"}, "kinds", "Envoyez une liste de textes."),
        ({"kinds": ["inconnu"]}, "kinds", "Sélectionnez un choix valide"),
        ({"guidasso_level": 7}, "guidasso_level", "Sélectionnez un choix valide"),
        ({"guidasso_level": True}, "guidasso_level", "Envoyez un niveau parmi 1, 2, 3"),
        ({"summary": "a\x00b"}, "summary", "caractère nul"),
    ],
)
def test_invalid_value_is_refused_in_french_naming_the_field(client, body, field, message):
    place, editor = _claimed_place()
    error = assert_error(
        _post(client, _edits_url(place), {**body, "address": "2 rue Neuve"}, **_token(editor)),
        422,
        "validation_error",
    )
    assert field in error["message"]
    assert list(error["details"]) == [field]
    assert message in error["details"][field][0]
    assert not PlaceEdit.objects.exists()


def test_unknown_field_is_refused_and_named_and_nothing_is_recorded(client):
    place, editor = _claimed_place()
    body = {"name": "Nouveau nom", "latitude": "45.1", "commune": "Cognac"}
    error = assert_error(_post(client, _edits_url(place), body, **_token(editor)), 422)
    assert error["message"] == "Champ inconnu ou non modifiable : latitude, commune."
    assert set(error["details"]) == {"latitude", "commune"}
    assert "Champs modifiables : name, summary" in error["details"]["latitude"][0]
    assert not PlaceEdit.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"phone": "05 45 00 00 00", "opening_hours": " Tu-Sa 10:00-18:00 ", "kinds": ["mediation"]},
    ],
)
def test_no_change_at_all_is_refused(client, body):
    place, editor = _claimed_place()
    error = assert_error(_post(client, _edits_url(place), body, **_token(editor)), 422)
    assert error["message"].startswith("Aucune modification : ")
    assert not PlaceEdit.objects.exists()


@pytest.mark.parametrize("body", ["[1, 2]", '"texte"', "pas du json", "{"])
def test_a_body_that_is_not_a_json_object_is_a_400(client, body):
    place, editor = _claimed_place()
    assert_error(_post(client, _edits_url(place), body, **_token(editor)), 400)
    assert not PlaceEdit.objects.exists()


@pytest.mark.parametrize(
    "body", ['{"name": "\\ud800"}', '{"\\udfff": "x"}', '{"emails": ["\\ud800"]}']
)
def test_lone_surrogates_are_refused_not_a_crash(client, body):
    place, editor = _claimed_place()
    response = _post(client, _edits_url(place), body, **_token(editor))
    assert response.status_code in {400, 422}, response.content
    assert not PlaceEdit.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "member", "editor_elsewhere", "unclaimed"])
def test_only_the_managers_and_the_team_may_edit_or_confirm(client, who):
    place, _editor = _claimed_place()
    user = UserFactory()
    if who == "member":
        MembershipFactory(user=user, organisation=place.organisation, role=Role.MEMBER)
    elif who == "editor_elsewhere":
        other = OrganisationFactory(kind=OrganisationKind.SUPPORT_STRUCTURE)
        MembershipFactory(user=user, organisation=other, role=Role.EDITOR)
    elif who == "unclaimed":
        MembershipFactory(user=user, organisation=place.organisation, role=Role.EDITOR)
        place = PlaceFactory(organisation=None)
    token = _token(user)
    error = assert_error(
        _post(client, _edits_url(place), {"name": "Pris"}, **token), 403, "forbidden"
    )
    assert "Seuls les éditeurs de la structure qui gère ce lieu" in error["message"]
    assert_error(_post(client, f"/api/v1/places/{place.slug}/confirm", {}, **token), 403)
    assert not PlaceEdit.objects.exists()
    place.refresh_from_db()
    assert place.confirmed_at is None


def _revoked(user) -> dict:
    token, raw = create_api_token(user=user, name="ancien")
    revoke_api_token(user=user, token_id=token.pk)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("auth", ["none", "bad", "revoked", "session"])
def test_every_write_needs_a_valid_token(client, auth):
    place, editor = _claimed_place()
    edit = services.propose_place_edit(place=place, user=editor, data={"name": "Autre"})
    headers = {
        "none": {},
        "bad": {"HTTP_AUTHORIZATION": "Bearer rn_00000000_faux"},
        "revoked": _revoked(editor),
        "session": {},
    }[auth]
    if auth == "session":
        client.force_login(editor)  # the cookie is never enough
    for method, url in [
        ("post", _edits_url(place)),
        ("get", f"{_edits_url(place)}/{edit.pk}"),
        ("post", f"/api/v1/places/{place.slug}/confirm"),
    ]:
        if method == "post":
            response = _post(client, url, {"summary": "Nouveau"}, **headers)
        else:
            response = client.get(url, **headers)
        error = assert_error(response, 401, "unauthorized")
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert error["message"].startswith(("Authentification requise", "Jeton d'API invalide"))
    assert PlaceEdit.objects.count() == 1


def test_unknown_or_unpublished_place_is_a_404(client):
    _place, editor = _claimed_place()
    hidden = PlaceFactory(organisation=_place.organisation, is_published=False)
    token = _token(editor)
    for slug in ("nulle-part", hidden.slug, "999999", "9" * 30):
        error = assert_error(
            _post(client, f"/api/v1/places/{slug}/edits", {"name": "X"}, **token), 404
        )
        assert error["message"] == "Aucun lieu n'a cette adresse."
        assert_error(_post(client, f"/api/v1/places/{slug}/confirm", {}, **token), 404)
        assert_error(client.get(f"/api/v1/places/{slug}/edits/1", **token), 404)


# --- Following an edit ----------------------------------------------------------------------


def test_the_place_id_works_as_well_as_its_slug(client):
    place, editor = _claimed_place()
    response = _post(
        client, f"/api/v1/places/{place.pk}/edits", {"name": "Par numéro"}, **_token(editor)
    )
    assert response.status_code == 202
    assert response.json()["url"].endswith(
        f"/places/{place.slug}/edits/{PlaceEdit.objects.get().pk}"
    )


def test_someone_elses_edit_is_a_404_as_if_it_did_not_exist(client):
    place, editor = _claimed_place()
    colleague = UserFactory()
    MembershipFactory(user=colleague, organisation=place.organisation, role=Role.EDITOR)
    edit = services.propose_place_edit(place=place, user=editor, data={"name": "Autre"})
    other_place = PlaceFactory(organisation=place.organisation)
    url = f"{_edits_url(place)}/{edit.pk}"

    for user in (UserFactory(), colleague):
        missing = assert_error(
            client.get(f"{_edits_url(place)}/{edit.pk + 1}", **_token(user)), 404
        )
        refused = assert_error(client.get(url, **_token(user)), 404)
        assert refused == missing  # nothing tells that it exists
    # Under another place's address, even its author does not find it.
    assert_error(client.get(f"{_edits_url(other_place)}/{edit.pk}", **_token(editor)), 404)
    assert client.get(url, **_token(editor)).status_code == 200
    assert client.get(url, **_token(StaffFactory())).status_code == 200


@pytest.mark.parametrize("edit_id", ["0", "-1", "abc", "99999999999999999999999", "1.5"])
def test_odd_edit_numbers_are_not_a_500(client, edit_id):
    place, editor = _claimed_place()
    response = client.get(f"{_edits_url(place)}/{edit_id}", **_token(editor))
    assert response.status_code in {400, 404}, response.content


@pytest.mark.parametrize(
    ("decision", "label"),
    [(S.CHANGES_REQUESTED, "Modifications demandées"), (S.REJECTED, "Refusé")],
)
def test_author_reads_the_teams_reason_when_changes_are_asked_or_refused(client, decision, label):
    place, editor = _claimed_place()
    edit = services.propose_place_edit(place=place, user=editor, data={"name": "Autre"})
    moderation.transition(
        obj=edit, to_status=decision, actor=StaffFactory(), reason="Le nom officiel est autre."
    )
    answer = client.get(f"{_edits_url(place)}/{edit.pk}", **_token(editor)).json()
    assert answer["status"] == decision
    assert answer["status_label"] == label
    assert answer["moderation_reason"] == "Le nom officiel est autre."
    assert answer["changes"] == {"name": {"before": place.name, "after": "Autre"}}


# --- Confirming the listing is current -------------------------------------------------------


def test_confirm_makes_the_listing_fresh_again(client):
    place, editor = _claimed_place(source_updated_on=date(2020, 1, 1))
    assert place in selectors.stale_places()
    before = timezone.now()
    response = _post(client, f"/api/v1/places/{place.slug}/confirm", {}, **_token(editor))
    assert response.status_code == 200, response.content
    place.refresh_from_db()
    assert before <= place.confirmed_at <= timezone.now()
    assert response.json() == {
        "place": place.slug,
        "last_confirmed_at": place.confirmed_at.isoformat(),
    }
    assert place not in selectors.stale_places()
    assert not PlaceEdit.objects.exists()


def test_confirm_without_a_body_works_too(client):
    place, editor = _claimed_place()
    response = client.post(f"/api/v1/places/{place.slug}/confirm", **_token(editor))
    assert response.status_code == 200, response.content


def test_writes_count_against_the_tokens_rate_limit(client, settings):
    settings.API_RATE_LIMITS = {"token": (2, 60)}
    place, editor = _claimed_place()
    token = _token(editor)
    url = f"/api/v1/places/{place.slug}/confirm"
    assert _post(client, url, {}, **token).status_code == 200
    assert _post(client, _edits_url(place), {"name": "Nom"}, **token).status_code == 202
    response = _post(client, _edits_url(place), {"name": "Encore"}, **token)
    assert_error(response, 429, "rate_limited")
    assert response["Retry-After"]
    assert PlaceEdit.objects.count() == 1
    assert _post(client, url, {}, **_token(StaffFactory())).status_code == 200


# --- Documentation ------------------------------------------------------------------------


def test_the_endpoints_are_documented_with_their_body_and_bearer_security(client):
    document = openapi_schema()
    paths = document["paths"]
    for method, path in [
        ("post", "/api/v1/places/{ident}/edits"),
        ("get", "/api/v1/places/{ident}/edits/{edit_id}"),
        ("post", "/api/v1/places/{ident}/confirm"),
    ]:
        operation = paths[path][method]
        assert operation["security"], path
        assert operation["summary"], path
    body = paths["/api/v1/places/{ident}/edits"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = document["components"]["schemas"][ref]["properties"]
    assert list(properties) == services.EDITABLE_FIELDS
    assert "fablab" in properties["kinds"]["items"]["enum"]
    page = client.get("/api/v1/documentation/annuaire-des-acteurs").content.decode()
    assert "POST /api/v1/places/{ident}/edits" in page
    assert "opening_hours" in page and "-X POST" in page


# --- Fuzz ---------------------------------------------------------------------------------

editable = st.sampled_from(services.EDITABLE_FIELDS)
keys = st.one_of(editable, editable, editable, st.sampled_from(["latitude", "slug"]), st.text())
texts = st.text(max_size=40) | st.sampled_from(
    ["", " ", "05 45 00 00 00", "+33 5 45", "https://ok.example.org", "Mo-Fr 09:00-12:00", "2"]
)
values = st.one_of(
    texts,
    texts,
    st.none(),
    st.integers(),
    st.lists(texts | st.sampled_from(["mediation", "a@b.fr", "gratuit"]), max_size=4),
)
bodies = st.dictionaries(keys, values, max_size=4)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies, as_team=st.booleans())
def test_fuzzed_bodies_never_give_a_500(body, as_team):
    place, editor = _claimed_place()
    user = StaffFactory() if as_team else editor
    response = _post(Client(raise_request_exception=False), _edits_url(place), body, **_token(user))
    assert response.status_code in {201, 202, 400, 422}, response.content
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert not PlaceEdit.objects.filter(place=place).exists()


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(editable, values, min_size=1, max_size=2))
def test_fuzzed_values_of_editable_fields_never_give_a_500(body):
    place, editor = _claimed_place()
    response = _post(
        Client(raise_request_exception=False), _edits_url(place), body, **_token(editor)
    )
    assert response.status_code in {202, 422}, response.content
    if response.status_code == 202:
        edit = PlaceEdit.objects.get(place=place)
        assert set(edit.changes) <= set(body)
