"""``make prod-check``: the production drill.

1. Brings up the stack of docs/deployment.md (deploy/stack.py): a fresh PostgreSQL
   database, §3's commands (``check --deploy``, ``migrate``, loaders, ``collectstatic``),
   gunicorn and ``db_worker`` as the systemd units run them, nginx with deploy/nginx.conf
   and a throwaway certificate, all on free loopback ports.
2. Crawls it through https://127.0.0.1:PORT/ (deploy/smoke.py).
3. Restore drill: ``make backup``, stops the services, drops the database, creates it empty
   again and deletes the media folder (a new server), ``make restore FILE=…``, ``migrate``,
   starts the services again and crawls again; the witness file in the media folder must
   come back through nginx.

Stops every process it started and drops its database, whatever happens. Exit status 0
when everything held; otherwise 1 and the failures.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy import smoke  # noqa: E402
from deploy.stack import Stack, StackError, install_signal_handlers  # noqa: E402

WITNESS = "prod-check/witness.txt"


def step(title: str):
    print(f"== {title}", flush=True)


def crawl(stack: Stack, label: str) -> list[str]:
    step(f"smoke crawl ({label}) through {stack.base_url}/")
    result = smoke.crawl(stack.base_url, stack.http_url, stack.ssl_context())
    print(f"   {smoke.summary(result)}", flush=True)
    return result.failures


def check_witness(stack: Stack, token: str) -> list[str]:
    client = smoke.Client(stack.base_url, stack.ssl_context())
    answer = client.get(f"/media/{WITNESS}")
    client.close()
    failures = []
    if answer.status != 200 or answer.text() != token:
        failures.append(f"/media/{WITNESS}: {answer.status}, media not served or not restored")
    if answer.header("X-Content-Type-Options") != "nosniff":
        failures.append(f"/media/{WITNESS}: no X-Content-Type-Options: nosniff")
    return failures


def restore_drill(stack: Stack, token: str) -> list[str]:
    step("restore drill: make backup")
    backup_dir = stack.work / "backups"
    result = stack.run(
        ["make", "--no-print-directory", "backup", f"BACKUP_DIR={backup_dir}"], label="make backup"
    )
    print("   " + result.stdout.strip().replace("\n", "\n   "))
    dumps = sorted(backup_dir.glob("*.dump"))
    if not dumps:
        return [f"make backup wrote no .dump file in {backup_dir}"]

    # As on a new server (docs/deployment.md §6): services stopped, an empty database.
    step("restore drill: services stopped, database dropped and created empty, media deleted")
    stack.stop_process("gunicorn")
    stack.stop_process("worker")
    stack.psql(f"DROP DATABASE {stack.db_name} WITH (FORCE)")
    stack.psql(f"CREATE DATABASE {stack.db_name} OWNER {stack.db_name}")
    stack.psql("CREATE EXTENSION IF NOT EXISTS unaccent", database=stack.db_name)
    shutil.rmtree(stack.media_root)

    step(f"restore drill: make restore FILE={dumps[-1].name}")
    result = stack.run(
        ["make", "--no-print-directory", "restore", f"FILE={dumps[-1]}"], label="make restore"
    )
    print("   " + result.stdout.strip().replace("\n", "\n   "))
    stack.manage("migrate", "--noinput")
    stack.start_gunicorn()
    stack.start_worker()
    failures = check_witness(stack, token)
    return failures + crawl(stack, "after the restore")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-restore", action="store_true", help="skip the restore drill")
    parser.add_argument("--db-name", default="ressourcerie_prodcheck")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs)")
    parser.add_argument(
        "--keep-running",
        action="store_true",
        help="after the checks, leave the stack up until Ctrl-C (to look at it by hand)",
    )
    args = parser.parse_args(argv)
    install_signal_handlers()
    started = time.monotonic()
    stack = Stack(db_name=args.db_name)
    failures: list[str] = []
    try:
        step(f"production stack in {stack.work} (database {stack.db_name})")
        stack.setup()
        token = secrets.token_hex(16)
        witness = stack.media_root / WITNESS
        witness.parent.mkdir(parents=True, exist_ok=True)
        witness.write_text(token)
        stack.start()
        failures += crawl(stack, "fresh install")
        failures += check_witness(stack, token)
        if not args.no_restore and not failures:
            failures += restore_drill(stack, token)
        if args.keep_running:
            print(
                f"   up: {stack.base_url}/ (certificate {stack.cert}); Ctrl-C stops it", flush=True
            )
            for failure in failures:
                print(f"   ✗ {failure}", flush=True)
            while True:
                time.sleep(3600)
    except StackError as exc:
        failures.append(str(exc))
    except KeyboardInterrupt as exc:
        failures.append(f"interrupted ({exc})")
    except Exception as exc:  # the drill reports anything unexpected, then cleans up
        traceback.print_exc()
        failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        if failures:
            for name in ("gunicorn", "worker", "nginx-error"):
                tail = stack.log_tail(name, 15)
                if tail:
                    print(f"-- last lines of {name}.log:\n{tail}", file=sys.stderr)
        stack.cleanup(keep_work=args.keep or bool(failures))
    took = time.monotonic() - started
    if failures:
        print(f"== prod-check FAILED after {took:.0f} s:", file=sys.stderr)
        for failure in failures:
            print(f"   ✗ {failure}", file=sys.stderr)
        return 1
    print(f"== prod-check passed in {took:.0f} s (stack stopped, database dropped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
