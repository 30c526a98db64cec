import pytest
from django.core import mail
from django.urls import reverse

from ressourcerie.core import moderation
from ressourcerie.core.models import ModerationStatus, ModerationTransition, OrganisationCorrection
from ressourcerie.core.organisations import services
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

from .organisation_fixtures import communes, make_moderator  # noqa: F401

S = ModerationStatus


@pytest.fixture
def organisation(communes):  # noqa: F811
    return OrganisationFactory(name="Vélo nantais")


@pytest.fixture
def author(db):
    return UserFactory(email="auteur@example.org")


@pytest.fixture
def moderator(db):
    return make_moderator(UserFactory())


@pytest.fixture
def correction(organisation, author):
    return services.report_correction(
        organisation=organisation, user=author, message="L'association a déménagé à Rezé."
    )


def statuses(obj):
    return [(row.from_status, row.to_status) for row in reversed(moderation.history(obj))]


def test_submission_enters_the_queue_with_a_history_row(correction, author):
    assert correction.moderation_status == S.SUBMITTED
    assert correction.submitted_by == author and correction.submitted_at is not None
    assert statuses(correction) == [("", S.SUBMITTED)]


def test_publish_records_history_and_mails_the_submitter(
    correction, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.transition(obj=correction, to_status=S.PUBLISHED, actor=moderator)
    correction.refresh_from_db()
    assert correction.moderation_status == S.PUBLISHED and correction.published_at
    row = ModerationTransition.objects.filter(to_status=S.PUBLISHED).get()
    assert row.actor == moderator and row.from_status == S.SUBMITTED
    assert mail.outbox[-1].to == ["auteur@example.org"]
    assert "publiée" in mail.outbox[-1].subject
    assert "/associations/" in mail.outbox[-1].body


@pytest.mark.parametrize("decision", [S.REJECTED, S.CHANGES_REQUESTED])
def test_reason_required_for_reject_and_changes(correction, moderator, decision):
    with pytest.raises(moderation.ModerationError) as error:
        moderation.transition(obj=correction, to_status=decision, actor=moderator, reason="  ")
    assert "motif" in error.value.message
    correction.refresh_from_db()
    assert correction.moderation_status == S.SUBMITTED
    assert len(statuses(correction)) == 1


def test_reject_with_reason_mails_the_reason(
    correction, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.transition(
            obj=correction, to_status=S.REJECTED, actor=moderator, reason="Information déjà à jour."
        )
    correction.refresh_from_db()
    assert correction.moderation_reason == "Information déjà à jour."
    assert "Information déjà à jour." in mail.outbox[-1].body


def test_changes_requested_then_author_resubmits(correction, moderator, author):
    moderation.transition(
        obj=correction, to_status=S.CHANGES_REQUESTED, actor=moderator, reason="Précisez la date."
    )
    moderation.submit(obj=correction, by=author)
    moderation.transition(obj=correction, to_status=S.PUBLISHED, actor=moderator)
    moderation.transition(obj=correction, to_status=S.SUBMITTED, actor=author)  # author edits
    moderation.transition(obj=correction, to_status=S.WITHDRAWN, actor=author)
    assert statuses(correction) == [
        ("", S.SUBMITTED),
        (S.SUBMITTED, S.CHANGES_REQUESTED),
        (S.CHANGES_REQUESTED, S.SUBMITTED),
        (S.SUBMITTED, S.PUBLISHED),
        (S.PUBLISHED, S.SUBMITTED),
        (S.SUBMITTED, S.WITHDRAWN),
    ]


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], S.SUBMITTED),  # already submitted
        ([S.PUBLISHED], S.REJECTED),
        ([S.PUBLISHED], S.CHANGES_REQUESTED),
        ([S.WITHDRAWN], S.SUBMITTED),
        ([S.WITHDRAWN], S.WITHDRAWN),
    ],
)
def test_refuses_transitions_outside_the_machine(correction, moderator, path, refused):
    for status in path:
        moderation.transition(obj=correction, to_status=status, actor=moderator, reason="motif")
    with pytest.raises(moderation.ModerationError):
        moderation.transition(obj=correction, to_status=refused, actor=moderator, reason="motif")


def test_author_cannot_publish_and_stranger_cannot_withdraw(correction, author):
    with pytest.raises(moderation.ModerationError):
        moderation.transition(obj=correction, to_status=S.PUBLISHED, actor=author)
    with pytest.raises(moderation.ModerationError):
        moderation.transition(obj=correction, to_status=S.WITHDRAWN, actor=UserFactory())
    correction.refresh_from_db()
    assert correction.moderation_status == S.SUBMITTED


def test_queue_refuses_stranger_and_simple_member(client, correction, organisation):
    url = reverse("core:moderation_queue")
    assert client.get(url).status_code == 302
    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)
    assert client.get(url).status_code == 403
    decide = reverse("core:moderation_decide", args=["core.organisationcorrection", correction.pk])
    key = f"core.organisationcorrection-{correction.pk}"
    assert client.post(decide, {f"{key}-decision": "published"}).status_code == 403
    correction.refresh_from_db()
    assert correction.moderation_status == S.SUBMITTED


def test_queue_lists_pending_items_oldest_first_with_counts(
    client, organisation, author, moderator
):
    first = services.report_correction(
        organisation=organisation, user=author, message="Première erreur ici."
    )
    second = services.report_correction(
        organisation=organisation, user=author, message="Seconde erreur là."
    )
    client.force_login(moderator)
    page = client.get(reverse("core:moderation_queue")).content.decode()
    assert page.index("Première erreur") < page.index("Seconde erreur")
    assert "2 contributions en attente" in page
    assert "Correction d&#x27;une organisation" in page or "Correction d'une organisation" in page
    assert first.pk != second.pk


def test_moderator_decides_from_the_queue(
    client, correction, moderator, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    decide = reverse("core:moderation_decide", args=["core.organisationcorrection", correction.pk])
    key = f"core.organisationcorrection-{correction.pk}"
    response = client.post(decide, {f"{key}-decision": "rejected", f"{key}-reason": ""})
    assert response.status_code == 400
    assert "Indiquez un motif" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide, {f"{key}-decision": "rejected", f"{key}-reason": "Doublon."})
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.moderation_status == S.REJECTED
    assert mail.outbox[-1].to == ["auteur@example.org"]
    page = client.get(reverse("core:moderation_queue")).content.decode()
    assert "Rien à modérer" in page
    # Deciding again on a rejected item is refused with a clear message, not a 500.
    response = client.post(decide, {f"{key}-decision": "published"})
    assert response.status_code == 400 and "Impossible de passer" in response.content.decode()
    assert client.post(reverse("core:moderation_decide", args=["x.y", 1])).status_code == 404


def test_staff_page_lists_moderation(client, db):
    client.force_login(StaffFactory())
    assert reverse("core:moderation_queue") in client.get(reverse("core:staff")).content.decode()


def test_correction_form_requires_sign_in_and_enters_queue(client, organisation):
    url = reverse("core:organisation_correction", args=[organisation.slug])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    page = client.post(url, {"message": "court"}).content.decode()
    assert "une phrase au moins" in page
    assert client.post(url, {"message": "Le site web a changé d'adresse."}).status_code == 302
    assert OrganisationCorrection.objects.get().moderation_status == S.SUBMITTED
    page = client.post(url, {"message": "x" * 2001}).content.decode()
    assert "2000" in page or "2 000" in page
