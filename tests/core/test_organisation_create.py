import pytest
from django.urls import reverse

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core.models import Organisation
from tests.factories import OrganisationFactory, UserFactory

from .organisation_fixtures import VALID_RNA, VALID_SIREN, VALID_SIRET, communes  # noqa: F401

URL = reverse("core:organisation_create")


def form_data(**overrides):
    data = {
        "name": "Les Amis du Vélo",
        "rna": VALID_RNA,
        "siren_siret": "",
        "commune": "Nantes",
        "sector": "sport",
        "members_band": "11-50",
        "budget_band": "0-10k",
        "description": "Ateliers de réparation.",
        "website": "https://amis-velo.example.org",
        "public_email": "contact@amis-velo.example.org",
    }
    data.update(overrides)
    return data


@pytest.fixture
def signed_in(client, communes):  # noqa: F811
    user = UserFactory()
    client.force_login(user)
    return user


def test_asks_strangers_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_creates_association_and_makes_creator_a_member(client, signed_in):
    response = client.post(URL, form_data(rna="w 442 001 234"))
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:organisation_detail", args=[organisation.slug])
    assert organisation.slug == "les-amis-du-velo"
    assert organisation.rna == VALID_RNA
    assert organisation.commune.insee == "44109"
    assert organisation.created_by == signed_in
    assert Membership.objects.filter(
        user=signed_in, organisation=organisation, role=Role.MEMBER
    ).exists()


def test_derives_siren_from_siret(client, signed_in):
    client.post(URL, form_data(rna="", siren_siret="443 061 841 00047"))
    organisation = Organisation.objects.get()
    assert (organisation.siren, organisation.siret) == ("443061841", VALID_SIRET)


def test_requires_at_least_one_identifier(client, signed_in):
    page = client.post(URL, form_data(rna="", siren_siret="")).content.decode()
    assert "au moins un" in page
    assert not Organisation.objects.exists()


def test_refuses_wrong_luhn_key_next_to_the_field(client, signed_in):
    response = client.post(URL, form_data(rna="", siren_siret="542051181"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "clé de contrôle" in page
    assert 'value="542051181"' in page


def test_accepts_postal_code_and_department_hint(client, signed_in, communes):  # noqa: F811
    client.post(URL, form_data(commune="44600"))
    assert Organisation.objects.get().commune == communes["saint_nazaire"]
    client.post(
        URL, form_data(name="Autre", rna="", siren_siret=VALID_SIREN, commune="Saint-Denis (93)")
    )
    assert Organisation.objects.get(name="Autre").commune == communes["saint_denis_93"]


def test_ambiguous_commune_offers_candidates_and_keeps_what_was_typed(client, signed_in):
    response = client.post(URL, form_data(commune="Saint-Denis"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Plusieurs communes correspondent" in page
    assert 'name="commune_choix" id="id_commune_choix_1" value="' in page
    assert "93066" in page and "97411" in page
    assert 'value="Les Amis du Vélo"' in page and 'value="Saint-Denis"' in page
    assert not Organisation.objects.exists()

    client.post(URL, form_data(commune="Saint-Denis", commune_choix="97411"))
    assert Organisation.objects.get().commune.insee == "97411"


def test_chosen_candidate_stays_checked_when_another_field_is_wrong(client, signed_in):
    page = client.post(
        URL, form_data(commune="Saint-Denis", commune_choix="97411", public_email="pas-une-adresse")
    ).content.decode()
    assert 'value="97411" checked' in page


def test_choice_outside_candidates_is_ignored(client, signed_in):
    page = client.post(
        URL, form_data(commune="Saint-Denis", commune_choix="44109")
    ).content.decode()
    assert "Plusieurs communes correspondent" in page
    assert not Organisation.objects.exists()


def test_unknown_commune_suggests_close_spellings(client, signed_in):
    page = client.post(URL, form_data(commune="Nantte")).content.decode()
    assert "Nous ne trouvons pas de commune" in page
    assert "Vouliez-vous dire" in page and "Nantes (44)" in page
    client.post(URL, form_data(commune="Nantte", commune_choix="44109"))
    assert Organisation.objects.get().commune.insee == "44109"


def test_unknown_commune_without_suggestion(client, signed_in):
    page = client.post(URL, form_data(commune="Zzzzzzz")).content.decode()
    assert "Nous ne trouvons pas de commune" in page
    assert "Vouliez-vous dire" not in page


def test_refuses_duplicate_rna_on_the_field(client, signed_in):
    OrganisationFactory(name="Déjà là", rna=VALID_RNA)
    page = client.post(URL, form_data()).content.decode()
    assert "Ce numéro RNA est déjà celui de « Déjà là »" in page
    assert Organisation.objects.count() == 1


def test_refuses_duplicate_siret_and_siren(client, signed_in):
    OrganisationFactory(name="Déjà là", siren="443061841", siret=VALID_SIRET)
    page = client.post(URL, form_data(rna="", siren_siret=VALID_SIRET)).content.decode()
    assert "déjà celui de « Déjà là »" in page
    page = client.post(URL, form_data(rna="", siren_siret="443061841")).content.decode()
    assert "déjà celui de « Déjà là »" in page
    assert Organisation.objects.count() == 1


def test_slugs_are_unique_and_avoid_reserved_words(client, signed_in):
    OrganisationFactory(name="Les Amis du Vélo", slug="les-amis-du-velo")
    client.post(URL, form_data())
    assert Organisation.objects.filter(slug="les-amis-du-velo-2").exists()
    client.post(URL, form_data(name="Inscrire", rna="", siren_siret=VALID_SIREN))
    assert Organisation.objects.get(name="Inscrire").slug == "inscrire-2"


def test_list_filters_by_department_and_sector_and_marks_verified(client, communes):  # noqa: F811
    from django.utils import timezone

    OrganisationFactory(name="Vélo nantais", sector="sport", verified_at=timezone.now())
    OrganisationFactory(
        name="Théâtre dionysien", sector="culture", commune=communes["saint_denis_93"]
    )
    page = client.get(reverse("core:organisation_list")).content.decode()
    assert "Vélo nantais" in page and "Théâtre dionysien" in page
    assert "vérifiée" in page and "non vérifiée" in page
    assert 'aria-current="page"' in page  # the Associations part is current
    page = client.get(reverse("core:organisation_list"), {"departement": "93"}).content.decode()
    assert "Théâtre dionysien" in page and "Vélo nantais" not in page
    page = client.get(reverse("core:organisation_list"), {"secteur": "sport"}).content.decode()
    assert "Vélo nantais" in page and "Théâtre dionysien" not in page
    response = client.get(reverse("core:organisation_list"), {"secteur": "<x>", "page": "zz"})
    assert response.status_code == 200


def test_list_paginates_by_twenty(client, communes):  # noqa: F811
    for n in range(25):
        OrganisationFactory(name=f"Asso {n:02d}")
    page = client.get(reverse("core:organisation_list")).content.decode()
    assert page.count('class="card"') == 20
    page = client.get(reverse("core:organisation_list"), {"page": 2}).content.decode()
    assert page.count('class="card"') == 5


def test_detail_page_is_public(client, communes):  # noqa: F811
    organisation = OrganisationFactory(name="Vélo nantais", rna=VALID_RNA)
    page = client.get(
        reverse("core:organisation_detail", args=[organisation.slug])
    ).content.decode()
    assert "Vélo nantais" in page and VALID_RNA in page and "non vérifiée" in page
    assert reverse("core:organisation_edit", args=[organisation.slug]) not in page


def test_navigation_marks_associations_current_by_path_prefix(client, communes):  # noqa: F811
    from ressourcerie.core import navigation

    home = client.get(reverse("core:home")).content.decode()
    assert reverse("core:organisation_list") in home and 'aria-current="page"' not in home
    organisation = OrganisationFactory()
    page = client.get(
        reverse("core:organisation_detail", args=[organisation.slug])
    ).content.decode()
    assert f'href="{reverse("core:organisation_list")}" aria-current="page"' in page
    assert any(p.key == "associations" for p in navigation.parts())


def test_creations_are_limited_per_account_saying_when_to_retry(
    client, signed_in, settings, ratelimit_clock
):
    settings.ORGANISATIONS_RATE_LIMITS = {"create_user": (1, 86400)}
    assert client.post(URL, form_data()).status_code == 302
    response = client.post(
        URL, form_data(name="Les Amis du Roller", rna="", siren_siret=VALID_SIRET)
    )
    assert response.status_code == 429
    html = response.content.decode()
    # The clock stands at 12:30 UTC: the day's window ends in 11 h 30.
    assert html.count("Trop de demandes en peu de temps. Réessayez dans 12 heures environ.") == 1
    assert "Les Amis du Roller" in html  # what was typed is kept
    assert Organisation.objects.count() == 1
