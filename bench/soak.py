"""Soak: the production stack at half its measured capacity for 20 minutes (issue #12).

    .venv/bin/python bench/soak.py [--minutes 20] [--capacity-seconds 30] [--threads 8]

Brings up the stack of ``make prod-check`` (deploy/stack.py: PostgreSQL, gunicorn as the
systemd unit runs it, db_worker, nginx with TLS and gzip) on loopback ports, with
``RATE_LIMITS_ENABLED=false`` (docs/environment.md: only for load tests) so that one
client address may sign in and subscribe all along. Then:

1. capacity: ``--threads`` visitors request the mix back to back for
   ``--capacity-seconds``; the throughput reached is the capacity;
2. soak: the same mix, paced at half the capacity, for ``--minutes``. The mix: public pages
   (home, toolbox, a tool, directory, a place, testimonials, donations, search), the API
   (tools, places, a tool), password sign-ins of the demo account (form, POST, Mon compte)
   and newsletter subscriptions, each of which queues a confirmation e-mail;
3. in the middle, the db_worker is killed (SIGKILL) while e-mails keep being queued, and a
   new one started 10 s later.

Prints: errors (count and the first ones; anything but the expected status is one), p95
latency of the first and last 5 minutes (or halves of a shorter run) and the drift, the
RSS of gunicorn's workers at the start and the end, and e-mail tasks queued vs finished
(lost). Bounded: the run stops at its time limit and after ``--max-requests``; loopback
only. Not run by CI.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import smoke  # noqa: E402
from deploy.stack import Stack, StackError, install_signal_handlers  # noqa: E402

PUBLIC_PAGES = [
    "/",
    "/outils/",
    "/outils/{tool}/",
    "/acteurs/",
    "/acteurs/{place}/",
    "/temoignages/",
    "/dons/",
    "/recherche/?q=visio",
    "/autodiagnostic/",
    "/lettre/",
]
API = ["/api/v1/tools?page_size=20", "/api/v1/places?page_size=20", "/api/v1/tools/{tool}"]
# (kind, weight): about 70% pages, 20% API, 5% sign-ins, 5% subscriptions.
MIX = [("page", 70), ("api", 20), ("signin", 5), ("subscribe", 5)]


@dataclass
class Sample:
    at: float
    seconds: float
    kind: str
    ok: bool


class Load:
    def __init__(self, stack: Stack, names: dict[str, str], max_requests: int):
        self.stack, self.names = stack, names
        self.samples: list[Sample] = []
        self.errors: list[str] = []
        self.subscriptions = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.budget = itertools.count()
        self.max_requests = max_requests
        self.kinds = [k for k, w in MIX for _ in range(w)]

    def record(self, kind: str, started: float, ok: bool, error: str = ""):
        with self.lock:
            self.samples.append(Sample(started, time.perf_counter() - started, kind, ok))
            if not ok:
                self.errors.append(error)

    def one(self, client: smoke.Client, rng: random.Random):
        kind = rng.choice(self.kinds)
        started = time.perf_counter()
        try:
            if kind in ("page", "api"):
                path = rng.choice(PUBLIC_PAGES if kind == "page" else API).format(**self.names)
                answer = client.get(path)
                ok, what = answer.status == 200, f"GET {path} → {answer.status}"
            elif kind == "signin":
                visitor = smoke.Client(self.stack.base_url, self.stack.ssl_context())
                answer = smoke.sign_in(visitor)
                account = visitor.get("/compte/") if answer.status == 302 else answer
                visitor.close()
                ok = answer.status == 302 and account.status == 200
                what = f"sign-in → {answer.status}, /compte/ → {account.status}"
            else:
                form = client.get("/lettre/")
                email = f"soak-{secrets.token_hex(6)}@example.org"
                topic = re.search(r'name="topics" value="([^"]+)"', form.text())
                data = {
                    "csrfmiddlewaretoken": smoke.csrf_token(form.text()),
                    "email": email,
                    "topics": topic.group(1) if topic else "",
                }
                answer = client.post_form("/lettre/", data)
                ok = answer.status == 302
                what = f"subscribe → {answer.status}"
                if ok:
                    with self.lock:
                        self.subscriptions += 1
        except (OSError, ValueError) as exc:
            client.close()
            ok, what = False, f"{kind}: {type(exc).__name__}: {exc}"
        self.record(kind, started, ok, what)

    def visitor(self, seed: int, interval: float, until: float):
        """One visitor; ``interval`` paces it (0: back to back)."""
        rng = random.Random(seed)
        client = smoke.Client(self.stack.base_url, self.stack.ssl_context())
        next_at = time.perf_counter() + rng.random() * interval
        while not self.stop.is_set() and time.perf_counter() < until:
            if next(self.budget) >= self.max_requests:
                break
            if interval:
                delay = next_at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                next_at += interval
            self.one(client, rng)
        client.close()

    def run(self, threads: int, seconds: float, rate: float = 0.0):
        until = time.perf_counter() + seconds
        interval = threads / rate if rate else 0.0
        pool = [
            threading.Thread(target=self.visitor, args=(i, interval, until), daemon=True)
            for i in range(threads)
        ]
        for thread in pool:
            thread.start()
        return pool


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")


def rss_kb(pids: list[int]) -> dict[int, int]:
    sizes = {}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes[pid] = int(line.split()[1])
        except FileNotFoundError:
            pass
    return sizes


def task_counts(stack: Stack) -> dict[str, int]:
    out = stack.psql(
        "COPY (SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status) "
        "TO STDOUT",
        database=stack.db_name,
    )
    return {line.split("\t")[0]: int(line.split("\t")[1]) for line in out.splitlines() if line}


def discover(stack: Stack) -> dict[str, str]:
    client = smoke.Client(stack.base_url, stack.ssl_context())
    tool = client.get("/api/v1/tools?page_size=1").json()["results"][0]["slug"]
    place = client.get("/api/v1/places?page_size=1").json()["results"][0]["slug"]
    client.close()
    return {"tool": tool, "place": place}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--capacity-seconds", type=float, default=30)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=2_000_000)
    parser.add_argument("--db-name", default="ressourcerie_soak")
    args = parser.parse_args(argv)
    install_signal_handlers()
    stack = Stack(db_name=args.db_name, extra_env={"RATE_LIMITS_ENABLED": "false"})
    ok = False
    try:
        print(f"== production stack in {stack.work} (database {stack.db_name})", flush=True)
        stack.setup()
        stack.start()
        names = discover(stack)

        print(f"== capacity: {args.threads} visitors back to back, {args.capacity_seconds:.0f} s")
        probe = Load(stack, names, args.max_requests)
        for thread in probe.run(args.threads, args.capacity_seconds):
            thread.join()
        capacity = len(probe.samples) / args.capacity_seconds
        rate = capacity / 2
        print(f"   {capacity:.1f} req/s ({len(probe.errors)} errors); soak at {rate:.1f} req/s")
        for error in probe.errors[:5]:
            print(f"     {error}")

        seconds = args.minutes * 60
        load = Load(stack, names, args.max_requests)
        workers_start = rss_kb(stack.gunicorn_worker_pids())
        tasks_before = task_counts(stack)
        started = time.perf_counter()
        print(f"== soak: {args.minutes:g} min at {rate:.1f} req/s", flush=True)
        pool = load.run(args.threads * 2, seconds, rate)
        # The worker is killed in the middle, while subscriptions keep queueing e-mails.
        time.sleep(seconds / 2)
        worker = stack.processes["worker"]
        stack.stop_process("worker", sig=signal.SIGKILL)
        print(
            f"   {time.perf_counter() - started:.0f} s: db_worker {worker.pid} killed", flush=True
        )
        time.sleep(min(10, seconds / 10))
        stack.start_worker()
        for thread in pool:
            thread.join()
        elapsed = time.perf_counter() - started
        workers_end = rss_kb(stack.gunicorn_worker_pids())

        # Let the worker finish what was queued (bounded wait).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            counts = task_counts(stack)
            if not counts.get("READY") and not counts.get("RUNNING"):
                break
            time.sleep(2)
        counts = task_counts(stack)

        window = min(300.0, seconds / 2)
        first = [s.seconds for s in load.samples if s.at - started < window]
        last = [s.seconds for s in load.samples if s.at - started >= elapsed - window]
        p_first, p_last = p95(first), p95(last)
        mean_start = sum(workers_start.values()) / max(1, len(workers_start))
        mean_end = sum(workers_end.values()) / max(1, len(workers_end))
        recycled = len(set(workers_start) - set(workers_end))
        queued = sum(counts.values()) - sum(tasks_before.values())
        finished = counts.get("SUCCESSFUL", 0) - tasks_before.get("SUCCESSFUL", 0)
        # Lost: every row not sent by the end (a task queued by the setup and sent during the
        # soak counts as finished without being "queued during the soak").
        lost = sum(n for status, n in counts.items() if status != "SUCCESSFUL")
        by_kind = {k: sum(1 for s in load.samples if s.kind == k) for k, _ in MIX}

        print("== results")
        print(
            f"   requests: {len(load.samples)} in {elapsed:.0f} s "
            f"({len(load.samples) / elapsed:.1f} req/s; {by_kind})"
        )
        print(f"   errors: {len(load.errors)}")
        for error in load.errors[:10]:
            print(f"     {error}")
        print(
            f"   p95 first {window / 60:g} min: {p_first * 1000:.0f} ms, last {window / 60:g} min: "
            f"{p_last * 1000:.0f} ms, drift {100 * (p_last - p_first) / p_first:+.1f}%"
        )
        for kind, _weight in MIX:
            kind_first = [
                s.seconds for s in load.samples if s.kind == kind and s.at - started < window
            ]
            kind_last = [
                s.seconds
                for s in load.samples
                if s.kind == kind and s.at - started >= elapsed - window
            ]
            if kind_first and kind_last:
                print(
                    f"     {kind}: p95 {p95(kind_first) * 1000:.0f} → {p95(kind_last) * 1000:.0f} ms"
                )
        print(
            f"   gunicorn workers RSS: start {mean_start / 1024:.1f} MB, end {mean_end / 1024:.1f} "
            f"MB (mean of {len(workers_start)}/{len(workers_end)}), growth "
            f"{100 * (mean_end - mean_start) / mean_start:+.1f}%; {recycled} recycled "
            "(--max-requests)"
        )
        print(
            f"   tasks: {queued} queued during the soak ({load.subscriptions} subscriptions), "
            f"{finished} finished, lost {lost}; task table now {counts}"
        )
        ok = not load.errors and lost == 0 and queued >= load.subscriptions
    except StackError as exc:
        print(f"✗ {exc}", file=sys.stderr)
    except (KeyboardInterrupt, subprocess.SubprocessError) as exc:
        print(f"✗ interrupted: {exc}", file=sys.stderr)
    finally:
        stack.cleanup(keep_work=not ok)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
