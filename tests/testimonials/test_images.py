"""Images on a testimonial, as the person adding them sees it; the checks themselves are
unit-tested with core.images (tests/core/test_images.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ressourcerie.core.images import MAX_UPLOAD_BYTES

from .factories import StoryFactory, image_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(member, association):
    return StoryFactory(
        organisation=association, submitted_by=member, moderation_status="submitted"
    )


def _post(client, draft, upload, alt="Une photo de l'atelier"):
    return client.post(f"/temoignages/{draft.pk}/images/", {"image": upload, "alt": alt})


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_are_reencoded_as_small_webp(client, member, draft, fmt):
    client.force_login(member)
    assert _post(client, draft, image_file(f"x.{fmt.lower()}", fmt)).status_code == 302
    image = draft.images.get()
    assert image.image.name.endswith(".webp")
    assert (image.width, image.height) == (1600, 800)
    assert (image.thumbnail_width, image.thumbnail_height) == (720, 360)
    with Image.open(image.image.path) as stored:
        assert stored.format == "WEBP"


def test_text_file_named_jpg_is_refused_in_french(client, member, draft):
    client.force_login(member)
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = _post(client, draft, fake, alt="Texte gardé")
    assert "n'est pas une image JPEG, PNG ou WebP" in str(response.context["form"].errors.as_data())
    assert 'value="Texte gardé"' in response.content.decode()
    assert not draft.images.exists()


def test_gif_is_refused(client, member, draft):
    client.force_login(member)
    response = _post(client, draft, image_file("a.gif", "GIF", size=(10, 10)))
    assert "n'est pas une image" in str(response.context["form"].errors.as_data())


def test_oversized_file_is_refused_with_its_size(client, member, draft):
    client.force_login(member)
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (MAX_UPLOAD_BYTES + 10), "image/png")
    response = _post(client, draft, big)
    assert "L&#x27;image pèse 5,1 Mo : 5 Mo au maximum." in response.content.decode()


def test_image_without_alt_is_refused(client, member, draft):
    client.force_login(member)
    response = _post(client, draft, image_file(), alt="   ")
    assert "texte alternatif est obligatoire" in str(response.context["form"].errors.as_data())
    assert not draft.images.exists()


def test_adding_an_image_to_a_published_testimonial_sends_it_back_to_moderation(
    client, member, association
):
    published = StoryFactory(organisation=association, submitted_by=member)
    client.force_login(member)
    _post(client, published, image_file())
    published.refresh_from_db()
    assert published.moderation_status == "submitted"


def test_removing_an_image(client, member, draft):
    client.force_login(member)
    _post(client, draft, image_file())
    image = draft.images.get()
    response = client.post(f"/temoignages/{draft.pk}/images/{image.pk}/supprimer/")
    assert response.status_code == 302 and not draft.images.exists()


def test_image_page_shows_dimensions_and_lazy_loading(client, member, draft):
    client.force_login(member)
    _post(client, draft, image_file())
    page = client.get(f"/temoignages/{draft.pk}/").content.decode()
    assert 'width="720" height="360" loading="lazy"' in page


def test_withdrawal_deletes_the_image_files(
    client, member, association, django_capture_on_commit_callbacks
):
    from pathlib import Path

    from ressourcerie.testimonials import services

    story = StoryFactory(organisation=association, submitted_by=member)
    with django_capture_on_commit_callbacks(execute=True):
        image = services.add_image(testimonial=story, user=member, upload=image_file(), alt="Photo")
    paths = [Path(image.image.path), Path(image.thumbnail.path)]
    assert all(p.exists() for p in paths)
    story.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_testimonial(testimonial=story, user=member)
    assert not story.images.exists()
    assert not any(p.exists() for p in paths)
