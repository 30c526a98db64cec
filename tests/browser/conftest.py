"""Browser suite: Debian's Chromium through Playwright, against pytest-django's live server.

Run with ``make test-browser`` (sets DJANGO_ALLOW_ASYNC_UNSAFE: sync Playwright runs an event
loop in the test thread, which Django's ORM would otherwise refuse to be called from).
Never ``playwright install``: the browser is Debian's ``chromium-headless-shell`` (the same
Chromium 1xx build as the ``chromium`` package: same Blink, same V8), which is what Playwright
itself runs for headless tests. The full ``chromium`` binary in its new headless mode starts
a whole browser UI per context: a context with one page cost ~0.7 s of CPU against ~0.2 s
with the shell (docs/performance.md), and the suite opens one per test.
``CHROMIUM_PATH=/usr/bin/chromium`` runs the suite on the full browser.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import StaffFactory, UserFactory

from . import db_image
from .budgets import same_origin

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 360, "height": 740}


@pytest.fixture(scope="session", autouse=True)
def _database_image():
    """After each test, the database is restored from an image of its empty state instead of
    flushed (db_image.py)."""
    with db_image.installed():
        yield


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium-headless-shell")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives the browser a fresh, temporary user data dir, removed on close.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def make_user(db):
    """make_user(None | "user" | "staff") -> a confirmed user (or None)."""

    def make(kind: str | None):
        if kind is None:
            return None
        if kind == "staff":
            return StaffFactory()
        if kind == "user":
            return UserFactory()
        raise ValueError(f"unknown user kind {kind!r}")

    return make


@pytest.fixture
def sign_in(live_server):
    """sign_in(context, user): the context is signed in as user, without going through a form.

    The session is created by Django's test client (force_login) and its cookie copied into
    the browser context: fast, and independent of the sign-in pages under test.
    """

    def sign(context, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        return context

    return sign


@pytest.fixture
def new_context(browser, sign_in, live_server):
    """new_context(user=None, viewport=DESKTOP, **options): a fresh context (empty cache,
    no cookies), signed in as user when given; closed at the end of the test.

    Requests to any other host than the live server are aborted: tests never reach the
    network (test_pages also reports them as failures).
    """
    contexts = []

    def only_live_server(route):
        if same_origin(route.request.url, live_server.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def make(user=None, viewport=None, **options):
        options.setdefault("locale", "fr-FR")
        context = browser.new_context(viewport=viewport or DESKTOP, **options)
        context.set_default_timeout(10_000)
        context.route("**/*", only_live_server)
        contexts.append(context)
        if user is not None:
            sign_in(context, user)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def no_js_context(new_context):
    """new_context with JavaScript disabled: every form must work without it (DESIGN §6).

    Usage: ``context = no_js_context(user=None)``; ``page = context.new_page()``.
    """

    def make(user=None, **options):
        return new_context(user=user, java_script_enabled=False, **options)

    return make


@pytest.fixture
def open_page(live_server, make_user):
    """open_page(page_spec) -> (absolute url, user): creates the spec's user and data."""

    def prepare(spec):
        user = make_user(spec.user)
        data = spec.setup(user) if spec.setup else {}
        return live_server.url + spec.path(data), user

    return prepare


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


def pytest_runtest_logreport(report):
    if report.when == "call":
        from .budgets import FIGURES

        FIGURES.extend(value for key, value in report.user_properties if key == "page figures")


def pytest_sessionfinish(session):
    # Under xdist (make test-browser: -n 2), each worker builds its own setups once: its
    # counts go back to the controller, whose summary below adds them up.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        from .snapshots import STATS

        workeroutput["built once"] = dict(STATS)
        workeroutput["database image"] = dict(db_image.STATS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from .snapshots import STATS

    output = getattr(node, "workeroutput", {})
    STATS.update(output.get("built once", {}))
    db_image.STATS.update(output.get("database image", {}))


def pytest_terminal_summary(terminalreporter):
    from .budgets import FIGURES, ecoindex_grade
    from .snapshots import STATS

    if STATS:
        terminalreporter.section("setups built once per run (snapshots.py)")
        for name in sorted({key.rsplit(" ", 1)[0] for key in STATS}):
            terminalreporter.write_line(
                f"{name}: built {STATS[name + ' built']}, restored {STATS[name + ' restored']}, "
                f"{STATS[name + ' seconds']:.1f} s in all"
            )
    if db_image.STATS:
        terminalreporter.section("database after each test (db_image.py)")
        terminalreporter.write_line(
            f"flushed {db_image.STATS['flushed']}, restored from the image "
            f"{db_image.STATS['restored']}"
        )
    if not FIGURES:
        return
    terminalreporter.section("page figures (first visit, empty cache)")
    terminalreporter.write_line(
        f"{'page':<22} {'KB':>7} {'raw KB':>7} {'req':>4} {'DOM':>5} {'EcoIndex':>9}"
    )
    for name, kb, raw_kb, requests, dom, ecoindex in FIGURES:
        terminalreporter.write_line(
            f"{name:<22} {kb:>7.1f} {raw_kb:>7.1f} {requests:>4} {dom:>5} "
            f"{ecoindex:>6.1f} {ecoindex_grade(ecoindex)}"
        )
