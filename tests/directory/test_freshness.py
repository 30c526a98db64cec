"""Keeping listings fresh: claims, re-moderated edits, reminders, confirmation, stale flags."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core import moderation
from ressourcerie.core.models import ModerationStatus, Organisation, OrganisationKind
from ressourcerie.directory import selectors, services
from ressourcerie.directory.models import Place, PlaceClaim, PlaceEdit
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db


def _code_from_mail(message) -> str:
    return re.search(r"^\s+(\d{6})$", message.body, re.M).group(1)


def _claimed_place(**kwargs):
    """A place claimed by a support structure whose editor is returned too."""
    structure = OrganisationFactory(kind=OrganisationKind.SUPPORT_STRUCTURE, name="Cyber Base")
    editor = UserFactory(email="editrice@example.org")
    MembershipFactory(user=editor, organisation=structure, role=Role.EDITOR)
    place = PlaceFactory(organisation=structure, **kwargs)
    return place, editor


# --- Claims ---------------------------------------------------------------------------------


def test_claim_by_code_links_place_to_a_new_support_structure_and_makes_an_editor(
    client, django_capture_on_commit_callbacks
):
    place = PlaceFactory(name="Espace Public Numérique", emails=["contact@epn.fr"])
    user = UserFactory()
    client.force_login(user)
    page = client.get(f"/acteurs/{place.slug}/gerer/").content.decode()
    assert "contact@epn.fr" in page  # public already, on the place page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/acteurs/{place.slug}/gerer/",
            {"action": "code", "code-email": "contact@epn.fr", "code-structure": ""},
        )
    assert response.status_code == 302 and response.url.endswith("/gerer/code/")
    assert mail.outbox[-1].to == ["contact@epn.fr"]
    code = _code_from_mail(mail.outbox[-1])

    response = client.post(f"/acteurs/{place.slug}/gerer/code/", {"code": code})
    assert response.status_code == 302 and response.url.endswith("/modifier/")
    place.refresh_from_db()
    structure = place.organisation
    assert structure.kind == OrganisationKind.SUPPORT_STRUCTURE
    assert structure.name == "Espace Public Numérique"
    assert Membership.objects.filter(user=user, organisation=structure, role=Role.EDITOR).exists()
    assert PlaceClaim.objects.get().status == PlaceClaim.Status.APPROVED


def test_claim_code_uses_the_structure_the_claimer_already_edits(client):
    structure = OrganisationFactory(kind=OrganisationKind.SUPPORT_STRUCTURE, name="Réseau")
    user = UserFactory()
    MembershipFactory(user=user, organisation=structure, role=Role.EDITOR)
    place = PlaceFactory(emails=["lieu@example.org"])
    claim = services.start_code_claim(
        place=place, user=user, email="lieu@example.org", organisation=structure
    )
    # A known code (the real one is in an e-mail sent after commit).
    claim.code_hash = services._claim_code_hash(claim.pk, "123456")
    claim.save()
    assert services.verify_claim_code(claim=claim, code="123456")
    place.refresh_from_db()
    assert place.organisation == structure
    assert Organisation.objects.filter(kind=OrganisationKind.SUPPORT_STRUCTURE).count() == 1


def test_wrong_code_five_times_locks_the_claim(client):
    place = PlaceFactory(emails=["lieu@example.org"])
    user = UserFactory()
    claim = services.start_code_claim(place=place, user=user, email="lieu@example.org")
    claim.code_hash = services._claim_code_hash(claim.pk, "123456")
    claim.save()
    client.force_login(user)
    for _ in range(5):
        response = client.post(f"/acteurs/{place.slug}/gerer/code/", {"code": "000000"})
    assert "Trop d&#x27;essais" in response.content.decode()
    assert not services.verify_claim_code(claim=claim, code="123456")
    place.refresh_from_db()
    assert place.organisation is None


def test_expired_code_is_refused():
    place = PlaceFactory(emails=["lieu@example.org"])
    claim = services.start_code_claim(place=place, user=UserFactory(), email="lieu@example.org")
    claim.code_hash = services._claim_code_hash(claim.pk, "123456")
    claim.code_expires_at = timezone.now() - timedelta(minutes=1)
    claim.save()
    assert not services.verify_claim_code(claim=claim, code="123456")


def test_code_only_goes_to_an_address_the_listing_publishes(client):
    place = PlaceFactory(emails=["lieu@example.org"])
    client.force_login(UserFactory())
    response = client.post(
        f"/acteurs/{place.slug}/gerer/", {"action": "code", "code-email": "pirate@evil.test"}
    )
    assert response.status_code == 400
    assert not PlaceClaim.objects.exists()


def test_place_without_email_can_only_be_claimed_through_the_team(
    client, django_capture_on_commit_callbacks
):
    place = PlaceFactory(emails=[])
    user = UserFactory()
    client.force_login(user)
    page = client.get(f"/acteurs/{place.slug}/gerer/").content.decode()
    assert "Recevoir le code" not in page and "ne publie pas d'adresse" in page
    response = client.post(
        f"/acteurs/{place.slug}/gerer/", {"action": "code", "code-email": "x@example.org"}
    )
    assert not PlaceClaim.objects.exists()
    response = client.post(
        f"/acteurs/{place.slug}/gerer/",
        {"action": "staff", "staff-message": "Je suis la coordinatrice, appelez le 05 45…"},
    )
    assert response.status_code == 302
    claim = PlaceClaim.objects.get()
    assert claim.method == PlaceClaim.Method.STAFF and claim.status == PlaceClaim.Status.PENDING

    staff = StaffFactory()
    client.force_login(staff)
    assert "coordinatrice" in client.get("/acteurs/gestion/demandes/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/acteurs/gestion/demandes/{claim.pk}/", {f"claim-{claim.pk}-decision": "approve"}
        )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.organisation.kind == OrganisationKind.SUPPORT_STRUCTURE
    assert Membership.objects.filter(user=user, role=Role.EDITOR).exists()
    assert mail.outbox[-1].to == [user.email] and "/modifier/" in mail.outbox[-1].body


def test_team_refusal_needs_a_reason_and_is_mailed(client, django_capture_on_commit_callbacks):
    place = PlaceFactory()
    user = UserFactory()
    claim = services.request_staff_claim(place=place, user=user, message="C'est moi")
    client.force_login(StaffFactory())
    response = client.post(
        f"/acteurs/gestion/demandes/{claim.pk}/", {f"claim-{claim.pk}-decision": "reject"}
    )
    assert response.status_code == 400 and "Indiquez un motif" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/acteurs/gestion/demandes/{claim.pk}/",
            {f"claim-{claim.pk}-decision": "reject", f"claim-{claim.pk}-reason": "Inconnu"},
        )
    claim.refresh_from_db()
    assert claim.status == PlaceClaim.Status.REJECTED
    assert "Inconnu" in mail.outbox[-1].body


def test_claiming_a_managed_place_joins_its_structure(client):
    place, _editor = _claimed_place(emails=["lieu@example.org"])
    newcomer = UserFactory()
    claim = services.request_staff_claim(place=place, user=newcomer, message="Nouvelle salariée")
    services.transition_claim(claim=claim, to_status=PlaceClaim.Status.APPROVED, by=StaffFactory())
    assert Membership.objects.filter(
        user=newcomer, organisation=place.organisation, role=Role.EDITOR
    ).exists()
    assert Organisation.objects.count() == 1


def test_strangers_cannot_decide_claims_or_see_the_staff_pages(client):
    place = PlaceFactory()
    claim = services.request_staff_claim(place=place, user=UserFactory(), message="moi")
    client.force_login(UserFactory())
    assert client.get("/acteurs/gestion/demandes/").status_code == 403
    assert client.get("/acteurs/gestion/a-verifier/").status_code == 403
    response = client.post(
        f"/acteurs/gestion/demandes/{claim.pk}/", {f"claim-{claim.pk}-decision": "approve"}
    )
    assert response.status_code == 403
    assert client.get(f"/acteurs/{place.slug}/gerer/").status_code == 200
    client.logout()
    assert client.get(f"/acteurs/{place.slug}/gerer/").status_code == 302  # sign in first


# --- Edits ----------------------------------------------------------------------------------


def _edit_payload(place, **overrides):
    data = {
        "name": place.name,
        "summary": place.summary,
        "description": place.description,
        "address": place.address,
        "address_complement": place.address_complement,
        "phone": place.phone,
        "emails": "\n".join(place.emails),
        "websites": "\n".join(place.websites),
        "booking_url": "",
        "opening_hours": place.opening_hours,
        "guidasso_level": "",
        "accessibility_url": "",
        "kinds": ["mediation"],
        "services": ["outils_quotidien"],
        "fees": ["gratuit"],
    }
    data.update(overrides)
    return data


def test_editor_edit_waits_for_moderation_then_is_applied_on_publish(client):
    place, editor = _claimed_place(opening_hours="")
    client.force_login(editor)
    response = client.post(
        f"/acteurs/{place.slug}/modifier/",
        _edit_payload(
            place,
            opening_hours="Mo-Fr 09:00-12:00; Sa 10:00-12:00",
            phone="05 45 00 00 00",
            association_support=["rgpd", "site_web"],
        ),
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.opening_hours == ""  # not yet: re-moderated
    edit = PlaceEdit.objects.get()
    assert edit.moderation_status == ModerationStatus.SUBMITTED
    assert set(edit.changes) == {"opening_hours", "phone", "association_support"}
    assert edit.changes["phone"] == "+33545000000"

    staff = StaffFactory()
    client.force_login(staff)
    queue = client.get("/gestion/moderation/").content.decode()
    assert "Modification d&#x27;une fiche de lieu" in queue
    review = client.get(f"/acteurs/gestion/modifications/{edit.pk}/").content.decode()
    assert "Mo-Fr 09:00-12:00; Sa 10:00-12:00" in review
    client.post(
        f"/gestion/moderation/directory.placeedit/{edit.pk}/",
        {f"directory.placeedit-{edit.pk}-decision": "published"},
    )
    place.refresh_from_db()
    assert place.opening_hours == "Mo-Fr 09:00-12:00; Sa 10:00-12:00"
    assert place.phone == "+33545000000"
    assert set(place.association_support.strip(",").split(",")) == {"rgpd", "site_web"}
    assert place.confirmed_at is not None


def test_rejected_edit_changes_nothing():
    place, editor = _claimed_place(name="Avant")
    edit = services.propose_place_edit(place=place, user=editor, data={"name": "Après"})
    moderation.transition(
        obj=edit, to_status=ModerationStatus.REJECTED, actor=StaffFactory(), reason="Non"
    )
    place.refresh_from_db()
    assert place.name == "Avant"


def test_unreadable_hours_get_a_french_error_and_keep_what_was_typed(client):
    place, editor = _claimed_place()
    client.force_login(editor)
    response = client.post(
        f"/acteurs/{place.slug}/modifier/",
        _edit_payload(place, opening_hours="lundi 9h-12h", summary="Mon résumé"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ces horaires ne sont pas lisibles" in html
    assert "lundi 9h-12h" in html and "Mon résumé" in html
    assert not PlaceEdit.objects.exists()


def test_nothing_changed_says_so(client):
    place, editor = _claimed_place()
    client.force_login(editor)
    response = client.post(f"/acteurs/{place.slug}/modifier/", _edit_payload(place))
    assert "Vous n&#x27;avez rien modifié" in response.content.decode()


def test_staff_edit_is_published_at_once(client):
    place = PlaceFactory(name="Ancien nom")
    client.force_login(StaffFactory())
    client.post(f"/acteurs/{place.slug}/modifier/", _edit_payload(place, name="Nouveau nom"))
    place.refresh_from_db()
    assert place.name == "Nouveau nom"


def test_codes_the_form_does_not_offer_are_kept():
    place, editor = _claimed_place(services=",outils_quotidien,code_inconnu,")
    from ressourcerie.directory.forms import PlaceEditForm

    form = PlaceEditForm(
        _edit_payload(place, services=["outils_quotidien", "parentalite"]), place=place
    )
    assert form.is_valid(), form.errors
    assert form.changes()["services"] == ",outils_quotidien,parentalite,code_inconnu,"


def test_strangers_cannot_edit(client):
    place, _editor = _claimed_place()
    client.force_login(UserFactory())
    assert client.get(f"/acteurs/{place.slug}/modifier/").status_code == 403
    assert client.post(f"/acteurs/{place.slug}/a-jour/").status_code == 403
    assert client.get("/acteurs/gestion/modifications/1/").status_code == 403


# --- Reminders and confirmation ---------------------------------------------------------------


def _old(place, days):
    Place.objects.filter(pk=place.pk).update(
        created_at=timezone.now() - timedelta(days=days), source_updated_on=None
    )


def test_reminders_go_to_the_editor_if_claimed_else_the_listing_and_only_once(
    django_capture_on_commit_callbacks,
):
    claimed, editor = _claimed_place(emails=["public@lieu.fr"])
    unclaimed = PlaceFactory(emails=["accueil@mairie.fr"])
    no_address = PlaceFactory(emails=[])
    fresh = PlaceFactory(emails=["frais@lieu.fr"])
    for place in (claimed, unclaimed, no_address):
        _old(place, 200)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.send_place_reminders()
    assert (report.due, report.sent, report.without_address) == (3, 2, 1)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["accueil@mairie.fr", editor.email]
    assert "frais@lieu.fr" not in recipients
    assert "/acteurs/confirmer/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        again = services.send_place_reminders()
    assert again.due == 0 and len(mail.outbox) == 2
    fresh.refresh_from_db()
    assert fresh.reminder_sent_at is None


def test_reminder_command_dry_run_and_batch_size(django_capture_on_commit_callbacks, capsys):
    for i in range(3):
        _old(PlaceFactory(emails=[f"lieu{i}@example.org"]), 400)
    call_command("send_place_reminders", "--dry-run")
    assert "[essai à blanc] 3 fiche(s)" in capsys.readouterr().out
    assert not Place.objects.filter(reminder_sent_at__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_place_reminders", "--batch-size", "2")
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_place_reminders", "--batch-size", "2")
    assert len(mail.outbox) == 3


def test_reminder_is_sent_again_six_months_after_the_last_one():
    place = PlaceFactory(emails=["lieu@example.org"])
    _old(place, 400)
    Place.objects.filter(pk=place.pk).update(reminder_sent_at=timezone.now() - timedelta(days=190))
    assert services.send_place_reminders().sent == 1


def test_confirm_link_get_changes_nothing_post_confirms(client):
    place = PlaceFactory()
    _old(place, 400)
    token = services.reminder_token(place)
    response = client.get(f"/acteurs/confirmer/{token}/")
    assert response.status_code == 200
    assert "Oui, elle est toujours à jour" in response.content.decode()
    place.refresh_from_db()
    assert place.confirmed_at is None  # a mail scanner's GET confirms nothing
    response = client.post(f"/acteurs/confirmer/{token}/")
    assert "est confirmée à jour" in response.content.decode()
    place.refresh_from_db()
    assert place.confirmed_at is not None
    assert not selectors.is_stale(place)


def test_confirm_link_expires_after_30_days_and_forged_links_fail(client, settings):
    place = PlaceFactory()
    token = services.reminder_token(place)
    assert client.get(f"/acteurs/confirmer/{token[:-2]}xx/").status_code == 400
    from unittest import mock

    later = timezone.now().timestamp() + 31 * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(f"/acteurs/confirmer/{token}/")
    assert response.status_code == 400 and "expiré" in response.content.decode()
    place.refresh_from_db()
    assert place.confirmed_at is None


def test_stale_rule_is_the_same_for_visitors_and_staff(client):
    old = PlaceFactory(name="Vieille fiche")
    _old(old, 400)
    by_source = PlaceFactory(name="Source ancienne")
    Place.objects.filter(pk=by_source.pk).update(source_updated_on=date(2021, 1, 1))
    confirmed = PlaceFactory(name="Confirmée")
    _old(confirmed, 400)
    Place.objects.filter(pk=confirmed.pk).update(confirmed_at=timezone.now())
    recent = PlaceFactory(name="Récente")

    assert {p.name for p in selectors.stale_places()} == {"Vieille fiche", "Source ancienne"}
    for place in (old, by_source, confirmed, recent):
        place.refresh_from_db()
        html = client.get(place.get_absolute_url()).content.decode()
        warned = "pas été confirmée depuis plus d'un an" in html
        assert warned == selectors.is_stale(place), place.name
        assert warned == (place.name in {"Vieille fiche", "Source ancienne"})

    client.force_login(StaffFactory())
    page = client.get("/acteurs/gestion/a-verifier/").content.decode()
    assert "Vieille fiche" in page and "Récente" not in page
    client.post("/acteurs/gestion/a-verifier/", {"place": old.pk})
    old.refresh_from_db()
    assert not selectors.is_stale(old)


def test_editor_confirms_from_the_place_page(client):
    place, editor = _claimed_place()
    _old(place, 400)
    client.force_login(editor)
    html = client.get(place.get_absolute_url()).content.decode()
    assert "Modifier la fiche" in html and "Prenez la main" not in html
    client.post(f"/acteurs/{place.slug}/a-jour/")
    place.refresh_from_db()
    assert place.confirmed_at is not None
