"""Starting a dossier from a call: eligibility answered first, the diagnostic copied (not
retyped), refusals in French with a way forward."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.fund.models import Application, ApplicationStatus
from tests.factories import CommuneFactory, DepartmentFactory, RegionFactory, UserFactory
from tests.fund.applying_setup import (  # noqa: F401
    _private_documents,
    applicant_world,
    complete_diagnostic,
    member_of,
    open_call,
    verified_association,
)

pytestmark = pytest.mark.django_db


def apply_url(call):
    return reverse("fund:apply", args=[call.slug])


def test_a_member_starts_a_draft_prefilled_from_the_diagnostic(client):
    call, association, member = applicant_world()
    client.force_login(member)
    page = client.get(apply_url(call))
    assert page.status_code == 200
    assert "Éligible" in page.content.decode()
    response = client.post(apply_url(call))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fund:application_edit", args=[application.reference])
    assert application.status == ApplicationStatus.DRAFT
    assert application.organisation == association and application.created_by == member
    snapshot = application.diagnostic_snapshot
    assert len(snapshot["axes"]) >= 4 and any(axis["priority"] for axis in snapshot["axes"])
    assert snapshot["actions"], "the plan's actions are copied"
    edit = client.get(response["Location"]).content.decode()
    # Shown, not retyped: the scores and the plan's actions are on the page.
    assert snapshot["axes"][0]["name"] in edit
    assert snapshot["actions"][0]["title"] in edit
    assert "prioritaire" in edit


def test_an_association_from_another_department_is_told_why(client):
    call, _association, _member = applicant_world()
    elsewhere = CommuneFactory(
        insee="18033",
        name="Bourges",
        search_name="bourges",
        department=DepartmentFactory(
            code="18", name="Cher", region=RegionFactory(code="24", name="Centre-Val de Loire")
        ),
    )
    other = verified_association(name="Cher Numérique", slug="cher-numerique", commune=elsewhere)
    member = member_of(other, "cher@asso.example")
    complete_diagnostic(other, member)
    client.force_login(member)
    page = client.get(apply_url(call)).content.decode()
    assert "Cher (18)" in page and "Loire-Atlantique" in page
    response = client.post(apply_url(call))
    assert response.status_code == 400
    assert "cet appel concerne" in response.content.decode()
    assert not Application.objects.exists()


def test_without_a_diagnostic_the_page_links_to_it(client):
    call, _association, member = applicant_world(diagnostic=False)
    client.force_login(member)
    page = client.get(apply_url(call)).content.decode()
    assert reverse("diagnostic:intro") in page
    response = client.post(apply_url(call))
    assert response.status_code == 400
    assert "moins de 12 mois" in response.content.decode()
    assert reverse("diagnostic:intro") in response.content.decode()
    assert not Application.objects.exists()


def test_a_diagnostic_older_than_twelve_months_asks_to_retake_it(client):
    call, association, member = applicant_world(diagnostic=False)
    complete_diagnostic(association, member, completed_at=timezone.now() - timedelta(days=400))
    client.force_login(member)
    response = client.post(apply_url(call))
    assert response.status_code == 400
    assert "moins de 12 mois" in response.content.decode()
    assert not Application.objects.exists()


def test_applying_twice_links_to_the_existing_dossier(client):
    call, _association, member = applicant_world()
    client.force_login(member)
    client.post(apply_url(call))
    application = Application.objects.get()
    response = client.post(apply_url(call))
    assert response.status_code == 400
    assert application.get_absolute_url() in response.content.decode()
    assert Application.objects.count() == 1


def test_a_member_of_two_associations_chooses_and_cannot_tamper(client):
    call, association, member = applicant_world()
    second = verified_association(name="Second Souffle", slug="second-souffle")
    member_of_second = member  # the same person, member of both
    Membership.objects.create(user=member_of_second, organisation=second, role=Role.MEMBER)
    complete_diagnostic(second, member)
    stranger = verified_association(name="Pas la mienne", slug="pas-la-mienne")
    client.force_login(member)
    page = client.get(apply_url(call)).content.decode()
    assert "Au nom de quelle association" in page
    tampered = client.post(apply_url(call), {"organisation": stranger.pk})
    assert tampered.status_code == 400
    assert "dont vous êtes membre" in tampered.content.decode()
    assert not Application.objects.exists()
    client.post(apply_url(call), {"organisation": second.pk})
    assert Application.objects.get().organisation == second


def test_a_signed_in_person_without_association_is_told_how(client):
    call = open_call()
    client.force_login(UserFactory())
    page = client.get(apply_url(call))
    assert page.status_code == 200
    assert reverse("core:organisation_create") in page.content.decode()


def test_a_closed_call_takes_no_new_dossier(client):
    call, _association, member = applicant_world()
    call.status = "clos"
    call.save()
    client.force_login(member)
    response = client.post(apply_url(call))
    assert "pas ouvert" in response.content.decode()
    assert not Application.objects.exists()
