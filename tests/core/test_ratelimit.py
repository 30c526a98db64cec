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
