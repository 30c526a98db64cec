"""'Signaler une erreur' is a service: the report lands in the moderation queue with its author."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ressourcerie.core.models import ModerationStatus
from ressourcerie.directory import services
from ressourcerie.directory.models import PlaceReport
from tests.factories import StaffFactory, UserFactory

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_persons_report_is_submitted_in_their_name():
    place, user = PlaceFactory(), UserFactory()
    report = services.report_place_error(place=place, message="Fermé le lundi", by=user)
    report = PlaceReport.objects.get(pk=report.pk)
    assert (report.place, report.message, report.submitted_by) == (place, "Fermé le lundi", user)
    assert report.moderation_status == ModerationStatus.SUBMITTED


def test_an_anonymous_report_keeps_only_the_address_given():
    report = services.report_place_error(
        place=PlaceFactory(), message="Adresse fausse", email="a@example.org", by=AnonymousUser()
    )
    report.refresh_from_db()
    assert report.submitted_by is None and report.email == "a@example.org"


def test_marking_a_stale_place_checked_refuses_a_number_that_is_not_one(client):
    client.force_login(StaffFactory())
    assert client.post("/acteurs/gestion/a-verifier/", {"place": "abc"}).status_code == 404
    assert client.post("/acteurs/gestion/a-verifier/", {"place": "999999"}).status_code == 404
