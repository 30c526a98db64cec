import pytest
from django.conf import settings


class InvalidTemplateVariable(str):
    """Undefined template variables fail tests instead of rendering as ''."""

    def __mod__(self, other):
        raise AssertionError(f"Undefined template variable: {other!r}")


@pytest.fixture(autouse=True)
def _strict_templates(settings):
    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["string_if_invalid"] = InvalidTemplateVariable("%s")


@pytest.fixture(autouse=True)
def _outbox_in_tmp(settings, tmp_path):
    settings.EMAIL_OUTBOX_DIR = tmp_path / "outbox"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from ressourcerie.core import pagecache
    from ressourcerie.diagnostic import selectors as diagnostic_selectors

    cache.clear()
    pagecache.clear_local()
    diagnostic_selectors.forget_structures()
    yield


class _Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def ratelimit_clock(request, monkeypatch):
    """Stops the rate limiter's clock half-way through an hour (and a day, UTC), so no fixed
    window ends in the middle of a test; ``ratelimit_clock.advance(s)`` moves it on. On for
    every test but the browser suite's (a test that counted to a limit at hh:mm:59 failed
    when the window turned); ask for it by name to move it."""
    from ressourcerie.core import ratelimit

    if request.node.get_closest_marker("browser"):
        return None
    clock = _Clock(1_800_000_000.0 - 1_800_000_000 % 86400 + 12 * 3600 + 1800)
    monkeypatch.setattr(ratelimit, "_now", clock)
    return clock


def pytest_collection_modifyitems(config, items):
    # Tests under tests/browser/ are the browser suite (make test-browser).
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


__all__ = ["settings"]
