"""F11 and F10 for testimonials: new testimonials and edits feed the moderation queue, and
images are decoded on upload; both are limited per account and per client, the team exempt."""

import pytest

from ressourcerie.testimonials.models import Testimonial, TestimonialImage
from tests.factories import MembershipFactory, UserFactory

from .factories import StoryFactory, image_file
from .test_submission import _form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(ratelimit_clock):
    return ratelimit_clock


def test_new_testimonials_are_limited_per_account(client, member, association):
    client.force_login(member)
    answers = [
        client.post("/temoignages/raconter/", _form(association, title=f"Récit {n}"))
        for n in range(6)
    ]
    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert Testimonial.objects.count() == 5
    html = answers[-1].content.decode()
    assert "Réessayez dans 30 minutes." in html
    assert "Récit 5" in html  # the form keeps what was typed


def test_new_testimonials_are_limited_per_client(client, association):
    answers = []
    for n in range(21):
        user = UserFactory()
        MembershipFactory(user=user, organisation=association)
        client.force_login(user)
        response = client.post("/temoignages/raconter/", _form(association, title=f"Récit {n}"))
        answers.append(response.status_code)
    assert answers == [302] * 20 + [429]


def test_edits_are_limited_per_account(client, member, association):
    testimonial = StoryFactory(organisation=association, submitted_by=member)
    client.force_login(member)
    data = _form(association)
    del data["organisation"]
    answers = [
        client.post(f"{testimonial.get_absolute_url()}modifier/", {**data, "title": f"T{n}"})
        for n in range(11)
    ]
    assert [a.status_code for a in answers] == [302] * 10 + [429]
    testimonial.refresh_from_db()
    assert testimonial.title == "T9"


def test_image_uploads_are_limited_per_account_before_decoding(
    client, member, association, monkeypatch
):
    draft = StoryFactory(
        organisation=association, submitted_by=member, moderation_status="submitted"
    )
    client.force_login(member)
    url = f"/temoignages/{draft.pk}/images/"
    answers = [
        client.post(url, {"image": image_file("x.png", "PNG", (40, 30)), "alt": "Une photo"})
        for _ in range(20)
    ]
    assert [a.status_code for a in answers] == [302] * 20
    decoded = []
    monkeypatch.setattr(
        "ressourcerie.core.images.validate_image", lambda *a, **k: decoded.append(1)
    )
    monkeypatch.setattr(
        "ressourcerie.testimonials.forms.validate_image", lambda *a, **k: decoded.append(1)
    )
    refused = client.post(url, {"image": image_file("x.png", "PNG", (40, 30)), "alt": "Encore"})
    assert refused.status_code == 429
    assert decoded == []
    assert "Réessayez dans 30 minutes." in refused.content.decode()
    assert "Encore" in refused.content.decode()
    assert TestimonialImage.objects.count() == 20
