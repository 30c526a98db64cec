"""The production stack of docs/deployment.md, brought up on loopback ports in a temp folder.

Used by ``deploy/prod_check.py`` (``make prod-check``) and ``bench/soak.py``. Everything
that a reader of the deployment guide would do by hand is taken from the guide itself, so
the two cannot drift apart:

- the environment file is ``.env.example`` with the blanks filled in, exported with
  ``set -a; . file; set +a`` as §3 says;
- the commands of §3 (``check --deploy``, ``migrate``, ``createcachetable``, the loaders,
  ``collectstatic``) are read from the guide's code block and run in order;
- gunicorn and the task worker run the ``ExecStart`` lines of the two systemd units of §4,
  gunicorn bound to a free loopback port instead of 8000;
- nginx runs ``deploy/nginx.conf``, the file §5 installs, with its ``@NAME@`` values
  replaced, behind a throwaway self-signed certificate.

The database is a fresh PostgreSQL database (and its owner role) created for the drill and
dropped at the end; e-mails go over SMTP to a sink on loopback (aiosmtpd).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "deployment.md"
NGINX_SITE = ROOT / "deploy" / "nginx.conf"
VENV_BIN = ROOT / ".venv" / "bin"
# Demo content, so that every part has a page to crawl (never on a real server: the guide
# says so; this database is thrown away).
DEMO_COMMANDS = ["load_demo", "load_directory_demo", "load_testimonials_demo"]
PG_ADMIN_URL = os.environ.get("PROD_CHECK_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")


class StackError(RuntimeError):
    """A step of the drill failed; the message says which and what it printed."""


def free_port() -> int:
    """A port nothing listens on, chosen by the kernel among the high ephemeral ones."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, timeout: float, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise StackError(f"process exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise StackError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


# --- What the guide says -------------------------------------------------------------------


def guide_setup_commands() -> list[str]:
    """The ``manage.py`` commands of §3, in order, without ``createsuperuser`` (interactive)."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## 3.", 1)[1].split("\n## ", 1)[0]
    commands = []
    for line in section.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith(".venv/bin/python manage.py") and "createsuperuser" not in line:
            commands.append(line)
    if not any(" migrate" in c for c in commands) or not any(
        "collectstatic" in c for c in commands
    ):
        raise StackError("docs/deployment.md §3: migrate/collectstatic commands not found")
    return commands


def guide_exec_start(unit: str) -> list[str]:
    """The ``ExecStart`` of a systemd unit of §4, made relative to the checkout."""
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(rf"{re.escape(unit)}.*?ExecStart=(\S[^\n]*)", text, re.S)
    if not match:
        raise StackError(f"docs/deployment.md: no ExecStart for {unit}")
    argv = shlex.split(match.group(1))
    argv[0] = str(ROOT / ".venv" / "bin" / Path(argv[0]).name)
    return argv


def render_nginx_site(values: dict[str, str]) -> str:
    """deploy/nginx.conf with its @NAME@ placeholders (and only those) replaced."""
    text = NGINX_SITE.read_text(encoding="utf-8")
    # The header comment lists the placeholders; the directives use them.
    used = set(re.findall(r"@([A-Z_]+)@", text))
    if used != set(values):
        raise StackError(f"deploy/nginx.conf placeholders {sorted(used)} ≠ {sorted(values)}")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


def env_file_text(values: dict[str, str]) -> str:
    """``.env.example`` with the given variables filled in (every other line kept)."""
    lines, seen = [], set()
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        name = line.split("=", 1)[0]
        if "=" in line and not line.startswith("#") and name in values:
            line = f"{name}={shlex.quote(values[name])}"
            seen.add(name)
        lines.append(line)
    lines += [f"{k}={shlex.quote(v)}" for k, v in values.items() if k not in seen]
    return "\n".join(lines) + "\n"


# --- The stack -----------------------------------------------------------------------------


class Stack:
    """PostgreSQL database + gunicorn + db_worker + nginx (TLS, gzip) + SMTP sink."""

    def __init__(self, *, db_name="ressourcerie_prodcheck", extra_env=None, verbose=True):
        self.db_name = db_name
        self.verbose = verbose
        self.work = Path(tempfile.mkdtemp(prefix=f"{db_name}-"))
        self.logs = self.work / "logs"
        self.logs.mkdir()
        self.https_port, self.http_port, self.gunicorn_port, self.smtp_port = (
            free_port(),
            free_port(),
            free_port(),
            free_port(),
        )
        self.media_root = self.work / "var" / "media"
        self.db_password = secrets.token_urlsafe(18)
        admin = urllib.parse.urlsplit(PG_ADMIN_URL)
        self.pg_host, self.pg_port = admin.hostname or "127.0.0.1", admin.port or 5432
        self.base_url = f"https://127.0.0.1:{self.https_port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        self.cert = self.work / "tls" / "cert.pem"
        self.processes: dict[str, subprocess.Popen] = {}
        self.env_file = self.work / "ressourcerie.env"
        self.env_values = {
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": self.base_url,
            "CSRF_TRUSTED_ORIGINS": self.base_url,
            "DATABASE_URL": (
                f"postgres://{db_name}:{self.db_password}@{self.pg_host}:{self.pg_port}/{db_name}"
            ),
            "RESSOURCERIE_VAR_DIR": str(self.work / "var"),
            "STATIC_ROOT": str(self.work / "var" / "static"),
            "MEDIA_ROOT": str(self.media_root),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_USE_TLS": "false",
            "BEHIND_PROXY": "true",
            **(extra_env or {}),
        }

    # -- helpers

    def log(self, message: str):
        if self.verbose:
            print(f"   {message}", flush=True)

    def base_env(self) -> dict[str, str]:
        # Nothing from the caller's environment (its DATABASE_URL, DEBUG…) leaks in. HOME is
        # the drill's own: gunicorn puts its control socket there (~/.gunicorn/gunicorn.ctl),
        # and another gunicorn on the machine must not share it.
        return {
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(self.work),
            "LANG": "C.UTF-8",
        }

    def _with_env_file(self, argv: list[str]) -> list[str]:
        """Run argv after exporting the environment file, as docs/deployment.md §3 does."""
        script = f'set -a; . {shlex.quote(str(self.env_file))}; set +a; exec "$@"'
        return ["bash", "-c", script, "ressourcerie", *argv]

    def run(self, argv: list[str], *, label: str, timeout: float = 300, with_env=True):
        started = time.monotonic()
        result = subprocess.run(  # noqa: S603 - argv built here, never from input
            self._with_env_file(argv) if with_env else argv,
            cwd=ROOT,
            env=self.base_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        took = time.monotonic() - started
        if result.returncode != 0:
            raise StackError(
                f"{label} failed ({result.returncode}):\n{result.stdout[-3000:]}"
                f"{result.stderr[-3000:]}"
            )
        self.log(f"{label} ({took:.1f} s)")
        return result

    def manage(self, *args: str, label: str | None = None, timeout: float = 300):
        argv = [str(VENV_BIN / "python"), "manage.py", *args]
        return self.run(argv, label=label or f"manage.py {' '.join(args)}", timeout=timeout)

    def psql(self, sql: str, *, database: str = "postgres"):
        admin = urllib.parse.urlsplit(PG_ADMIN_URL)
        argv = [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            self.pg_host,
            "-p",
            str(self.pg_port),
            "-U",
            admin.username or "postgres",
            "-d",
            database,
            "-c",
            sql,
        ]
        env = self.base_env()
        if admin.password:
            env["PGPASSWORD"] = admin.password
        result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
        if result.returncode != 0:
            raise StackError(f"psql {sql!r}: {result.stderr.strip()}")
        return result.stdout

    # -- set-up

    def create_database(self):
        """§2 of the guide: an owner role and its database, unaccent created by the superuser."""
        self.drop_database()
        self.psql(f"CREATE ROLE {self.db_name} LOGIN PASSWORD '{self.db_password}'")
        self.psql(f"CREATE DATABASE {self.db_name} OWNER {self.db_name}")
        self.psql("CREATE EXTENSION IF NOT EXISTS unaccent", database=self.db_name)
        self.log(f"database {self.db_name} created (owner {self.db_name}, unaccent)")

    def drop_database(self):
        self.psql(f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)")
        self.psql(f"DROP ROLE IF EXISTS {self.db_name}")

    def write_env_file(self):
        self.env_file.write_text(env_file_text(self.env_values), encoding="utf-8")
        self.env_file.chmod(0o600)

    def make_certificate(self):
        self.cert.parent.mkdir()
        key = self.cert.parent / "key.pem"
        argv = [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(self.cert),
        ]
        self.run(argv, label="throwaway certificate (openssl)", with_env=False)
        return key

    def setup(self):
        """Everything before the services start: database, environment, §3's commands.

        §3's commands all run, each as its own ``manage.py`` process; those that do not
        depend on each other run side by side to keep the drill short (collectstatic
        touches no database; the catalogue and the questionnaire need no communes).
        """
        for tool in ("nginx", "openssl", "psql"):
            if not shutil.which(tool, path=f"/usr/sbin:/usr/bin:{os.environ.get('PATH', '')}"):
                raise StackError(f"{tool} is not installed (bash .ci/run installs it)")
        self.create_database()
        self.write_env_file()
        guide = {shlex.split(c)[2]: c for c in guide_setup_commands()}
        phases = [
            [["check", "collectstatic"], ["migrate", "createcachetable"]],
            [["load_territories", *DEMO_COMMANDS[:2]], ["import_tools", "load_questionnaire"]],
            [[DEMO_COMMANDS[2]]],
        ]
        scheduled = {name for phase in phases for chain in phase for name in chain}
        # A command the guide gains later still runs (after the loaders, before the demo).
        phases[1].append([name for name in guide if name not in scheduled])
        for phase in phases:
            self.run_chains([chain for chain in phase if chain], guide)

    def run_chains(self, chains: list[list[str]], guide: dict[str, str]):
        """Run each chain of commands in order, the chains side by side."""
        errors = []

        def run_chain(chain):
            try:
                for name in chain:
                    if name in guide:
                        argv = shlex.split(guide[name])
                        argv[0] = str(VENV_BIN / "python")
                        self.run(argv, label=guide[name].replace(".venv/bin/python ", ""))
                    else:
                        self.manage(name, label=f"manage.py {name} (demo content, drill only)")
            except (StackError, subprocess.SubprocessError) as exc:
                errors.append(exc)

        threads = [threading.Thread(target=run_chain, args=(chain,)) for chain in chains]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise StackError("\n".join(str(e) for e in errors))

    # -- services

    def _spawn(self, name: str, argv: list[str], *, with_env=True) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - argv built here, never from input
            self._with_env_file(argv) if with_env else argv,
            cwd=ROOT,
            env=self.base_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_smtp(self):
        argv = [str(VENV_BIN / "python"), "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
        argv += ["-l", f"127.0.0.1:{self.smtp_port}"]
        wait_for_port(self.smtp_port, timeout=20, process=self._spawn("smtp", argv, with_env=False))

    def start_gunicorn(self):
        argv = guide_exec_start("ressourcerie-web.service")
        bind = argv.index("--bind")
        argv[bind + 1] = f"127.0.0.1:{self.gunicorn_port}"
        process = self._spawn("gunicorn", argv)
        wait_for_port(self.gunicorn_port, timeout=60, process=process)
        # The master listens before its workers have imported the project: wait for an
        # answer (a redirect to https, without the proxy's headers) so timings start warm.
        deadline = time.monotonic() + 120
        while True:
            connection = http.client.HTTPConnection("127.0.0.1", self.gunicorn_port, timeout=60)
            try:
                connection.request("GET", "/", headers={"Host": "127.0.0.1"})
                connection.getresponse().read()
                break
            except OSError as exc:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise StackError(f"gunicorn does not answer: {exc}") from exc
                time.sleep(0.5)
            finally:
                connection.close()
        self.log(f"gunicorn on 127.0.0.1:{self.gunicorn_port} (pid {process.pid})")

    def start_worker(self):
        argv = guide_exec_start("ressourcerie-worker.service")
        process = self._spawn("worker", argv)
        self.log(f"db_worker (pid {process.pid})")
        return process

    def start_nginx(self):
        key = self.make_certificate()
        prefix = self.work / "nginx"
        prefix.mkdir()
        site = render_nginx_site(
            {
                "SERVER_NAME": "127.0.0.1",
                "HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
                "HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
                "TLS_CERTIFICATE": str(self.cert),
                "TLS_CERTIFICATE_KEY": str(key),
                "GUNICORN": f"127.0.0.1:{self.gunicorn_port}",
                "MEDIA_ROOT": str(self.media_root),
            }
        )
        (prefix / "site.conf").write_text(site, encoding="utf-8")
        temp_paths = "\n".join(
            f"    {kind}_temp_path {prefix / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # A bare main configuration (no Debian defaults: no gzip of its own) so that the
        # site file alone must bring TLS, gzip and the headers.
        (prefix / "nginx.conf").write_text(
            f"""{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {prefix / "nginx.pid"};
error_log {self.logs / "nginx-error.log"} warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    server_tokens off;
    access_log {self.logs / "nginx-access.log"};
{temp_paths}
    include {prefix / "site.conf"};
}}
""",
            encoding="utf-8",
        )
        nginx = shutil.which("nginx", path="/usr/sbin:/usr/bin") or "nginx"
        base = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
        base += ["-e", str(self.logs / "nginx-error.log")]
        self.run([*base, "-t", "-q"], label="nginx -t (deploy/nginx.conf)", with_env=False)
        process = self._spawn("nginx", base, with_env=False)
        wait_for_port(self.https_port, timeout=20, process=process)
        wait_for_port(self.http_port, timeout=20, process=process)
        self.log(f"nginx on https://127.0.0.1:{self.https_port} and http://…:{self.http_port}")

    def start(self):
        self.start_smtp()
        self.start_gunicorn()
        self.start_worker()
        self.start_nginx()

    def stop_process(self, name: str, *, sig=signal.SIGTERM, timeout: float = 20):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop(self):
        for name in ("nginx", "gunicorn", "worker", "smtp"):
            self.stop_process(name)
        for name in list(self.processes):
            self.stop_process(name)

    def cleanup(self, *, keep_work: bool = False):
        """Stop every process, drop the database; remove the folder unless asked to keep it."""
        self.stop()
        try:
            self.drop_database()
        except (StackError, OSError, subprocess.SubprocessError) as exc:
            print(f"   could not drop {self.db_name}: {exc}", file=sys.stderr)
        if keep_work:
            print(f"   logs kept in {self.logs}", file=sys.stderr)
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def gunicorn_worker_pids(self) -> list[int]:
        master = self.processes["gunicorn"].pid
        # bash execs gunicorn, so the Popen pid is the master's.
        children = Path(f"/proc/{master}/task/{master}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def ssl_context(self) -> ssl.SSLContext:
        """Trusts the drill's throwaway certificate (and checks the name 127.0.0.1 on it)."""
        return ssl.create_default_context(cafile=str(self.cert))


def install_signal_handlers():
    """SIGTERM/SIGHUP behave like Ctrl-C, so ``finally`` blocks stop what was started."""

    def _raise(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise)
