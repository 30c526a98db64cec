import copy

import pytest
from django.urls import reverse

from ressourcerie.accounts.models import User
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lenient_templates(settings):
    # Django's own admin templates rely on undefined variables rendering as "".
    templates = copy.deepcopy(settings.TEMPLATES)
    for engine in templates:
        engine["OPTIONS"]["string_if_invalid"] = ""
    settings.TEMPLATES = templates


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_list_search_and_edit_users_in_the_admin(admin_client):
    user = MembershipFactory().user
    assert admin_client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert (
        admin_client.get(reverse("admin:accounts_user_changelist"), {"q": user.email}).status_code
        == 200
    )
    assert (
        admin_client.get(reverse("admin:accounts_user_change", args=[user.pk])).status_code == 200
    )


def test_staff_create_a_user_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:accounts_user_add")).status_code == 200
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "nouvelle@example.org",
            "password1": "un-mot-de-passe-solide",
            "password2": "un-mot-de-passe-solide",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.filter(email="nouvelle@example.org").exists()
