"""The task table is not a second copy of people's secrets (DESIGN §7).

With the production task backend (django_tasks_db), every e-mail that carries a secret is
triggered through its real view or service, the queued task is run as ``db_worker`` runs it,
and the e-mail really sent gives the secret (code, token, private link) and the recipient:
neither may appear in any column of any row of the task table, before or after the run."""

import re
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from ressourcerie.accounts import services as accounts
from ressourcerie.accounts.models import Invitation, Membership, Role
from ressourcerie.core import moderation
from ressourcerie.core.models import OrganisationCorrection, OrganisationKind
from ressourcerie.diagnostic.models import DiagnosticResponse
from ressourcerie.directory import services as directory
from ressourcerie.directory.models import ContactMessage, Place, PlaceClaim
from ressourcerie.newsletter import services as newsletter
from tests.diagnostic.conftest import small  # noqa: F401 (fixture, by name)
from tests.directory.factories import PlaceFactory
from tests.donations.factories import make_offer
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)

from .organisation_fixtures import communes  # noqa: F401 (fixture, by name)

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_tasks(settings):
    """Tasks go to the database, as in production; nothing runs until ``run_worker``."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> list:
    """Run every ready task with db_worker's own code path; return the e-mails sent."""
    start = len(mail.outbox)
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    for row in DBTaskResult.objects.ready().order_by("enqueued_at"):
        row.claim(worker.worker_id)
        worker.run_task(row)
    failed = DBTaskResult.objects.failed()
    assert not failed.exists(), [(r.task_path, r.traceback) for r in failed]
    return mail.outbox[start:]


def task_table_text() -> str:
    """Every column of every row of the task table, as the database stores it."""
    table = connection.ops.quote_name(DBTaskResult._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a model's table name)
        rows = cursor.fetchall()
    assert rows, "nothing was queued"
    return "\n".join(" | ".join(str(value) for value in row) for row in rows)


def site_links(message) -> list[str]:
    """The links of an e-mail, as paths for the test client (absolute or site-relative)."""
    return re.findall(r"https?://[^/\s]+(/\S+)", message.body) + re.findall(
        r"^(/\S+/)$", message.body, re.MULTILINE
    )


def code_in(message) -> str:
    return re.search(r"^\s+(\d{6})\s*$", message.body, re.MULTILINE).group(1)


def secret_segments(link: str) -> list[str]:
    """The parts of a private link that make it private (long path segments)."""
    return [part for part in link.strip("/").split("/") if len(part) >= 20]


# --- Each secret-bearing e-mail, triggered through its view or service -----------------------


def sign_up(client, capture, request=None):
    with capture(execute=True):
        accounts.sign_up(email="nouvelle@example.org", password="un-mot-de-passe-solide")


def resend_confirmation(client, capture, request=None):
    UserFactory(email="attente@example.org", email_confirmed_at=None)
    with capture(execute=True):
        accounts.resend_confirmation(email="attente@example.org")


def login_code(client, capture, request=None):
    UserFactory(email="alix@example.org")
    with capture(execute=True):
        client.post("/compte/connexion/code/", {"email": "alix@example.org"})


def deletion_code(client, capture, request=None):
    user = UserFactory(email="sans-mot-de-passe@example.org")
    with capture(execute=True):
        accounts.send_deletion_code(user=user)


def password_reset(client, capture, request=None):
    UserFactory(email="oubli@example.org")
    with capture(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "oubli@example.org"})


def invitation(client, capture, request=None):
    member = MembershipFactory(organisation=OrganisationFactory(name="Vélo nantais")).user
    organisation = member.memberships.get().organisation
    client.force_login(member)
    with capture(execute=True):
        client.post(
            reverse("core:organisation_invite", args=[organisation.slug]),
            {"email": "invitee@example.org"},
        )


def donor_offer(client, capture, request):
    places = request.getfixturevalue("communes")
    with capture(execute=True):
        make_offer(places["nantes"], confirmed=False, email="donatrice@entreprise.example")


def diagnostic_link(client, capture, request):
    request.getfixturevalue("small")
    client.post("/autodiagnostic/commencer/", {})
    client.post("/autodiagnostic/etape/1/", {"version": "1", "action": "save"})
    with capture(execute=True):
        client.post("/autodiagnostic/plus-tard/", {"email": "benevole@example.org"})


def newsletter_confirmation(client, capture, request=None):
    with capture(execute=True):
        newsletter.subscribe(email="lectrice@example.org", topics=["dons"])


def newsletter_already(client, capture, request=None):
    with capture(execute=True):
        newsletter.subscribe(email="fidele@example.org", topics=["dons"])
    subscriber = newsletter.Subscriber.objects.get()
    newsletter.Subscriber.objects.filter(pk=subscriber.pk).update(status="confirmed")
    DBTaskResult.objects.all().delete()
    with capture(execute=True):
        newsletter.subscribe(email="fidele@example.org", topics=["dons"])


def place_claim_code(client, capture, request=None):
    place = PlaceFactory(emails=["accueil@epn.example.org"])
    with capture(execute=True):
        directory.start_code_claim(place=place, user=UserFactory(), email=place.emails[0])


def place_reminder(client, capture, request=None):
    place = PlaceFactory(emails=["rappel@lieu.example.org"])
    Place.objects.filter(pk=place.pk).update(
        created_at=timezone.now() - timedelta(days=200), source_updated_on=None
    )
    with capture(execute=True):
        directory.send_place_reminders()


SECRET_BEARING = {
    "sign_up": sign_up,
    "resend_confirmation": resend_confirmation,
    "login_code": login_code,
    "deletion_code": deletion_code,
    "password_reset": password_reset,
    "invitation": invitation,
    "donor_offer": donor_offer,
    "diagnostic_link": diagnostic_link,
    "newsletter_confirmation": newsletter_confirmation,
    "newsletter_already": newsletter_already,
    "place_claim_code": place_claim_code,
    "place_reminder": place_reminder,
}


@pytest.mark.parametrize("name", sorted(SECRET_BEARING))
def test_no_secret_nor_address_in_the_task_table(
    name, request, client, db_tasks, django_capture_on_commit_callbacks
):
    SECRET_BEARING[name](client, django_capture_on_commit_callbacks, request)
    queued = task_table_text()
    sent = run_worker()
    assert sent, "the worker sent nothing"
    after_run = task_table_text()
    for message in sent:
        secrets = [s for link in site_links(message) for s in secret_segments(link)]
        if re.search(r"^\s+\d{6}\s*$", message.body, re.MULTILINE):
            secrets.append(code_in(message))
        assert secrets, f"no secret found in {message.body!r}"
        for text in (queued, after_run):
            for secret in secrets:
                assert secret not in text
            for address in message.to:
                assert address not in text
            assert message.subject not in text


# --- What the worker sends works --------------------------------------------------------


def test_a_code_sent_later_by_the_worker_signs_in(
    client, db_tasks, django_capture_on_commit_callbacks
):
    user = UserFactory(email="alix@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/connexion/code/", {"email": "alix@example.org"})
    assert response.status_code == 302
    # Nothing is issued until the worker sends: the 15 minutes start then.
    assert not user.login_codes.exists()
    [message] = run_worker()
    assert message.to == ["alix@example.org"]
    code_row = user.login_codes.get()
    assert code_row.expires_at - timezone.now() > timedelta(minutes=14)
    response = client.post("/compte/connexion/code/saisie/", {"code": code_in(message)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_reset_link_sent_by_the_worker_sets_a_new_password(
    client, db_tasks, django_capture_on_commit_callbacks
):
    user = UserFactory(email="oubli@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "oubli@example.org"})
    [message] = run_worker()
    form_url = client.get(site_links(message)[0]).url
    new = "un-nouveau-mot-de-passe-solide"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)


def test_a_confirmation_link_sent_by_the_worker_confirms(
    client, db_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = accounts.sign_up(email="nouvelle@example.org", password="un-mot-de-passe-solide")
    [message] = run_worker()
    # Opening the link shows a button; posting it confirms (mail scanners only open links).
    assert client.post(site_links(message)[0]).status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


def test_an_invitation_sent_by_the_worker_can_be_accepted(
    client, db_tasks, django_capture_on_commit_callbacks
):
    invitation(client, django_capture_on_commit_callbacks)
    [message] = run_worker()
    assert message.to == ["invitee@example.org"]
    invited = Invitation.objects.get()
    newcomer = UserFactory(email="invitee@example.org")
    client.force_login(newcomer)
    response = client.post(site_links(message)[0])
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, organisation=invited.organisation).exists()


def test_the_donor_links_sent_by_the_worker_confirm_and_open_the_follow_page(
    client,
    db_tasks,
    django_capture_on_commit_callbacks,
    communes,  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        offer, secret = make_offer(communes["nantes"], confirmed=False)
    [message] = run_worker()
    confirm, follow = site_links(message)
    assert secret in confirm and secret in follow
    client.post(confirm)
    offer.refresh_from_db()
    assert offer.confirmed_at is not None
    page = client.get(follow)
    assert page.status_code == 200 and "Suivi de mon don" in page.content.decode()
    assert client.get(follow.replace(secret, secret[:-1] + "x")).status_code == 404


def test_the_diagnostic_link_sent_by_the_worker_resumes_the_response(
    client, request, db_tasks, django_capture_on_commit_callbacks
):
    diagnostic_link(client, django_capture_on_commit_callbacks, request)
    [message] = run_worker()
    assert message.to == ["benevole@example.org"]
    response = DiagnosticResponse.objects.get()
    other_browser = client.__class__()
    page = other_browser.get(site_links(message)[0])
    assert page.status_code == 200
    assert other_browser.session["diagnostic"]["id"] == response.pk
    # The address served once and is kept nowhere.
    assert "benevole@example.org" not in task_table_text()
    from ressourcerie.core.models import HeldAddress

    assert not HeldAddress.objects.exists()


def test_a_claim_code_sent_by_the_worker_is_accepted(
    client, db_tasks, django_capture_on_commit_callbacks
):
    place = PlaceFactory(emails=["accueil@epn.example.org"])
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        claim = directory.start_code_claim(place=place, user=user, email=place.emails[0])
    [message] = run_worker()
    assert directory.verify_claim_code(claim=claim, code=code_in(message))
    assert PlaceClaim.objects.get().status == PlaceClaim.Status.APPROVED


# --- Objects gone before the worker runs ------------------------------------------------


def test_a_task_whose_objects_are_gone_ends_quietly(
    client, db_tasks, django_capture_on_commit_callbacks
):
    user = UserFactory(email="partie@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        accounts.send_login_code(email=user.email)
    user.delete()
    assert run_worker() == []
    assert DBTaskResult.objects.successful().count() == 1


# --- E-mails without a secret carry ids too ---------------------------------------------


def test_other_emails_carry_neither_address_nor_text(
    client, db_tasks, django_capture_on_commit_callbacks
):
    author = UserFactory(email="autrice@example.org")
    organisation = OrganisationFactory()
    correction = moderation.submit(
        obj=OrganisationCorrection(organisation=organisation, message="Adresse du siège fausse"),
        by=author,
    )
    structure = OrganisationFactory(kind=OrganisationKind.SUPPORT_STRUCTURE)
    editor = UserFactory(email="editrice@example.org")
    MembershipFactory(user=editor, organisation=structure, role=Role.EDITOR)
    place = PlaceFactory(organisation=structure, emails=["public@lieu.example.org"])
    sender = UserFactory(email="expediteur@example.org")
    association = OrganisationFactory(name="Les Amis du Jardin")
    MembershipFactory(user=sender, organisation=association, role=Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.transition(
            obj=correction,
            to_status="rejected",
            actor=StaffFactory(),
            reason="Motif confidentiel du refus",
        )
        directory.send_contact_message(
            place=place,
            sender=sender,
            organisation=association,
            subject="Objet du message relayé",
            body="Texte privé du message relayé",
        )
    text = task_table_text()
    sent = run_worker()
    assert {address for message in sent for address in message.to} == {
        "autrice@example.org",
        "editrice@example.org",
    }
    assert ContactMessage.objects.exists()
    for private in (
        "autrice@example.org",
        "editrice@example.org",
        "expediteur@example.org",
        "Motif confidentiel",
        "Texte privé",
        "Objet du message",
    ):
        assert private not in text
        assert private not in task_table_text()
    relayed = next(m for m in sent if m.to == ["editrice@example.org"])
    assert relayed.reply_to == ["expediteur@example.org"]
    assert "Texte privé du message relayé" in relayed.body
    refused = next(m for m in sent if m.to == ["autrice@example.org"])
    assert "Motif confidentiel du refus" in refused.body


class RefusingBackend(BaseEmailBackend):
    """An SMTP server refusing the recipient: smtplib's exception names the address."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {
                address: (550, b"5.1.1 " + address.encode() + b" unknown")
                for address in messages[0].to
            }
        )


def test_a_refused_send_leaves_no_address_in_the_failed_row(
    client, db_tasks, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    UserFactory(email="refusee@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        accounts.send_login_code(email="refusee@example.org")
    row = DBTaskResult.objects.get()
    row.claim("test-worker")
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run_task(row)
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert "SMTPRecipientsRefused" in row.traceback
    assert "refusee@example.org" not in task_table_text()


def test_queue_email_refuses_anything_but_ids_and_known_purposes():
    from ressourcerie.core.services import queue_email

    with pytest.raises(TypeError):
        queue_email(purpose="accounts.login_code", ids={"user": "alix@example.org"})
    with pytest.raises(LookupError):
        queue_email(purpose="accounts.no_such_email", ids={"user": 1})
