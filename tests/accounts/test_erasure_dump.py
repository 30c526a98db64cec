"""After ``POST /compte/supprimer/``, the whole database holds neither the person's e-mail,
phone nor address: a dump of every table (SQLite ``iterdump``, ``pg_dump`` on PostgreSQL),
sessions decoded, the task table included."""

import os
import re
import shutil
import subprocess

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from ressourcerie.accounts.models import User
from ressourcerie.core.models import ModerationTransition, Organisation
from ressourcerie.donations.models import DeviceRequest
from ressourcerie.testimonials.models import Testimonial

from .erasure_fixtures import PASSWORD, PROBE_EMAIL, PROBE_PHONE, make_everything

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def dump_database() -> str:
    """Every row of every table, as text."""
    if connection.vendor == "postgresql":
        params = connection.get_connection_params()
        if shutil.which("pg_dump") is None:
            pytest.fail("pg_dump is needed for the PostgreSQL run of this test")
        command = ["pg_dump", "--no-owner", "--dbname", params["dbname"]]
        for option, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
            if params.get(key):
                command += [option, str(params[key])]
        env = {**os.environ, "PGPASSWORD": str(params.get("password") or "")}
        dumped = subprocess.run(  # noqa: S603 - our own arguments
            command, check=True, capture_output=True, text=True, env=env
        )
        return dumped.stdout
    connection.ensure_connection()
    return "\n".join(connection.connection.iterdump())


def decoded_sessions() -> str:
    # Session rows are signed base64: the dump alone would not show what they hold.
    return "\n".join(str(s.get_decoded()) for s in Session.objects.all())


def probes_found(text: str) -> list[str]:
    found = []
    lowered = text.lower()
    if PROBE_EMAIL.split("@")[0] in lowered:
        found.append("e-mail")
    digits = re.sub(r"[\s.\-()/]", "", text)
    if PROBE_PHONE.replace(" ", "")[1:] in digits:  # 0612349876, +33612349876, 06 12…
        found.append("phone")
    if "rue de l'effacement" in lowered or "rue de l''effacement" in lowered:
        found.append("address")
    return found


@pytest.mark.django_db(transaction=True)
def test_erased_account_leaves_no_email_phone_or_address_in_the_database(settings):
    settings.TASKS = DATABASE_TASKS
    everything = make_everything()
    # The worker sends what was queued, as in production; finished rows stay 30 days.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    # The probes are there before, in the tables and the sessions; the sent e-mails' tasks
    # never held them (they carry ids only).
    assert probes_found(dump_database()) == ["e-mail", "phone", "address"]
    assert probes_found(decoded_sessions()) == ["e-mail"]
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").exists()
    assert not DBTaskResult.objects.filter(args_kwargs__icontains=PROBE_EMAIL).exists()

    response = everything.client.post("/compte/supprimer/", {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=everything.person.pk).exists()
    after = dump_database() + decoded_sessions()
    leaks = [line[:300] for line in after.splitlines() if probes_found(line)]
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_erasure_keeps_what_the_association_and_the_public_need():
    everything = make_everything()
    request_id = everything.others["request"].pk

    everything.client.post("/compte/supprimer/", {"password": PASSWORD})

    association = Organisation.objects.get(pk=everything.association.pk)
    assert association.created_by is None
    story = Testimonial.objects.get(pk=everything.published_story.pk)
    assert story.moderation_status == "published" and story.submitted_by is None
    assert story.organisation == association
    assert not Testimonial.objects.filter(title="Notre passage au libre").exists()
    request_obj = DeviceRequest.objects.get(pk=request_id)
    assert request_obj.organisation == association and request_obj.created_by is None
    assert (request_obj.contact_email, request_obj.contact_phone) == ("", "")
    decision = ModerationTransition.objects.get(reason="Déjà corrigé")
    assert decision.to_status == "rejected" and decision.actor is None
