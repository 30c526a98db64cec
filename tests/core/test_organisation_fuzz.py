"""Any text in any field of the organisation form: never a 500, French errors, values kept."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ressourcerie.core.models import Organisation
from tests.factories import UserFactory

from .organisation_fixtures import communes  # noqa: F401

FIELDS = [
    "name",
    "rna",
    "siren_siret",
    "commune",
    "commune_choix",
    "sector",
    "members_band",
    "budget_band",
    "description",
    "website",
    "public_email",
]
ENGLISH = ["This field", "Enter a valid", "Select a valid", "Ensure this value"]

# Printable text plus the awkward bits: NUL, accents, RTL marks, emoji, long strings.
texts = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789 wW", max_size=20),
    st.sampled_from(["Saint-Denis", "Nantte", "44000", "\x00", "<script>", "' OR 1=1 --"]),
    st.text(min_size=3000, max_size=3200, alphabet="aé "),
)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, texts)))
def test_any_input_never_breaks_the_form(client, communes, data):  # noqa: F811
    user = UserFactory(email="fuzz@example.org")
    client.force_login(user)
    Organisation.objects.all().delete()
    response = client.post(reverse("core:organisation_create"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        page = response.content.decode()
        assert "alert-error" in page
        assert not any(english in page for english in ENGLISH)
        name = data.get("name", "")
        if name and "\r" not in name and "\x00" not in name:
            assert f'value="{escape(name)}"' in page
