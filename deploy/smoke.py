"""Smoke crawl of a running production stack, through nginx, standard library only.

``crawl(base_url, http_url, ssl_context)`` visits the home page and one page per part,
the API, the exports and the static files, and returns the list of failures (empty when
everything holds). What every answer must carry:

- 200 (or the status the check names), never a 5xx;
- HSTS and ``X-Content-Type-Options: nosniff`` on every answer of the application, and on
  HTML pages a Content-Security-Policy with ``frame-ancestors 'none'`` and a Referrer-Policy;
- ``Secure`` on every cookie set (a sign-in form and a real sign-in are included);
- ``Content-Encoding: gzip`` for HTML, CSS, JS, JSON, GeoJSON and CSV when the client
  accepts gzip (nginx compresses what Django writes, WhiteNoise serves static files
  precompressed).

Run on its own against a stack started elsewhere:
``python deploy/smoke.py https://127.0.0.1:8443 http://127.0.0.1:8080 --cafile cert.pem``.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import re
import ssl
import sys
import time
import urllib.parse
from dataclasses import dataclass, field

DEMO_EMAIL = "asso@demo.ressourcerie.local"
DEMO_PASSWORD = "demo-ressourcerie"  # noqa: S105 - the documented demo account (load_demo)

GZIP_MIN_LENGTH = 512  # deploy/nginx.conf
CSV_TYPES = ("text/csv",)
GEOJSON_TYPES = ("application/geo+json",)


@dataclass
class Answer:
    method: str
    path: str
    status: int
    headers: http.client.HTTPMessage
    raw: bytes
    seconds: float

    @property
    def body(self) -> bytes:
        if self.headers.get("Content-Encoding") == "gzip":
            return gzip.decompress(self.raw)
        return self.raw

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def content_type(self) -> str:
        return self.header("Content-Type").split(";")[0].strip()

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


@dataclass
class Client:
    """One visitor: keeps its cookies, one keep-alive connection at a time."""

    base_url: str
    context: ssl.SSLContext | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookie_lines: list[tuple[str, str]] = field(default_factory=list)
    timeout: float = 30

    def __post_init__(self):
        parts = urllib.parse.urlsplit(self.base_url)
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self._connection = None

    def _connect(self):
        if self.scheme == "https":
            return http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout, context=self.context
            )
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def request(self, method, path, *, body=None, headers=None, gzip_ok=True) -> Answer:
        sent = {"User-Agent": "ressourcerie-smoke/1", "Accept-Encoding": "gzip" if gzip_ok else ""}
        if not gzip_ok:
            sent["Accept-Encoding"] = "identity"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = self._connect()
            started = time.perf_counter()
            try:
                self._connection.request(method, path, body=body, headers=sent)
                response = self._connection.getresponse()
                raw = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed meanwhile: retry once, fresh.
                self.close()
                if attempt == 2:
                    raise
        answer = Answer(
            method, path, response.status, response.headers, raw, time.perf_counter() - started
        )
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            self.set_cookie_lines.append((path, line))
            if value and "max-age=0" not in line.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return answer

    def get(self, path, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post_form(self, path, data: dict[str, str], **kwargs) -> Answer:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.base_url,
            "Referer": self.base_url + path,
        }
        body = urllib.parse.urlencode(data)
        return self.request("POST", path, body=body, headers=headers, **kwargs)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def sign_in(client: Client, email=DEMO_EMAIL, password=DEMO_PASSWORD) -> Answer:
    """Password sign-in through the form (GET for the CSRF cookie and token, then POST)."""
    form = client.get("/compte/connexion/")
    data = {"csrfmiddlewaretoken": csrf_token(form.text()), "email": email, "password": password}
    return client.post_form("/compte/connexion/", data)


class Crawl:
    def __init__(self, base_url: str, http_url: str, context: ssl.SSLContext | None):
        self.base_url, self.http_url, self.context = base_url, http_url, context
        self.failures: list[str] = []
        self.seen: list[Answer] = []
        self.client = Client(base_url, context)

    def fail(self, answer: Answer | None, message: str):
        where = f"{answer.method} {answer.path}: " if answer else ""
        self.failures.append(where + message)

    def check(self, answer: Answer, *, status=200, kind="", app=True) -> Answer:
        """Status, security headers, and compression of what the kind says is compressible."""
        self.seen.append(answer)
        if answer.status != status:
            self.fail(answer, f"status {answer.status}, expected {status}")
        if app:
            if "max-age=" not in answer.header("Strict-Transport-Security"):
                self.fail(answer, "no Strict-Transport-Security")
            if answer.header("X-Content-Type-Options").lower() != "nosniff":
                self.fail(answer, "no X-Content-Type-Options: nosniff")
        if kind == "html":
            csp = answer.header("Content-Security-Policy")
            if "frame-ancestors 'none'" not in csp:
                self.fail(
                    answer, f"Content-Security-Policy without frame-ancestors 'none': {csp!r}"
                )
            if not answer.header("Referrer-Policy"):
                self.fail(answer, "no Referrer-Policy")
        if kind:
            expected = {
                "html": ("text/html",),
                "css": ("text/css",),
                "js": ("text/javascript", "application/javascript"),
                "json": ("application/json",),
                "geojson": GEOJSON_TYPES,
                "csv": CSV_TYPES,
            }[kind]
            if answer.content_type not in expected:
                self.fail(answer, f"Content-Type {answer.content_type!r}, expected {expected}")
            # nginx leaves answers under gzip_min_length (512 bytes) as they are.
            compressible = answer.status == 200 and len(answer.body) >= GZIP_MIN_LENGTH
            if compressible and answer.header("Content-Encoding") != "gzip":
                self.fail(answer, f"not gzip-compressed ({len(answer.raw)} bytes)")
            if compressible and "Accept-Encoding" not in answer.header("Vary"):
                self.fail(answer, "no Vary: Accept-Encoding")
        return answer

    def page(self, path, kind="html", **kwargs) -> Answer:
        return self.check(self.client.get(path), kind=kind, **kwargs)

    # -- the crawl

    def run(self) -> list[str]:
        home = self.page("/")
        self.static_files(home)
        self.page("/recherche/?q=visio")

        # Boîte à outils: list, one tool, exports.
        self.page("/outils/")
        tools = self.page("/api/v1/tools?page_size=20", kind="json")
        slug = self.first(tools, "slug", "tool")
        if slug:
            self.page(f"/outils/{slug}/")
            self.page(f"/api/v1/tools/{slug}", kind="")
        self.page("/outils/export.csv", kind="csv")
        self.page("/outils/export.json", kind="json")

        # Annuaire: near-me list, map, one place, exports (GeoJSON, CSV).
        self.page("/acteurs/")
        map_page = self.page("/acteurs/carte/")
        self.static_files(map_page)
        self.page("/acteurs/carte/departements.geojson", kind="geojson")
        places = self.page("/api/v1/places?page_size=20", kind="json")
        slug = self.first(places, "slug", "place")
        if slug:
            self.page(f"/acteurs/{slug}/")
        self.page("/api/v1/places/export.geojson", kind="geojson")
        self.page("/api/v1/places/export.csv", kind="csv")

        # Témoignages, lettre, autodiagnostic, dons.
        self.page("/temoignages/")
        testimonials = self.page("/api/v1/testimonials?page_size=20", kind="json")
        ident = self.first(testimonials, "id", "testimonial")
        if ident:
            self.page(f"/temoignages/{ident}/")
        self.page("/lettre/")
        self.page("/lettre/archives/")
        self.page("/autodiagnostic/")
        self.page("/autodiagnostic/commencer/")
        self.page("/dons/")
        self.page("/dons/impact/")
        self.page("/dons/impact.csv", kind="csv")

        # API: the documentation, the OpenAPI document, JSON errors.
        self.page("/api/v1/")
        self.page("/api/v1/openapi.json", kind="json")
        self.page("/api/v1/nope", status=404, kind="")
        self.page("/cette-page-n-existe-pas/", status=404, kind="")

        self.account()
        self.redirect_to_https()
        self.http2()
        self.cookies_are_secure()
        self.client.close()
        return self.failures

    def first(self, answer: Answer, key: str, what: str):
        try:
            results = answer.json()["results"]
        except (ValueError, KeyError, TypeError):
            self.fail(answer, "not a JSON list envelope")
            return None
        if not results:
            self.fail(answer, f"no {what} to crawl (demo content missing?)")
            return None
        return results[0][key]

    def static_files(self, page: Answer):
        html = page.text()
        for pattern, kind in (
            (r'<link[^>]+href="(/static/[^"]+\.css)"', "css"),
            (r'<script[^>]+src="(/static/[^"]+\.js)"', "js"),
        ):
            paths = re.findall(pattern, html)
            if not paths:
                if kind == "css" or "/carte/" in page.path:
                    self.fail(page, f"links no {kind} file under /static/")
                continue
            for path in paths:
                if not re.search(r"\.[0-9a-f]{12}\.(css|js)$", path):
                    self.fail(page, f"{path} is not a hashed (manifest) name")
                answer = self.page(path, kind=kind, app=True)
                if "immutable" not in answer.header("Cache-Control"):
                    self.fail(answer, "static file not cached as immutable")

    def account(self):
        """Sign-in page, a failed then a real sign-in (CSRF and session cookies), Mon compte."""
        form = self.page("/compte/connexion/")
        if "csrftoken" not in self.client.cookies:
            self.fail(form, "no csrftoken cookie set by the sign-in form")
        token = csrf_token(form.text())
        wrong = self.client.post_form(
            "/compte/connexion/",
            {"csrfmiddlewaretoken": token, "email": DEMO_EMAIL, "password": "pas-le-bon-1"},
        )
        self.check(wrong, kind="html")
        if "incorrect" not in wrong.text():
            self.fail(wrong, "a wrong password is not refused with a message")
        answer = sign_in(self.client)
        self.check(answer, status=302, kind="")
        if "sessionid" not in self.client.cookies:
            self.fail(answer, "no session cookie after signing in")
        self.page("/compte/")
        self.page("/compte/mes-donnees/", kind="")

    def redirect_to_https(self):
        plain = Client(self.http_url)
        answer = plain.get("/outils/?q=x", gzip_ok=False)
        plain.close()
        self.seen.append(answer)
        location = answer.header("Location")
        if answer.status != 301 or not location.startswith("https://127.0.0.1"):
            self.fail(answer, f"HTTP answers {answer.status} → {location!r}, expected 301 to https")
        elif not location.endswith("/outils/?q=x"):
            self.fail(answer, f"redirect loses the path: {location}")

    def http2(self):
        """nginx offers HTTP/2 (ALPN) on the TLS port, as `listen … ssl http2` says."""
        parts = urllib.parse.urlsplit(self.base_url)
        context = self.context or ssl.create_default_context()
        context.set_alpn_protocols(["h2", "http/1.1"])
        import socket

        with (
            socket.create_connection((parts.hostname, parts.port), timeout=10) as raw,
            context.wrap_socket(raw, server_hostname=parts.hostname) as tls,
        ):
            if tls.selected_alpn_protocol() != "h2":
                self.fail(None, f"TLS port does not offer HTTP/2 ({tls.selected_alpn_protocol()})")
        context.set_alpn_protocols(["http/1.1"])

    def cookies_are_secure(self):
        lines = self.client.set_cookie_lines
        if not lines:
            self.fail(None, "no cookie was set during the crawl")
        for path, line in lines:
            attributes = [a.strip().lower() for a in line.split(";")[1:]]
            if "secure" not in attributes:
                self.fail(None, f"{path}: cookie without Secure: {line}")


def crawl(base_url: str, http_url: str, context: ssl.SSLContext | None) -> Crawl:
    result = Crawl(base_url, http_url, context)
    result.run()
    return result


def summary(result: Crawl) -> str:
    answers = result.seen
    compressed = [a for a in answers if a.header("Content-Encoding") == "gzip"]
    ratios = {}
    for answer in compressed:
        kind = answer.content_type.split("/")[-1]
        plain, sent = len(answer.body), len(answer.raw)
        total = ratios.setdefault(kind, [0, 0])
        total[0] += plain
        total[1] += sent
    ratio_text = ", ".join(f"{k} {p / 1024:.0f}→{s / 1024:.0f} KB" for k, (p, s) in ratios.items())
    slowest = max(answers, key=lambda a: a.seconds)
    return (
        f"{len(answers)} requests, {len(compressed)} gzip-compressed ({ratio_text}); "
        f"slowest {slowest.path} {slowest.seconds * 1000:.0f} ms; "
        f"{len(result.client.set_cookie_lines)} cookies set, all checked for Secure"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("http_url")
    parser.add_argument("--cafile", help="trust this certificate (default: no verification)")
    args = parser.parse_args(argv)
    if args.cafile:
        context = ssl.create_default_context(cafile=args.cafile)
    else:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    result = crawl(args.base_url, args.http_url, context)
    print(summary(result))
    for failure in result.failures:
        print(f"FAIL {failure}")
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
