"""The harness itself: a page breaking every rule is caught, with a readable message; a setup
built once per run gives what a real build gives, and a test's writes do not reach the next."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models

from . import snapshots
from .a11y import describe_violations, run_axe
from .budgets import Budget, measure_first_visit
from .pages import with_catalogue, with_directory

# One worker for the whole file under xdist (make test-browser: -n 2 --dist loadgroup): the
# "1 of 2 / 2 of 2" pair proves a write does not reach the next test of the same process,
# which two workers would make true whatever the flush does; the snapshot tests replay what
# their own process recorded.
pytestmark = pytest.mark.xdist_group("harness")

BAD_PAGE = """<!doctype html>
<html><head><title>Mauvaise page</title>
</head>
<body><main>
<img src="/static/img/favicon.svg">
<img src="https://tiles.example.org/1/2/3.png" alt="">
<p style="color: #777">Texte pâle</p>
<p class="pale">Gris sur blanc</p>
<style>.pale { color: #bbb; }</style>
<script>console.log("inline");</script>
<a href="#"></a>
</main></body></html>"""
# As the site's own CSP when an instance configures a tile server (MAP_TILE_URL).
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https://tiles.example.org"


def test_a_page_breaking_the_rules_fails_every_check(live_server, new_context):
    url = live_server.url + "/__mauvaise-page__/"

    def serve_bad_page(page):
        def handler(route):
            if route.request.url == url:
                route.fulfill(
                    status=200,
                    body=BAD_PAGE,
                    headers={
                        "Content-Type": "text/html; charset=utf-8",
                        "Content-Security-Policy": CSP,
                    },
                )
            else:
                route.fallback()

        page.route("**/*", handler)

    context = new_context()
    measure, page = measure_first_visit(context, url, live_server.url, prepare=serve_bad_page)

    assert measure.foreign_requests == ["https://tiles.example.org/1/2/3.png"]
    assert any("inline style" in e for e in measure.console_errors), measure.console_errors
    assert any("inline script" in e for e in measure.console_errors), measure.console_errors
    failures = measure.budget_failures(Budget(max_kb=0.5, max_requests=1, max_dom=5))
    text = "\n".join(failures)
    for expected in ("weight", "requests >", "DOM elements >", "another host", "console errors"):
        assert expected in text, text

    results = run_axe(page)
    ids = {v["id"] for v in results["violations"]}
    assert {"html-has-lang", "image-alt", "link-name"} <= ids, ids
    assert results["passes"], "axe reported no passing rule"
    report = "\n".join(describe_violations(results))
    assert "image-alt" in report and "at img" in report and "dequeuniversity" in report


# --- setups built once per run (snapshots.py) ------------------------------------------------
def _contents() -> dict[str, tuple[int, list]]:
    """Per table: its row count and its sorted text values (names, slugs, bodies, search
    entries…), which do not depend on primary keys or on when the rows were written."""
    contents = {}
    for table in snapshots._tables():
        model_fields = {
            f.column: f
            for model in apps.get_models(include_auto_created=True)
            if model._meta.db_table == table.name
            for f in model._meta.concrete_fields
        }
        text = [
            i
            for i, column in enumerate(table.columns)
            if isinstance(model_fields[column], models.CharField | models.TextField)
        ]
        rows = snapshots._read(table)
        if rows:
            values = sorted(repr(tuple(row[i] for i in text)) for row in rows)
            contents[table.name] = (len(rows), values)
    return contents


def _fts_matches(word: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM core_search_fts WHERE core_search_fts MATCH %s", [word]
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("setup", [with_catalogue, with_directory], ids=lambda s: s.__name__)
def test_a_setup_built_once_gives_what_a_real_build_gives(setup, transactional_db):
    setup(None)  # built, if no earlier test did
    call_command("flush", interactive=False, verbosity=0)
    restored_data = setup(None)  # restored from the recorded rows
    restored = _contents()
    restored_matches = _fts_matches("visio*")
    assert snapshots.STATS[f"{setup.__name__} restored"] >= 1
    call_command("flush", interactive=False, verbosity=0)
    assert _contents() == {}, "the flush left rows: the comparison below would prove nothing"

    built_data = setup.build(None)

    assert restored, "nothing was restored"
    assert _contents() == restored
    assert _fts_matches("visio*") == restored_matches
    assert restored_data.keys() == built_data.keys()
    for key, value in built_data.items():
        assert type(restored_data[key]) is type(value)


def test_a_setup_built_once_refuses_tables_that_already_have_rows(transactional_db):
    with_catalogue(None)
    with pytest.raises(snapshots.NotBuiltOnce, match="already has rows"):
        with_catalogue(None)


def _rename_nextcloud(name):
    from ressourcerie.toolbox.models import Tool

    Tool.objects.filter(slug="nextcloud").update(name=name)


def test_a_test_writing_to_the_restored_catalogue_1_of_2(live_server, new_context):
    with_catalogue(None)
    _rename_nextcloud("Nuage renommé par ce test")
    page = new_context().new_page()
    page.goto(live_server.url + "/outils/nextcloud/")
    assert page.get_by_role("heading", level=1).inner_text() == "Nuage renommé par ce test"


def test_a_test_writing_to_the_restored_catalogue_2_of_2_leaves_the_next_one_untouched(
    live_server, new_context
):
    with_catalogue(None)
    page = new_context().new_page()
    page.goto(live_server.url + "/outils/nextcloud/")
    assert page.get_by_role("heading", level=1).inner_text() == "Nextcloud"
