"""Newsletter sending benchmark: 100,000 confirmed subscribers to a local SMTP sink.

    /work/main/.venv/bin/python bench/newsletter_send.py            # SQLite (temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .../python bench/newsletter_send.py

The sink: aiosmtpd on 127.0.0.1, in SINK_PROCESSES processes (default 2) listening on the
same port (SO_REUSEPORT: the kernel spreads the connections over them), because one
aiosmtpd process (one asyncio thread, every line of every message read by a coroutine)
costs more CPU per message than the worker and would be the only thing measured. Like
Postfix, it offers PIPELINING. Each process records the Message-IDs it receives; the bench
adds them up for the duplicate/lost check. The bench sets up its own data, then:
0. the sink's own ceiling: a trivial client (another process, no database, no rendering:
   one prepared message sent again and again, pipelined: the message, its dot and the next
   MAIL/RCPT/DATA in one write) on 1 and on NEWSLETTER_CONNECTIONS connections for
   SINK_SECONDS: the most any sender can get from this sink at that moment;
1. one worker process (`manage.py newsletter_send`) sends edition 1: prints the rate;
2. edition 2: the worker is killed with SIGKILL at about 50%, restarted after the claim
   timeout, and the sink counts distinct Message-IDs: prints duplicates and lost;
3. edition 3: two workers at once (skipped with WORKERS2=0): their combined rate and its
   ratio to run 1.
Each run prints the CPU per message of the worker(s) and of the sink (the figure that stays
comparable on a shared machine) and the load average. On PostgreSQL the newsletter tables
of that database are emptied first. Figures only, no asserts.
Environment: SUBSCRIBERS=<n> for a smaller run, NEWSLETTER_CONNECTIONS (default 16 here),
NEWSLETTER_BATCH_SIZE (default 500), SINK_SECONDS (default 8, 0 to skip), SINK_PROCESSES
(default 2), SINK_PIPELINING=0 for a sink that does not offer PIPELINING.
"""

import os
import re
import resource
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ENVELOPE = b"MAIL FROM:<lettre@bench.example.org>\r\nRCPT TO:<x@bench.example.org>\r\nDATA\r\n"
MSGID = re.compile(rb"\r\nMessage-ID: <nl\.(\d+)\.(\d+)@")


def trivial_client(port: int, seconds: float, connections: int, path: str):
    """Step 0, in its own process: the same message, over and over, no database."""
    raw = re.sub(rb"(?m)^\.", b"..", Path(path).read_bytes()) + b".\r\n"
    conns = [smtplib.SMTP("127.0.0.1", port) for _ in range(connections)]
    for conn in conns:
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.ehlo()
        for command in ENVELOPE.splitlines(True):
            conn.send(command)
            conn.getreply()
    # Lock step when the sink does not offer PIPELINING: the message, then each command.
    steps = (
        [raw + ENVELOPE] if conns[0].has_extn("pipelining") else [raw, *ENVELOPE.splitlines(True)]
    )
    sent, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        for step in steps:
            for conn in conns:
                conn.send(step)
            for conn in conns:
                code, _text = conn.getreply()  # the first answer is the dot's
                sent += code == 250 and step is steps[0]
                for _reply in range(3 if len(steps) == 1 else 0):
                    conn.getreply()
    print(sent)


def sink_process(port: int, pipelining: bool):
    """One process of the sink: aiosmtpd's SMTP server on the shared port; answers the
    bench's questions on stdin/stdout ("count E", "ids E", "span E", "cpu")."""
    import asyncio
    import logging

    from aiosmtpd.smtp import SMTP

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    lock = threading.Lock()
    received: dict[int, list[int]] = {}
    spans: dict[int, list[float]] = {}

    class Handler:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            session.host_name = hostname
            return [*responses[:-1], "250-PIPELINING", responses[-1]] if pipelining else responses

        async def handle_DATA(self, server, session, envelope):
            match = MSGID.search(envelope.original_content)
            if match:
                now = time.monotonic()
                edition, delivery = int(match.group(1)), int(match.group(2))
                with lock:
                    received.setdefault(edition, []).append(delivery)
                    spans.setdefault(edition, [now, now])[1] = now
            return "250 OK"

    loop = asyncio.new_event_loop()
    handler = Handler()
    server = loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(handler, hostname="sink.bench.example.org", decode_data=False),
            host="127.0.0.1",
            port=port,
            reuse_port=True,
        )
    )
    threading.Thread(target=loop.run_forever, daemon=True).start()
    print("ready", flush=True)
    for line in sys.stdin:
        verb, *args = line.split()
        with lock:
            if verb == "count":
                answer = str(len(received.get(int(args[0]), [])))
            elif verb == "ids":
                answer = " ".join(map(str, received.get(int(args[0]), [])))
            elif verb == "span":
                answer = " ".join(map(str, spans.get(int(args[0]), [])))
            else:
                answer = str(time.process_time())
        print(answer, flush=True)
    loop.call_soon_threadsafe(server.close)


if __name__ == "__main__" and sys.argv[1:2] == ["--trivial-client"]:
    trivial_client(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    sys.exit(0)
if __name__ == "__main__" and sys.argv[1:2] == ["--sink"]:
    sink_process(int(sys.argv[2]), sys.argv[3] == "1")
    sys.exit(0)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(_tmp.name) / 'bench.sqlite3'}")
os.environ["DJANGO_SETTINGS_MODULE"] = "ressourcerie.settings"
os.environ["RESSOURCERIE_ENV"] = "development"
os.environ["RESSOURCERIE_VAR_DIR"] = _tmp.name
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from ressourcerie.core.models import Department, Region  # noqa: E402
from ressourcerie.newsletter import dispatch  # noqa: E402
from ressourcerie.newsletter.models import (  # noqa: E402
    Delivery,
    Edition,
    Subscriber,
    SubscriberStatus,
    Topic,
    encode_topics,
)
from ressourcerie.newsletter.rendering import EditionRenderer  # noqa: E402

SUBSCRIBERS = int(os.environ.get("SUBSCRIBERS", "100000"))
CONNECTIONS = os.environ.get("NEWSLETTER_CONNECTIONS", "16")
BATCH_SIZE = os.environ.get("NEWSLETTER_BATCH_SIZE", "500")
SUBJECT = "Lettre de bench n° {} : les nouveautés du mois"
BODY = "Bonjour,\n\nVoici les **nouveautés** du mois.\n\n" + "- une ligne de texte\n" * 40
SINK_SECONDS = float(os.environ.get("SINK_SECONDS", "8"))
SINK_PROCESSES = int(os.environ.get("SINK_PROCESSES", "2"))
SINK_PIPELINING = os.environ.get("SINK_PIPELINING", "1") != "0"
CLAIM_TIMEOUT = 5


class Sink:
    """The sink's processes, asked over pipes; every figure is the sum over them."""

    def __init__(self, port: int, processes: int, pipelining: bool):
        self.procs = []
        for _index in range(processes):
            proc = subprocess.Popen(
                [sys.executable, __file__, "--sink", str(port), "1" if pipelining else "0"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert proc.stdout.readline().strip() == "ready"
            self.procs.append(proc)

    def ask(self, question: str) -> list[str]:
        for proc in self.procs:
            proc.stdin.write(question + "\n")
            proc.stdin.flush()
        return [proc.stdout.readline().strip() for proc in self.procs]

    def count(self, edition_id) -> int:
        return sum(int(n) for n in self.ask(f"count {edition_id}"))

    def spread(self, edition_id) -> str:
        return "/".join(self.ask(f"count {edition_id}"))

    def ids(self, edition_id) -> list[int]:
        return [int(i) for answer in self.ask(f"ids {edition_id}") for i in answer.split()]

    def span(self, edition_id) -> tuple[float, float]:
        spans = [[float(t) for t in a.split()] for a in self.ask(f"span {edition_id}") if a]
        return min(s[0] for s in spans), max(s[1] for s in spans)

    def cpu(self) -> float:
        return sum(float(t) for t in self.ask("cpu"))

    def stop(self):
        for proc in self.procs:
            proc.stdin.close()
            proc.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_data():
    call_command("migrate", verbosity=0)
    Delivery.objects.all().delete()
    Edition.objects.all().delete()
    Subscriber.objects.all().delete()
    region, _ = Region.objects.get_or_create(code="52", defaults={"name": "Pays de la Loire"})
    departments = [
        Department.objects.get_or_create(code=c, defaults={"name": n, "region": region})[0]
        for c, n in [
            ("44", "Loire-Atlantique"),
            ("49", "Maine-et-Loire"),
            ("53", "Mayenne"),
            ("72", "Sarthe"),
            ("85", "Vendée"),
        ]
    ]
    topics = list(Topic.values)
    rows = []
    for i in range(SUBSCRIBERS):
        chosen = [t for j, t in enumerate(topics) if (i >> j) & 1] or ["outils"]
        rows.append(
            Subscriber(
                email=f"abonne{i}@bench.example.org",
                status=SubscriberStatus.CONFIRMED,
                topics=encode_topics(chosen),
                department=departments[i % 6] if i % 6 < 5 else None,
            )
        )
    Subscriber.objects.bulk_create(rows, batch_size=5000)


def new_edition(n):
    edition = Edition.objects.create(
        subject=SUBJECT.format(n),
        body=BODY,
    )
    started = time.monotonic()
    dispatch.start_sending(edition=edition, enqueue=False)
    return edition.pk, time.monotonic() - started


def worker(edition_id, port):
    env = dict(os.environ)
    env.update(
        NEWSLETTER_SMTP_HOST="127.0.0.1",
        NEWSLETTER_SMTP_PORT=str(port),
        NEWSLETTER_RATE="0",
        NEWSLETTER_BATCH_SIZE=BATCH_SIZE,
        NEWSLETTER_CONNECTIONS=CONNECTIONS,
        NEWSLETTER_CLAIM_TIMEOUT=str(CLAIM_TIMEOUT),
        LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", "newsletter_send", "--edition", str(edition_id)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f}"


def sink_ceiling(port, sink):
    """The sink saturated by a trivial client, on 1 and on CONNECTIONS connections."""
    edition = Edition.objects.create(subject=SUBJECT.format(0), body=BODY)
    subscriber = Subscriber.objects.order_by("pk").first()
    raw = EditionRenderer(edition).message(
        delivery_id=0,
        email=subscriber.email,
        topics=subscriber.topics,
        department_id=subscriber.department_id,
        subscriber_id=subscriber.pk,
        token_version=0,
    )
    edition.delete()
    path = Path(_tmp.name) / "message.eml"
    path.write_bytes(raw)
    for connections in sorted({1, int(CONNECTIONS)}):
        before, sink0 = load(), sink.cpu()
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--trivial-client",
                str(port),
                str(SINK_SECONDS),
                str(connections),
                str(path),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        print(
            f"sink ceiling ({len(raw)} bytes a message, trivial client, {connections} "
            f"connection(s)): {int(out) / SINK_SECONDS:.0f} msg/s, sink CPU "
            f"{(sink.cpu() - sink0) / max(int(out), 1) * 1e6:.0f} µs a message [{before}]"
        )


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_note(worker_cpu: float, sink_cpu: float, messages: int) -> str:
    """CPU per message, the figure that stays comparable on a shared machine."""
    if not messages:
        return ""
    return (
        f"CPU per message: worker(s) {worker_cpu / messages * 1e6:.0f} µs, "
        f"sink {sink_cpu / messages * 1e6:.0f} µs"
    )


def rate(sink, edition_id):
    first, last = sink.span(edition_id)
    received = sink.count(edition_id)
    return received, (received / (last - first) if last > first else 0.0)


def main():
    engine = django.db.connection.vendor
    t = time.monotonic()
    setup_data()
    print(
        f"database: {engine}; {SUBSCRIBERS} confirmed subscribers created in "
        f"{time.monotonic() - t:.1f} s"
    )
    port = free_port()
    sink = Sink(port, SINK_PROCESSES, SINK_PIPELINING)
    print(
        f"NEWSLETTER_CONNECTIONS={CONNECTIONS}, NEWSLETTER_BATCH_SIZE={BATCH_SIZE}; sink: "
        f"aiosmtpd in {SINK_PROCESSES} process(es), PIPELINING "
        f"{'offered' if SINK_PIPELINING else 'not offered'}; {load()}"
    )
    try:
        if SINK_SECONDS:
            sink_ceiling(port, sink)
        # --- run 1: one worker, uninterrupted --------------------------------------------
        edition_id, prep = new_edition(1)
        print(f"run 1: {SUBSCRIBERS} delivery rows created in {prep:.1f} s")
        started, cpu0, sink0 = time.monotonic(), children_cpu(), sink.cpu()
        proc = worker(edition_id, port)
        proc.wait()
        wall = time.monotonic() - started
        received, one_worker = rate(sink, edition_id)
        note = cpu_note(children_cpu() - cpu0, sink.cpu() - sink0, received)
        print(f"run 1: {note}; spread over the sink's processes {sink.spread(edition_id)}")
        print(
            f"run 1: {received} messages in {wall:.1f} s wall (worker start included): "
            f"{received / wall:.0f} msg/s overall"
        )
        print(f"{one_worker:.0f} msg/s (one worker, sustained) [{load()}]")

        # --- run 2: SIGKILL at ~50%, restart ---------------------------------------------
        edition_id, _prep = new_edition(2)
        proc = worker(edition_id, port)
        while sink.count(edition_id) < SUBSCRIBERS // 2 and proc.poll() is None:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        at_kill = sink.count(edition_id)
        print(
            f"run 2: worker killed (SIGKILL) after {at_kill} messages; "
            f"restart after the claim timeout ({CLAIM_TIMEOUT} s)"
        )
        time.sleep(CLAIM_TIMEOUT + 1)
        proc = worker(edition_id, port)
        proc.wait()
        ids = sink.ids(edition_id)
        distinct = set(ids)
        edition = Edition.objects.get(pk=edition_id)
        print(
            f"run 2: edition status {edition.status}, {edition.sent_count} marked sent; "
            f"{len(ids)} messages received, {len(distinct)} distinct Message-IDs"
        )
        print(f"duplicates: {len(ids) - len(distinct)}")
        print(f"lost: {SUBSCRIBERS - len(distinct)} [{load()}]")

        # --- run 3: two workers at once ----------------------------------------------------
        if os.environ.get("WORKERS2", "1") != "0":
            edition_id, _prep = new_edition(3)
            cpu0, sink0 = children_cpu(), sink.cpu()
            procs = [worker(edition_id, port), worker(edition_id, port)]
            for proc in procs:
                proc.wait()
            received, both = rate(sink, edition_id)
            print(f"run 3: {cpu_note(children_cpu() - cpu0, sink.cpu() - sink0, received)}")
            distinct = len(set(sink.ids(edition_id)))
            print(
                f"run 3: two workers: {received} messages, {distinct} distinct; "
                f"{both:.0f} msg/s together, {both / one_worker:.2f}x one worker [{load()}]"
            )
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
