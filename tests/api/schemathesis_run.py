#!/usr/bin/env python3
"""``make test-api``: the live API, fuzzed by schemathesis against its own OpenAPI document.

In a throwaway directory: a fresh SQLite database (migrations, then ``make demo``'s data), a
user with a personal API token drawn by ``accounts.services.create_api_token``, gunicorn on a
free loopback port. Then schemathesis with every check, bounded and seeded, once anonymous
and once with the token. Fails on any 5xx or any answer the document does not describe;
stops what it started and prints how long each step took. Nothing leaves 127.0.0.1.

    .venv/bin/python tests/api/schemathesis_run.py [--max-examples 25] [--keep] [--only REGEX]
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("schemathesis.toml")
BIN = Path(sys.executable).parent
SEED = 20261207
RUN_TIMEOUT = 150  # seconds for one schemathesis run; the whole step stays under 5 minutes

# make demo's commands (Makefile: migrate, demo), run in one process to start Django once.
DEMO_COMMANDS = [
    ["migrate", "--noinput"],
    ["createcachetable"],
    ["load_demo"],
    ["import_tools", "--quiet-rows"],
    ["load_directory_demo"],
    ["load_questionnaire"],
    ["load_testimonials_demo"],
]
DEMO_SCRIPT = """
import io, json, time
from django.core.management import call_command
for command in json.loads(COMMANDS):
    began = time.monotonic()
    call_command(*command, stdout=io.StringIO())
    print(f"   {command[0]}: {time.monotonic() - began:.1f} s", flush=True)
"""

# A member of an association and editor of a support structure that manages one place: its
# token can write some things (its association, that place) and is refused others (403).
# Also prints real identifiers, which the fuzzer mixes with the ones it invents (see
# schemathesis.toml), so that operations on one resource reach more than their 404.
TOKEN_SCRIPT = """
import json
from django.utils import timezone
from ressourcerie.accounts import services
from ressourcerie.accounts.models import Membership, Role, User
from ressourcerie.core.models import Organisation
from ressourcerie.directory.models import Place
from ressourcerie.toolbox.models import Tool

user = User.objects.create_user(
    email="schemathesis@demo.ressourcerie.local", password=None,
    display_name="Schemathesis", email_confirmed_at=timezone.now(),
)
for slug, role in [("les-crampons-nantais", Role.MEMBER), ("pana-loire-atlantique", Role.EDITOR)]:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
places = list(Place.objects.order_by("pk").values_list("slug", flat=True)[:5])
if places:
    Place.objects.filter(slug=places[0]).update(
        organisation=Organisation.objects.filter(slug="pana-loire-atlantique").first()
    )
slugs = list(Organisation.objects.order_by("pk").values_list("slug", flat=True)[:5])
slugs += list(Tool.objects.order_by("pk").values_list("slug", flat=True)[:5])
_token, raw = services.create_api_token(user=user, name="schemathesis")
print("TOKEN=" + raw)
print("VALUES=" + json.dumps({
    "places": places,
    "slugs": slugs,
    "communes": ["Nantes", "44000", "Angoulême", "16000", "st nazaire"],
}))
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))  # the kernel picks a free, high, loopback-only port
        return sock.getsockname()[1]


def step(title: str):
    print(f"-- {title}", flush=True)
    return time.monotonic()


def done(started: float) -> None:
    print(f"   {time.monotonic() - started:.1f} s", flush=True)


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    return result.stdout or ""


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"no answer from {url} after {timeout} s")


def schemathesis(
    schema_url: str, *, max_examples: int, workdir: Path, name: str, headers=(), only=None
):
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(workdir / CONFIG.name),
        "run",
        schema_url,
        "--checks",
        "all",
        "--max-examples",
        str(max_examples),
        "--workers",
        "2",
        "--seed",
        str(SEED),
        "--request-timeout",
        "20",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(workdir / f"junit-{name}.xml"),
    ]
    for header in headers:
        command += ["-H", header]
    if only:
        command += ["--include-path-regex", only]
    try:
        # Run from the throwaway directory: schemathesis keeps a cache where it runs.
        result = subprocess.run(command, cwd=workdir, timeout=RUN_TIMEOUT, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        print(f"schemathesis did not finish within {RUN_TIMEOUT} s", flush=True)
        return False
    return result.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway directory")
    parser.add_argument("--only", help="fuzz only the paths matching this regular expression")
    options = parser.parse_args()

    total = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="ressourcerie-schemathesis-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "RESSOURCERIE_ENV", "DEBUG"}
    }
    env.update(
        RESSOURCERIE_VAR_DIR=str(workdir),  # database, media, outbox: all thrown away
        RESSOURCERIE_ENV="development",
        DEBUG="false",  # as in production: no query log, no debug pages
        RATE_LIMITS_ENABLED="false",  # the fuzzer sends thousands of requests from one address
        TASKS_IMMEDIATE="true",
        SITE_URL=base,
        ALLOWED_HOSTS="127.0.0.1",
    )
    server = None
    ok = False
    try:
        started = step(f"fresh database and demo data in {workdir}")
        script = f"COMMANDS = {json.dumps(json.dumps(DEMO_COMMANDS))}\n" + DEMO_SCRIPT
        output = manage(env, "shell", "-c", script + TOKEN_SCRIPT, capture=True)
        print("\n".join(line for line in output.splitlines() if line.startswith("   ")))
        token = next(line[6:] for line in output.splitlines() if line.startswith("TOKEN="))
        values = json.loads(
            next(line[7:] for line in output.splitlines() if line.startswith("VALUES="))
        )
        for name, items in values.items():  # libFuzzer-style dictionaries, one per line
            lines = [json.dumps(item, ensure_ascii=False) for item in items]
            (workdir / f"{name}.dict").write_text("\n".join(lines) + "\n")
        # Next to its dictionaries: schemathesis resolves their paths from the config's folder.
        shutil.copy(CONFIG, workdir / CONFIG.name)
        done(started)

        started = step(f"gunicorn on {base}")
        log = (workdir / "gunicorn.log").open("w")
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "ressourcerie.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--no-control-socket",  # gunicorn 27 would share one in ~/.gunicorn/
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole below
        )
        schema_url = f"{base}/api/v1/openapi.json"
        wait_until_up(schema_url, server)
        done(started)

        results = {}
        for name, headers in [("anonymous", ()), ("token", (f"Authorization: Bearer {token}",))]:
            started = step(f"schemathesis, {name}")
            results[name] = schemathesis(
                schema_url,
                max_examples=options.max_examples,
                workdir=workdir,
                name=name,
                headers=headers,
                only=options.only,
            )
            done(started)
        ok = all(results.values())
        if not ok:
            print("-- server log (tail)")
            print("".join((workdir / "gunicorn.log").read_text().splitlines(True)[-80:]))
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        if options.keep or not ok:
            print(f"-- kept {workdir} (database, gunicorn.log, junit reports)")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        print(f"== make test-api: {'OK' if ok else 'FAILED'} in {time.monotonic() - total:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
