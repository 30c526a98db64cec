"""The harness itself: a page breaking every rule is caught, with a readable message."""

from .a11y import describe_violations, run_axe
from .budgets import Budget, measure_first_visit

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
