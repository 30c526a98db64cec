"""Erasure keeps what an association needs: its device request goes on, with the
association's public address as contact instead of the person's."""

import pytest

from ressourcerie.accounts.services import delete_account
from ressourcerie.donations import services
from ressourcerie.donations.models import DeviceRequest
from tests.donations.factories import make_association_member, make_request
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_request_of_an_erased_member_is_followed_through_the_association_address(sent):
    association, member = make_association_member()
    association.public_email = "contact@amis-du-jardin.example"
    association.save()
    request_obj = make_request(association, member, validated=False)
    request_obj.contact_email = member.email
    request_obj.save()

    delete_account(user=member)

    request_obj = DeviceRequest.objects.get(pk=request_obj.pk)
    assert request_obj.contact_email == "contact@amis-du-jardin.example"
    assert request_obj.contact_phone == ""
    with sent() as outbox:
        services.transition_request(
            request_obj=request_obj, to_status="validee", actor=StaffFactory()
        )
    assert [m.to for m in outbox] == [["contact@amis-du-jardin.example"]]


def test_request_without_any_contact_left_changes_status_without_an_email(sent):
    association, member = make_association_member()
    request_obj = make_request(association, member, validated=False)

    delete_account(user=member)

    request_obj = DeviceRequest.objects.get(pk=request_obj.pk)
    assert (request_obj.contact_email, request_obj.contact_phone) == ("", "")
    with sent() as outbox:
        services.transition_request(
            request_obj=request_obj, to_status="validee", actor=StaffFactory()
        )
    assert DeviceRequest.objects.get(pk=request_obj.pk).status == "validee"
    assert outbox == []
