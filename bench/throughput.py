"""Throughput of the public pages against the framework's ceiling, in one run (issue #19 item 1).

    .venv/bin/python bench/throughput.py [--seconds 10] [--connections 32] [--no-page-cache]

Builds a production instance in a temporary folder (RESSOURCERIE_ENV=production, DEBUG off,
SQLite, ``collectstatic``, the demo data, the real catalogue and the three real hub files of
mediation places), starts gunicorn with 2 sync workers on loopback serving both the platform
and, on ``/_ceiling/``, a trivial Django view without middleware nor database
(``bench/throughput_wsgi.py``), then runs ``wrk -t2 -c<connections>`` on the ceiling, on each
page an anonymous visitor reads most, and on a few pages as a signed-in visitor, and the
ceiling again. Prints each page's requests per second and its ratio to the ceiling (the mean
of the two ceiling runs); the target of #19 is ≥ 1/5 (0.20) for every anonymous page.

``--no-page-cache`` runs the same with ``PAGE_CACHE_SECONDS=0`` (the pages rendered every
time), for the before/after comparison. Needs Debian's ``wrk``. Not run by CI.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HUBS = ROOT / "tests" / "fixtures" / "mediation-numerique"
HUB_FILES = [
    "2021-hinaura-auvergne-rhone-alpes.json",
    "2023-05-17-hub-du-sud-provence-alpes-cote-d-azur.json",
    "2023-07-11-charente-nouvelle-aquitaine.json",
]
# Asked of the instance once it is loaded: one page of each kind (slugs differ by data).
FIND_PAGES = """
from django.conf import settings
from ressourcerie.toolbox.models import Need, Tool
from ressourcerie.directory.models import Place
from ressourcerie.testimonials.models import Testimonial
from ressourcerie.accounts.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
tool = Tool.objects.filter(slug="nextcloud").first() or Tool.objects.first()
print("tool", tool.get_absolute_url())
print("need", Need.objects.first().get_absolute_url())
print("place", Place.objects.filter(commune__postal_codes__contains="16000").first().get_absolute_url()
      if Place.objects.filter(commune__postal_codes__contains="16000").exists()
      else Place.objects.first().get_absolute_url())
testimonial = Testimonial.objects.filter(moderation_status="published").first()
print("testimonial", testimonial.get_absolute_url() if testimonial else "")
user = User.objects.filter(email__startswith="membre").first() or User.objects.first()
store = SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print("cookie", f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(work: Path, page_cache: bool) -> dict:
    env = {
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(work),
        "LANG": "C.UTF-8",
        "RESSOURCERIE_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://127.0.0.1",
        "BEHIND_PROXY": "true",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "RESSOURCERIE_VAR_DIR": str(work / "var"),
        "STATIC_ROOT": str(work / "var" / "static"),
        "MEDIA_ROOT": str(work / "var" / "media"),
        "RATE_LIMITS_ENABLED": "false",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "1",
    }
    if not page_cache:
        env["PAGE_CACHE_SECONDS"] = "0"
    return env


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [str(PYTHON), str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def build(env: dict) -> dict:
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput")
    for command in ("load_demo", "load_directory_demo", "load_testimonials_demo"):
        manage(env, command)
    manage(env, "import_tools", "--quiet-rows")
    for name in HUB_FILES:
        manage(env, "import_places", str(HUBS / name))
    found = dict(
        line.split(" ", 1)
        for line in manage(env, "shell", stdin=FIND_PAGES).splitlines()
        if " " in line
    )
    print(f"instance built in {time.monotonic() - started:.0f} s")
    return found


def get(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("X-Page-Cache", "")
    except urllib.error.HTTPError as error:
        return error.code, ""


def wrk(url: str, seconds: int, connections: int, cookie: str = "") -> float:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", "X-Forwarded-Proto: https"]
    if cookie:
        argv += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        print(f"  ! {url}: {non_2xx.group(1)} answers were not 2xx/3xx")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-page-cache", action="store_true")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="throughput-") as folder:
        work = Path(folder)
        env = environment(work, page_cache=not options.no_page_cache)
        found = build(env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(GUNICORN),
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--pythonpath",
                f"{ROOT},{ROOT / 'bench'}",
                "--access-logfile",
                "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
                "throughput_wsgi:application",
            ],
            env={**env, "DJANGO_SETTINGS_MODULE": "ressourcerie.settings"},
            cwd=ROOT,
        )
        try:
            for _ in range(100):
                try:
                    if get(f"{base}/_ceiling/")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            anonymous = [
                ("accueil", "/"),
                ("boîte à outils", "/outils/"),
                ("recherche d'outils « visio »", "/outils/?q=visio"),
                ("fiche outil", found["tool"]),
                ("besoin", found["need"]),
                ("acteurs près de 16000", "/acteurs/?q=16000"),
                ("fiche lieu", found["place"]),
                ("carte des acteurs", "/acteurs/carte/"),
                ("témoignages", "/temoignages/"),
                ("un témoignage", found.get("testimonial") or "/temoignages/"),
                ("agenda", "/agenda/"),
                ("recherche du site", "/recherche/?q=association"),
            ]
            signed_in = [
                ("accueil (connecté)", "/"),
                ("boîte à outils (connecté)", "/outils/"),
                ("fiche outil (connecté)", found["tool"]),
            ]
            cookie = found["cookie"]
            print(
                f"page cache: {'off' if options.no_page_cache else 'on'}; wrk -t2 -c{options.connections} -d{options.seconds}s"
            )
            ceiling_before = wrk(f"{base}/_ceiling/", options.seconds, options.connections)
            rows = []
            for label, path in anonymous:
                status, _ = get(base + path)
                if status == 404 and path == "/agenda/":
                    continue  # the agenda part is not installed here
                if status != 200:
                    print(f"  ! {label} ({path}) answered {status}: skipped")
                    continue
                rate = wrk(base + path, options.seconds, options.connections)
                rows.append((label, path, rate, get(base + path)[1] or "—"))
            signed_rows = []
            for label, path in signed_in:
                rate = wrk(base + path, options.seconds, options.connections, cookie=cookie)
                signed_rows.append((label, path, rate, get(base + path, cookie)[1] or "—"))
            ceiling_after = wrk(f"{base}/_ceiling/", options.seconds, options.connections)
        finally:
            server.terminate()
            server.wait(timeout=30)
    ceiling = (ceiling_before + ceiling_after) / 2
    print(
        f"\nceiling (trivial view): {ceiling_before:,.0f} then {ceiling_after:,.0f} req/s, mean {ceiling:,.0f}"
    )
    print(f"{'page':38} {'req/s':>9} {'ratio':>7}  cache  path")
    for label, path, rate, cache in [*rows, *signed_rows]:
        flag = "" if rate / ceiling >= 0.2 or "connecté" in label else "  < 1/5"
        print(f"{label:38} {rate:9,.0f} {rate / ceiling:7.3f}  {cache:5}  {path}{flag}")
    lowest = min(rows, key=lambda row: row[2])
    print(f"\nlowest anonymous page: {lowest[0]} at {lowest[2] / ceiling:.3f} of the ceiling")


if __name__ == "__main__":
    main()
