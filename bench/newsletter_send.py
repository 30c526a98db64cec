"""Newsletter sending benchmark: 100,000 confirmed subscribers to a local SMTP sink.

    /work/main/.venv/bin/python bench/newsletter_send.py            # SQLite (temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .../python bench/newsletter_send.py

Sets up its own aiosmtpd sink on 127.0.0.1 (in this process) and its own data, then:
0. the sink's own ceiling: a trivial client (another process, no database, no rendering:
   one prepared message sent again and again, MAIL/RCPT/DATA in lock step on 1 and on
   NEWSLETTER_CONNECTIONS connections) for SINK_SECONDS: the most any sender can get here;
1. one worker process (`manage.py newsletter_send`) sends edition 1: prints the rate;
2. edition 2: the worker is killed with SIGKILL at about 50%, restarted after the claim
   timeout, and the sink counts distinct Message-IDs: prints duplicates and lost;
3. edition 3: two workers at once (skipped with WORKERS2=0): their combined rate and its
   ratio to run 1.
On PostgreSQL the newsletter tables of that database are emptied first. The load average
is printed with each figure (the machine is shared). Figures only, no asserts.
Environment: SUBSCRIBERS=<n> for a smaller run, NEWSLETTER_CONNECTIONS (default 16 here),
NEWSLETTER_BATCH_SIZE (default 500), SINK_SECONDS (default 8, 0 to skip).
"""

import os
import re
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def trivial_client(port: int, seconds: float, connections: int, path: str):
    """Step 0, in its own process: the same message, over and over, no database."""
    raw = re.sub(rb"(?m)^\.", b"..", Path(path).read_bytes()) + b".\r\n"
    conns = [smtplib.SMTP("127.0.0.1", port) for _ in range(connections)]
    for conn in conns:
        conn.ehlo()
    sent, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        for command in (
            b"MAIL FROM:<lettre@bench.example.org>\r\n",
            b"RCPT TO:<x@bench.example.org>\r\n",
            b"DATA\r\n",
            raw,
        ):
            for conn in conns:
                conn.send(command)
            for conn in conns:
                code, _text = conn.getreply()
        sent += connections if code == 250 else 0
    print(sent)


if __name__ == "__main__" and sys.argv[1:2] == ["--trivial-client"]:
    trivial_client(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
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

from aiosmtpd.controller import Controller  # noqa: E402
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
CLAIM_TIMEOUT = 5
MSGID = re.compile(rb"\r\nMessage-ID: <nl\.(\d+)\.(\d+)@")


class Sink:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_edition: dict[int, list[int]] = {}
        self.arrivals: dict[int, list[float]] = {}

    async def handle_DATA(self, server, session, envelope):
        match = MSGID.search(envelope.original_content)
        now = time.monotonic()
        if match:
            edition, delivery = int(match.group(1)), int(match.group(2))
            with self.lock:
                self.by_edition.setdefault(edition, []).append(delivery)
                times = self.arrivals.setdefault(edition, [now, now])
                times[1] = now
        return "250 OK"

    def count(self, edition_id):
        with self.lock:
            return len(self.by_edition.get(edition_id, []))


def free_port():
    import socket

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


def sink_ceiling(port):
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
        before = load()
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
            f"connection(s)): {int(out) / SINK_SECONDS:.0f} msg/s [{before}]"
        )


def rate(sink, edition_id):
    first, last = sink.arrivals[edition_id]
    received = sink.count(edition_id)
    return received, (received / (last - first) if last > first else 0.0)


def main():
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    engine = django.db.connection.vendor
    t = time.monotonic()
    setup_data()
    print(
        f"database: {engine}; {SUBSCRIBERS} confirmed subscribers created in "
        f"{time.monotonic() - t:.1f} s"
    )
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    print(f"NEWSLETTER_CONNECTIONS={CONNECTIONS}, NEWSLETTER_BATCH_SIZE={BATCH_SIZE}; {load()}")
    try:
        if SINK_SECONDS:
            sink_ceiling(port)
        # --- run 1: one worker, uninterrupted --------------------------------------------
        edition_id, prep = new_edition(1)
        print(f"run 1: {SUBSCRIBERS} delivery rows created in {prep:.1f} s")
        started = time.monotonic()
        proc = worker(edition_id, port)
        proc.wait()
        wall = time.monotonic() - started
        received, one_worker = rate(sink, edition_id)
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
        ids = sink.by_edition[edition_id]
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
            procs = [worker(edition_id, port), worker(edition_id, port)]
            for proc in procs:
                proc.wait()
            received, both = rate(sink, edition_id)
            distinct = len(set(sink.by_edition[edition_id]))
            print(
                f"run 3: two workers: {received} messages, {distinct} distinct; "
                f"{both:.0f} msg/s together, {both / one_worker:.2f}x one worker [{load()}]"
            )
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
