"""Newsletter sending benchmark: 100,000 confirmed subscribers to a local SMTP sink.

    /work/main/.venv/bin/python bench/newsletter_send.py            # SQLite (temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .../python bench/newsletter_send.py

Sets up its own aiosmtpd sink on 127.0.0.1 (in this process) and its own data, then:
1. one worker process (`manage.py newsletter_send`) sends edition 1: prints the rate;
2. edition 2: the worker is killed with SIGKILL at about 50%, restarted after the claim
   timeout, and the sink counts distinct Message-IDs: prints duplicates and lost.
On PostgreSQL the newsletter tables of that database are emptied first.
Figures only, no asserts. SUBSCRIBERS=<n> in the environment for a smaller run.
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

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

SUBSCRIBERS = int(os.environ.get("SUBSCRIBERS", "100000"))
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
        subject=f"Lettre de bench n° {n} : les nouveautés du mois",
        body="Bonjour,\n\nVoici les **nouveautés** du mois.\n\n" + "- une ligne de texte\n" * 40,
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
        NEWSLETTER_BATCH_SIZE="500",
        NEWSLETTER_CLAIM_TIMEOUT=str(CLAIM_TIMEOUT),
        LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", "newsletter_send", "--edition", str(edition_id)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )


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
    try:
        # --- run 1: one worker, uninterrupted --------------------------------------------
        edition_id, prep = new_edition(1)
        print(f"run 1: {SUBSCRIBERS} delivery rows created in {prep:.1f} s")
        started = time.monotonic()
        proc = worker(edition_id, port)
        proc.wait()
        wall = time.monotonic() - started
        first, last = sink.arrivals[edition_id]
        received = sink.count(edition_id)
        sustained = received / (last - first) if last > first else 0.0
        print(
            f"run 1: {received} messages in {wall:.1f} s wall (worker start included): "
            f"{received / wall:.0f} msg/s overall"
        )
        print(f"{sustained:.0f} msg/s")

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
        print(f"lost: {SUBSCRIBERS - len(distinct)}")
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
