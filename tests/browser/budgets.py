"""Weight, requests, DOM size and EcoIndex of a first visit, and the budgets they must keep.

DESIGN.md §6: every page ≤ 150 KB transferred (compressed), ≤ 10 requests, ≤ 600 DOM
elements, EcoIndex ≥ 85 (grade A, #19 item 4), no request to another host, no console error.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# --- EcoIndex -----------------------------------------------------------------------------
# Written from the published method (https://www.ecoindex.fr/comment-ca-marche/): each of the
# three figures is placed on the quantile table of the reference sample (HTTP Archive), the
# position is interpolated linearly between the two surrounding quantiles, and the score is
# 100 − 5 × (3·q_dom + 2·q_req + q_size) / 6. The figures: DOM elements (svg children not
# counted), finished requests, and transferred size in KB.
DOM_QUANTILES = (
    0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949, 1076, 1237, 1459,
    1801, 2479, 594601,
)  # fmt: skip
REQUEST_QUANTILES = (
    0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170, 205, 281, 3920,
)  # fmt: skip
SIZE_QUANTILES_KB = (
    0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32,
    1648.27, 1876.08, 2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54,
    223212.26,
)  # fmt: skip

# Lower bounds of each grade (A ≥ 80 … F ≥ 10, G below).
GRADES = (("A", 80), ("B", 70), ("C", 55), ("D", 40), ("E", 25), ("F", 10))


def quantile_position(quantiles: tuple[float, ...], value: float) -> float:
    """Position of value on the quantile table: index of the last quantile ≤ value plus the
    linear share of the way to the next one (0 … 20)."""
    last = len(quantiles) - 1
    if value >= quantiles[last]:
        return float(last)
    if value <= quantiles[0]:
        return 0.0
    index = max(i for i, q in enumerate(quantiles) if q <= value)
    low, high = quantiles[index], quantiles[index + 1]
    return index + (value - low) / (high - low)


def ecoindex_score(*, dom: int, requests: int, size_kb: float) -> float:
    """EcoIndex score (0–100) of a page from its DOM elements, requests and size in KB."""
    q_dom = quantile_position(DOM_QUANTILES, dom)
    q_req = quantile_position(REQUEST_QUANTILES, requests)
    q_size = quantile_position(SIZE_QUANTILES_KB, size_kb)
    return 100 - 5 * (3 * q_dom + 2 * q_req + q_size) / 6


def ecoindex_grade(score: float) -> str:
    for grade, floor in GRADES:
        if score >= floor:
            return grade
    return "G"


# --- Budgets ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Budget:
    max_kb: float = 150
    max_requests: int = 10
    max_dom: int = 600
    # #19 item 4: every page of the list at 85 or more (docs/performance.md, "EcoIndex per page").
    min_ecoindex: float = 85


DEFAULT_BUDGET = Budget()


@dataclass
class Transfer:
    url: str
    status: int
    content_type: str
    headers_bytes: int
    body_wire_bytes: int  # body bytes as sent by the server (compressed if it compressed)
    body_gzip_bytes: int  # body gzipped by us (level 6, what a production server sends)

    @property
    def counted_bytes(self) -> int:
        # What the budget counts: headers + the smaller of the two body sizes.
        return self.headers_bytes + min(self.body_wire_bytes, self.body_gzip_bytes)


@dataclass
class Measure:
    url: str
    transfers: list[Transfer] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dom: int = 0
    status: int = 0  # HTTP status of the document

    @property
    def requests(self) -> int:
        return len(self.transfers)

    @property
    def wire_bytes(self) -> int:
        return sum(t.headers_bytes + t.body_wire_bytes for t in self.transfers)

    @property
    def bytes(self) -> int:
        return sum(t.counted_bytes for t in self.transfers)

    @property
    def kb(self) -> float:
        return self.bytes / 1024

    @property
    def ecoindex(self) -> float:
        return ecoindex_score(dom=self.dom, requests=self.requests, size_kb=self.kb)

    def summary(self) -> str:
        score = self.ecoindex
        return (
            f"{self.kb:.1f} KB compressed ({self.wire_bytes / 1024:.1f} KB on the test server's "
            f"wire), {self.requests} requests, {self.dom} DOM elements, "
            f"EcoIndex {score:.1f} ({ecoindex_grade(score)})"
        )

    def detail(self) -> str:
        lines = [
            f"  {t.status} {t.url} [{t.content_type}] headers {t.headers_bytes} B, body "
            f"{t.body_wire_bytes} B on the wire, {t.body_gzip_bytes} B gzipped"
            for t in self.transfers
        ]
        return "\n".join(lines)

    def budget_failures(self, budget: Budget) -> list[str]:
        failures = []
        if self.kb > budget.max_kb:
            failures.append(f"weight {self.kb:.1f} KB > {budget.max_kb} KB")
        if self.requests > budget.max_requests:
            failures.append(f"{self.requests} requests > {budget.max_requests}")
        if self.dom > budget.max_dom:
            failures.append(f"{self.dom} DOM elements > {budget.max_dom}")
        if self.ecoindex < budget.min_ecoindex:
            failures.append(f"EcoIndex {self.ecoindex:.1f} < {budget.min_ecoindex}")
        if self.foreign_requests:
            failures.append("requests to another host: " + ", ".join(self.foreign_requests))
        if self.failed_requests:
            failures.append("failed requests: " + ", ".join(self.failed_requests))
        if self.console_errors:
            failures.append("console errors:\n    " + "\n    ".join(self.console_errors))
        return failures


# Figures of every measured page, printed at the end of the run (conftest's summary hook):
# (name, KB counted, raw KB, requests, DOM elements, EcoIndex), gathered from the tests'
# reports, so that they reach the summary from xdist's workers as well.
FIGURES: list[tuple] = []


def figures_row(name: str, measure: Measure) -> tuple:
    return (
        name,
        measure.kb,
        measure.wire_bytes / 1024,
        measure.requests,
        measure.dom,
        measure.ecoindex,
    )


# DOM elements as EcoIndex counts them: every element, except those inside an <svg>.
COUNT_DOM_JS = """() => document.getElementsByTagName('*').length
    - document.querySelectorAll('svg *').length"""


def gzip_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6)) if body else 0


def same_origin(url: str, origin: str) -> bool:
    a, b = urlsplit(url), urlsplit(origin)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def measure_first_visit(
    context, url: str, origin: str, expected_status: int = 200, prepare=None
) -> tuple[Measure, object]:
    """Open url in a new page of a fresh context (empty cache) and measure the visit.

    Returns the measure and the page, left open for further checks (axe, screenshots).
    ``prepare(page)``, if given, runs before the visit (the harness's own tests use it to
    serve a page through page.route).

    Transferred bytes: the test server (Django's live server) does not compress, whereas
    production serves HTML through a compressing proxy and static files through WhiteNoise's
    pre-compressed copies. Counting the raw bytes would judge a page on a configuration we
    never run, so each response body counts for the smaller of its size on the wire and its
    gzip (level 6) size, plus its response headers as sent. The raw figure is reported too.
    """
    measure = Measure(url=url)
    finished = []

    def on_route(route):
        request_url = route.request.url
        if same_origin(request_url, origin):
            route.continue_()
        else:
            # Never let a test reach the network; any such request fails the budget.
            measure.foreign_requests.append(request_url)
            route.abort()

    context.route("**/*", on_route)
    page = context.new_page()
    page.on("console", lambda m: _on_console(measure, m, url, expected_status))
    page.on("pageerror", lambda e: measure.console_errors.append(f"page error: {e}"))
    page.on("requestfinished", lambda request: finished.append(request))
    page.on(
        "requestfailed",
        lambda r: (
            measure.failed_requests.append(f"{r.url} ({r.failure})")
            if same_origin(r.url, origin)
            else None
        ),
    )
    if prepare is not None:
        prepare(page)
    response = page.goto(url, wait_until="networkidle")
    measure.status = response.status if response else 0
    _fetch_icon_as_a_browser_does(page, finished)
    measure.dom = page.evaluate(COUNT_DOM_JS)
    for request in finished:
        measure.transfers.append(_transfer(request))
    return measure, page


ICON_HREF_JS = """() => {
    const link = document.querySelector('link[rel~="icon"]');
    return link ? link.href : null;
}"""


def _fetch_icon_as_a_browser_does(page, finished: list) -> None:
    """A browser asks for the page's icon (its tab shows it); the headless shell the suite runs
    (conftest.py) never does. Fetch it from the page, once, so it counts in the requests and
    the weight as with the full browser (a page with an icon: 3 requests, not 2)."""
    href = page.evaluate(ICON_HREF_JS)
    if not href or any(request.url == href for request in finished):
        return
    with page.expect_event("requestfinished", predicate=lambda request: request.url == href):
        page.evaluate("href => fetch(href).then(r => r.arrayBuffer()).then(() => null)", href)


def _on_console(measure: Measure, message, url: str, expected_status: int) -> None:
    if message.type != "error":
        return
    location = (message.location or {}).get("url", "")
    # Chromium logs the expected error status of the document itself (the 404 page).
    if (
        expected_status >= 400
        and location == url
        and message.text.startswith("Failed to load resource")
        and str(expected_status) in message.text
    ):
        return
    measure.console_errors.append(f"{message.text} ({location})")


def _transfer(request) -> Transfer:
    sizes = request.sizes()
    response = request.response()
    body = b""
    if response is not None and not (300 <= response.status < 400):
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - a body may be gone (redirect, aborted)
            body = b""
    wire = sizes.get("responseBodySize", 0) or len(body)
    return Transfer(
        url=request.url,
        status=response.status if response else 0,
        content_type=(response.headers.get("content-type", "") if response else ""),
        headers_bytes=sizes.get("responseHeadersSize", 0),
        body_wire_bytes=wire,
        body_gzip_bytes=gzip_size(body) if body else wire,
    )
