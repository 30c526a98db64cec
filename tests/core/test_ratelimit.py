import pytest
from django.test import RequestFactory

from ressourcerie.core import ratelimit


def test_allows_up_to_the_limit_then_refuses():
    results = [ratelimit.allow("t", key="1.2.3.4", limit=3, period=60) for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert ratelimit.allow("t", key="5.6.7.8", limit=3, period=60)
    assert ratelimit.allow("other", key="1.2.3.4", limit=3, period=60)


def test_disabled_rate_limits_always_allow(settings):
    settings.RATE_LIMITS_ENABLED = False
    assert all(ratelimit.allow("t", key="k", limit=1, period=60) for _ in range(5))


def test_client_ip_trusts_x_real_ip_only_behind_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="9.9.9.9")
    settings.BEHIND_PROXY = False
    assert ratelimit.client_ip(request) == "127.0.0.1"
    settings.BEHIND_PROXY = True
    assert ratelimit.client_ip(request) == "9.9.9.9"


def _request(address, **meta):
    return RequestFactory().get("/", REMOTE_ADDR=address, **meta)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("not an address", "unknown"),
        ("", "unknown"),
    ],
)
def test_clients_are_keyed_by_ipv4_address_or_ipv6_64(address, key):
    assert ratelimit.client_key(_request(address)) == key


def test_client_key_reads_x_real_ip_behind_proxy(settings):
    settings.BEHIND_PROXY = True
    request = _request("127.0.0.1", HTTP_X_REAL_IP=" 2001:db8:5:6:7::9 ")
    assert ratelimit.client_key(request) == "2001:db8:5:6::/64"


def test_addresses_of_one_ipv6_64_share_one_quota(ratelimit_clock):
    limits = ratelimit.Table("t", {"form": (2, 3600)}, setting="T_RATE_LIMITS")
    waits = [limits.check(client=("form", _request(f"2001:db8:1:2::{n}"))) for n in range(1, 4)]
    assert waits == [0, 0, 1800]
    assert limits.check(client=("form", _request("2001:db8:1:3::1"))) == 0


def test_target_addresses_are_folded_before_counting(ratelimit_clock):
    limits = ratelimit.Table("t", {"mail": (1, 3600)}, setting="T_RATE_LIMITS")
    assert limits.check(address=("mail", "Alix@Example.org ")) == 0
    assert limits.check(address=("mail", " alix@example.ORG")) == 1800
    assert limits.check(address=("mail", "bea@example.org")) == 0


def test_a_table_reads_overrides_from_its_setting(ratelimit_clock, settings):
    settings.T_RATE_LIMITS = {"form": (1, 60)}
    limits = ratelimit.Table("t", {"form": (5, 3600)}, setting="T_RATE_LIMITS")
    assert limits.rule("form") == (1, 60)
    assert limits.hit("form", "k") == 0
    assert limits.hit("form", "k") == 60


def test_retry_message_says_when():
    assert ratelimit.retry_message(1800) == "Réessayez dans 30 minutes."
    assert ratelimit.retry_message(30) == "Réessayez dans 1 minute."
    assert ratelimit.retry_message(20 * 3600) == "Réessayez dans 20 heures environ."
