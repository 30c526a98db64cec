"""Every page of pages.PAGES keeps the budgets of DESIGN.md §6 and has no axe violation.

On failure the message says everything needed to fix the page without rerunning: the
figures, each response, each violation with its rule, help and the nodes' selectors.
Screenshots of every page (360 px and 1280 px) land in tests/browser/screenshots/.
The same loaded page is then narrowed to 320 px for the broken-words check (``narrow.py``).
"""

import pytest

from .a11y import describe_violations, run_axe
from .budgets import figures_row, measure_first_visit
from .conftest import MOBILE
from .narrow import broken_words
from .pages import PAGES


@pytest.mark.parametrize("spec", PAGES, ids=str)
def test_page_keeps_budgets_and_passes_axe(
    spec, live_server, new_context, open_page, screenshots_dir, record_property
):
    url, user = open_page(spec)
    context = new_context(user=user)
    measure, page = measure_first_visit(context, url, live_server.url, spec.status)
    # Through the report, so the summary (conftest) has them under xdist's -n too.
    record_property("page figures", figures_row(spec.name, measure))

    failures = []
    if measure.status != spec.status:
        failures.append(f"status {measure.status}, expected {spec.status}")
    if page.url != url:
        # e.g. a signed-in page sent to the sign-in form: the wrong page would be measured.
        failures.append(f"redirected to {page.url}")
    failures += measure.budget_failures(spec.budget)

    for width in ("1280", "360"):
        if width == "360":
            page.set_viewport_size(MOBILE)
        results = run_axe(page)
        if not results["passes"]:
            failures.append(f"axe at {width} px reported no passing rule: did it run?")
        for block in describe_violations(results):
            failures.append(f"axe at {width} px: {block}")
        page.screenshot(path=screenshots_dir / f"{spec.slug}-{width}.png", full_page=True)

    # 320 px, on the page already loaded (no second visit): no word broken inside.
    failures += [f"word broken inside at 320 px: {word}" for word in broken_words(page)]

    assert not failures, "\n".join(
        [
            f"{spec.name} — {url}",
            f"  {measure.summary()}",
            *(f"  - {failure}" for failure in failures),
            "  responses:",
            measure.detail(),
        ]
    )
