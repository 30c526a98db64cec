"""Staff closes a request with a reason; nobody else without rights can."""

import pytest
from django.core import mail

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.donations.models import DeviceRequest, RequestStatus, Transition
from tests.factories import StaffFactory, UserFactory

from .factories import make_association_member, make_refurbisher, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_obj():
    association, member = make_association_member()
    return make_request(association, member, validated=True)


def _close(client, request_obj, reason="Besoin couvert par la mairie"):
    return client.post(f"/dons/demandes/{request_obj.pk}/clore/", {"reason": reason})


def test_staff_sees_the_button_and_closes_with_a_reason(
    client, request_obj, django_capture_on_commit_callbacks
):
    client.force_login(StaffFactory())
    page = client.get(f"/dons/demandes/{request_obj.pk}/").content.decode()
    assert "Clore la demande" in page and "Motif de la clôture" in page
    assert f"/dons/demandes/{request_obj.pk}/" in client.get("/dons/gestion/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = _close(client, request_obj)
    assert response.status_code == 302
    assert DeviceRequest.objects.get(pk=request_obj.pk).status == RequestStatus.CLOSED
    transition = Transition.objects.get(object_id=request_obj.pk, to_status=RequestStatus.CLOSED)
    assert transition.reason == "Besoin couvert par la mairie"
    (notice,) = [m for m in mail.outbox if "contact-prive@asso.example" in m.to]
    assert "Besoin couvert par la mairie" in notice.body
    page = client.get(response["Location"]).content.decode()
    assert "La demande est close." in page
    assert "Motif de la clôture" not in page  # no button on a closed request


def test_closing_without_a_reason_is_refused_next_to_the_field(client, request_obj):
    client.force_login(StaffFactory())
    response = _close(client, request_obj, reason="   ")
    assert response.status_code == 400
    assert "Indiquez pourquoi la demande est close." in response.content.decode()
    assert DeviceRequest.objects.get(pk=request_obj.pk).status == RequestStatus.VALIDATED


def test_a_too_long_reason_is_refused_and_kept(client, request_obj):
    client.force_login(StaffFactory())
    typed = "Doublon de la demande 12. " * 30
    response = _close(client, request_obj, reason=typed)
    page = response.content.decode()
    assert response.status_code == 400
    assert "500 caractères au plus" in page
    assert "Doublon de la demande 12." in page
    assert DeviceRequest.objects.get(pk=request_obj.pk).status == RequestStatus.VALIDATED


@pytest.mark.parametrize("who", ["anonymous", "stranger", "refurbisher"])
def test_others_cannot_close_a_request(client, request_obj, who):
    if who == "stranger":
        client.force_login(UserFactory())
    elif who == "refurbisher":
        client.force_login(make_refurbisher()[1])  # may read a validated request, not close it
    if who == "refurbisher":
        page = client.get(f"/dons/demandes/{request_obj.pk}/").content.decode()
        assert "Motif de la clôture" not in page
    response = _close(client, request_obj)
    assert response.status_code in (302, 404)
    if who == "refurbisher":
        page = client.get(response["Location"]).content.decode()
        assert "Vous ne pouvez pas clore cette demande." in page
    else:
        assert response.status_code == 404
    assert DeviceRequest.objects.get(pk=request_obj.pk).status == RequestStatus.VALIDATED
    assert not Transition.objects.filter(to_status=RequestStatus.CLOSED).exists()


def test_a_closed_request_cannot_be_closed_again(client, request_obj):
    client.force_login(StaffFactory())
    _close(client, request_obj)
    count = Transition.objects.count()
    response = _close(client, request_obj, reason="Encore")
    assert (
        "Vous ne pouvez pas clore cette demande."
        in client.get(response["Location"]).content.decode()
    )
    assert Transition.objects.count() == count


def test_the_association_member_may_close_its_own_request(client):
    association, member = make_association_member()
    request_obj = make_request(association, member, validated=True)
    client.force_login(member)
    _close(client, request_obj, reason="Nous avons trouvé des ordinateurs")
    assert DeviceRequest.objects.get(pk=request_obj.pk).status == RequestStatus.CLOSED


def test_the_platform_team_is_core_can_moderate(client, request_obj):
    """A platform moderator (no staff account) validates and closes like staff; a member of
    no role is refused and a visitor is sent to sign in."""
    moderator = UserFactory()
    Membership.objects.create(user=moderator, organisation=None, role=Role.MODERATOR)
    client.force_login(moderator)
    assert client.get("/dons/gestion/").status_code == 200
    assert "Clore la demande" in client.get(f"/dons/demandes/{request_obj.pk}/").content.decode()
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get("/dons/gestion/").status_code == 403
    client.logout()
    response = client.get("/dons/gestion/")
    assert response.status_code == 302 and "/compte/" in response["Location"]
