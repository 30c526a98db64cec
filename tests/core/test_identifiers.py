import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ressourcerie.core.identifiers import (
    luhn_check_digit,
    luhn_valid,
    normalize_rna,
    normalize_siren,
    normalize_siren_or_siret,
    normalize_siret,
    siren_from_siret,
)

# Public identifiers (annuaire-entreprises.data.gouv.fr), also checked by luhn_valid below.
KNOWN_SIRENS = ["542051180", "552100554", "120027016", "130025265", "356000000"]
KNOWN_SIRETS = ["44306184100047", "54205118000066", "55210055400013"]
# La Poste's establishments: digit sum multiple of 5, not Luhn; the head office is Luhn.
LA_POSTE_SIRETS = ["35600000049837", "35600000000048"]


@pytest.mark.parametrize("siren", KNOWN_SIRENS)
def test_accepts_real_sirens(siren):
    assert luhn_valid(siren)
    assert normalize_siren(siren) == siren


@pytest.mark.parametrize("siret", KNOWN_SIRETS + LA_POSTE_SIRETS)
def test_accepts_real_sirets(siret):
    assert normalize_siret(siret) == siret
    assert siren_from_siret(siret) == siret[:9]


def test_la_poste_siret_uses_digit_sum_rule():
    assert not luhn_valid("35600000049837")
    assert normalize_siret("356 000 000 49837") == "35600000049837"
    with pytest.raises(ValidationError):
        normalize_siret("35600000049838")  # sum 46: neither rule holds


def test_luhn_function_on_textbook_example():
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert luhn_check_digit("7992739871") == "3"


def test_accepts_spaces_dots_and_lower_case():
    assert normalize_rna(" w 442 001 234 ") == "W442001234"
    assert normalize_siren("542 051 180") == "542051180"
    assert normalize_siret("443.061.841.00047") == "44306184100047"


@pytest.mark.parametrize("value", ["", "W12345678", "W1234567890", "X123456789", "W12345678a"])
def test_refuses_malformed_rna_in_french(value):
    with pytest.raises(ValidationError) as error:
        normalize_rna(value)
    assert "W suivi de 9 chiffres" in error.value.messages[0]


def test_refuses_wrong_key_with_french_message():
    with pytest.raises(ValidationError) as error:
        normalize_siren("542051181")
    assert "clé de contrôle" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        normalize_siret("44306184100048")
    assert "clé de contrôle" in error.value.messages[0]


def test_refuses_non_ascii_digits():
    with pytest.raises(ValidationError):
        normalize_siren("５４２０５１１８０")  # full-width digits


def test_one_field_accepts_siren_or_siret():
    assert normalize_siren_or_siret("542051180") == ("542051180", "")
    assert normalize_siren_or_siret("44306184100047") == ("443061841", "44306184100047")
    with pytest.raises(ValidationError) as error:
        normalize_siren_or_siret("12345")
    assert "9 chiffres" in error.value.messages[0]


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_any_luhn_completed_siren_is_accepted(prefix):
    siren = prefix + luhn_check_digit(prefix)
    assert normalize_siren(siren) == siren


@given(
    st.text(alphabet="0123456789", min_size=13, max_size=13).filter(
        lambda p: not p.startswith("356000000")
    )
)
def test_any_luhn_completed_siret_is_accepted(prefix):
    siret = prefix + luhn_check_digit(prefix)
    assert normalize_siret(siret) == siret


@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.integers(min_value=0, max_value=8),
    st.integers(min_value=1, max_value=9),
)
def test_one_changed_digit_is_refused(prefix, position, delta):
    siren = prefix + luhn_check_digit(prefix)
    changed = siren[:position] + str((int(siren[position]) + delta) % 10) + siren[position + 1 :]
    with pytest.raises(ValidationError):
        normalize_siren(changed)


@given(
    st.text(alphabet="0123456789", min_size=13, max_size=13).filter(
        lambda p: not p.startswith("356")
    ),
    st.integers(min_value=0, max_value=13),
    st.integers(min_value=1, max_value=9),
)
def test_one_changed_digit_in_siret_is_refused(prefix, position, delta):
    siret = prefix + luhn_check_digit(prefix)
    changed = siret[:position] + str((int(siret[position]) + delta) % 10) + siret[position + 1 :]
    with pytest.raises(ValidationError):
        normalize_siret(changed)


@given(st.text(max_size=30))
def test_arbitrary_text_never_crashes(text):
    for normalize in (normalize_rna, normalize_siren, normalize_siret, normalize_siren_or_siret):
        try:
            normalize(text)
        except ValidationError as error:
            assert error.messages
