"""core.tokens.sign_ids: the compact signed links sent in bulk (newsletter messages)."""

import pytest

from ressourcerie.core.tokens import is_signed_ids, read_signed_ids, sign_ids


class Invalid(Exception):
    pass


def test_round_trip_and_shape():
    token = sign_ids(42, 3, 7, salt="a")
    assert token.startswith("42.3.7.") and is_signed_ids(token)
    assert read_signed_ids(token, salt="a", invalid=Invalid) == [42, 3, 7]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t.replace("42.", "43.", 1),  # another subscriber
        lambda t: t.replace(".3.", ".4.", 1),  # another token version
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # another signature
        lambda t: t[:-1],  # cut
        lambda t: t.rpartition(".")[2],  # the signature alone
        lambda t: "٤٢" + t[2:],  # digits that int() would read
        lambda t: "42." + t,  # one more number
        lambda t: "",
    ],
)
def test_tampered_tokens_are_refused(tamper):
    token = sign_ids(42, 3, 7, salt="a")
    with pytest.raises(Invalid):
        read_signed_ids(tamper(token), salt="a", invalid=Invalid)


def test_a_token_is_bound_to_its_salt_and_secret(settings):
    token = sign_ids(42, 3, salt="a")
    with pytest.raises(Invalid):
        read_signed_ids(token, salt="b", invalid=Invalid)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "une-autre-clé-" * 4
    assert read_signed_ids(token, salt="a", invalid=Invalid) == [42, 3]  # rotated key
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(Invalid):
        read_signed_ids(token, salt="a", invalid=Invalid)


def test_only_non_negative_integers_are_signed():
    with pytest.raises(ValueError):
        sign_ids(-1, salt="a")
    with pytest.raises(ValueError):
        sign_ids(salt="a")
