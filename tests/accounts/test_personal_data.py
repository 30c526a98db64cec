import json

import pytest
from django.contrib.contenttypes.models import ContentType

from ressourcerie.accounts import personal_data
from ressourcerie.accounts.models import Role
from ressourcerie.accounts.personal_data import DELETED
from ressourcerie.accounts.services import _issue_code, create_api_token
from ressourcerie.core.models import ModerationTransition, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPORT = "/compte/mes-donnees/"


@pytest.fixture
def rich_user():
    user = UserFactory(email="alix@example.org", display_name="Alix")
    organisation = OrganisationFactory(name="Les Amis du Vélo", created_by=user)
    MembershipFactory(user=user, organisation=organisation)
    MembershipFactory(user=user, organisation=None, role=Role.MODERATOR)
    create_api_token(user=user, name="Tableur")
    _issue_code(user)
    ModerationTransition.objects.create(
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=str(organisation.pk),
        from_status="submitted",
        to_status="published",
        actor=user,
        reason="Conforme",
    )
    return user


def download(client, user):
    client.force_login(user)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_export_holds_everything_about_the_person(client, rich_user):
    data = download(client, rich_user)["donnees"]
    account = data["compte"]
    assert account["utilisateur"]["adresse_e_mail"] == "alix@example.org"
    assert account["utilisateur"]["nom_affiche"] == "Alix"
    roles = {r["role"]: r for r in account["roles"]}
    assert roles["member"]["organisation"]["nom"] == "Les Amis du Vélo"
    assert roles["moderator"]["organisation"] is None
    assert account["jetons_api"][0]["nom"] == "Tableur"
    assert account["codes_de_connexion_en_base"] == 1
    core = data["organisations_et_moderation"]
    assert core["organisations_creees"][0]["nom"] == "Les Amis du Vélo"
    assert core["decisions_de_moderation"][0]["motif"] == "Conforme"
    assert core["decisions_de_moderation"][0]["contenu"] == "core.organisation"


def test_export_never_holds_secrets(client, rich_user):
    body = json.dumps(download(client, rich_user))
    assert rich_user.password not in body
    assert "md5$" not in body
    assert "password" not in body
    for token in rich_user.api_tokens.all():
        assert token.token_hash not in body
    for code in rich_user.login_codes.all():
        assert code.code_hash not in body


def test_export_holds_nothing_about_others(client, rich_user):
    other = UserFactory(email="autre@example.org")
    OrganisationFactory(name="Autre asso", created_by=other)
    body = json.dumps(download(client, rich_user))
    assert "autre@example.org" not in body
    assert "Autre asso" not in body


def test_apps_can_register_their_own_section(client, monkeypatch):
    monkeypatch.setattr(personal_data, "_providers", dict(personal_data._providers))
    personal_data.register("boite_a_outils", lambda user: {"favoris": [user.pk]})
    user = UserFactory()
    data = download(client, user)["donnees"]
    assert data["boite_a_outils"] == {"favoris": [user.pk]}


def test_declaring_a_section_registers_its_export_erasure_and_fields(monkeypatch):
    monkeypatch.setattr(personal_data, "_providers", {})
    monkeypatch.setattr(personal_data, "_erasure_steps", [])
    monkeypatch.setattr(personal_data, "_held", {})
    erased = []
    personal_data.declare(
        "essai",
        export=lambda user: {"id": user.pk},
        erase=erased.append,
        fields=[personal_data.Held("core.OrganisationCorrection", ["message"], DELETED)],
    )
    user = UserFactory()
    assert personal_data.collect(user) == {"essai": {"id": user.pk}}
    personal_data.run_erasure_steps(user)
    assert erased == [user]
    section, held = personal_data.declared_fields()[("core.OrganisationCorrection", "message")]
    assert section == "essai" and held.erasure is DELETED


def test_a_kept_field_must_say_why():
    with pytest.raises(ValueError):
        personal_data.Held("core.Organisation", ["created_by"], personal_data.KEPT)
