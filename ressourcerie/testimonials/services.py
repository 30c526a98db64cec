"""Writes of testimonials: every change goes through here, and statuses through moderation."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core import moderation, search
from ressourcerie.core.errors import DomainError
from ressourcerie.core.images import reencode_variants
from ressourcerie.core.models import ModerationStatus
from ressourcerie.core.services import queue_email

from . import permissions
from .models import ContactMessage, Testimonial, TestimonialImage, TestimonialTool, ToolRole

S = ModerationStatus


class TestimonialError(DomainError):
    """A refused testimonial action (moderation moves raise core.moderation's error)."""


# Largest side in pixels: the full image on the testimonial's page, the thumbnail in lists.
IMAGE_SIZES = {"full": 1600, "thumbnail": 720}

STORY_FIELDS = [
    "display_mode",
    "consent_names",
    "sector",
    "members_band",
    "department",
    "title",
    "problem",
    "actions",
    "results",
    "difficulties",
    "advice",
    "cost_note",
    "cost_amount",
    "time_spent",
    "video_url",
    "contact_opt_in",
]


def _set_links(testimonial, *, tools_before, tools_after, actors) -> None:
    TestimonialTool.objects.filter(testimonial=testimonial).delete()
    TestimonialTool.objects.bulk_create(
        [
            TestimonialTool(testimonial=testimonial, tool=t, role=ToolRole.BEFORE)
            for t in tools_before
        ]
        + [
            TestimonialTool(testimonial=testimonial, tool=t, role=ToolRole.AFTER)
            for t in tools_after
        ]
    )
    testimonial.actors.set(actors)


@transaction.atomic
def submit_testimonial(
    *, user, organisation, data: dict, tools_before=(), tools_after=(), actors=()
) -> Testimonial:
    """A member tells their association's story; it waits for the moderation team."""
    if not permissions.can_submit_for(user, organisation):
        raise TestimonialError(
            _("Seuls les membres d'une association peuvent raconter son expérience."),
            field="organisation",
        )
    testimonial = Testimonial(organisation=organisation)
    for name in STORY_FIELDS:
        if name in data:
            setattr(testimonial, name, data[name])
    moderation.submit(obj=testimonial, by=user)
    _set_links(testimonial, tools_before=tools_before, tools_after=tools_after, actors=actors)
    return testimonial


@transaction.atomic
def update_testimonial(
    *, testimonial, user, data: dict, tools_before=(), tools_after=(), actors=()
) -> Testimonial:
    """The author's changes; a published (or sent back) testimonial goes back to the queue."""
    for name in STORY_FIELDS:
        if name in data:
            setattr(testimonial, name, data[name])
    testimonial.save()
    _set_links(testimonial, tools_before=tools_before, tools_after=tools_after, actors=actors)
    _resubmit_if_needed(testimonial, user)
    return testimonial


def _resubmit_if_needed(testimonial, user) -> None:
    if testimonial.moderation_status in (S.PUBLISHED, S.CHANGES_REQUESTED):
        moderation.submit(obj=testimonial, by=user)
    else:
        search.index_object(testimonial)


@transaction.atomic
def withdraw_testimonial(*, testimonial, user) -> Testimonial:
    """Withdrawn everywhere at once: list, tool pages, search (via the index), API, exports;
    its images are deleted too (their files could otherwise still be reached by address)."""
    # Its images go in the on_withdrawn hook (apps.py), whichever page withdraws it.
    return moderation.transition(obj=testimonial, to_status=S.WITHDRAWN, actor=user)


def delete_images_of_withdrawn(*, obj, actor=None) -> None:
    """on_withdrawn hook: a withdrawn testimonial keeps no image (files reachable by address)."""
    for image in obj.images.all():
        remove_image(image=image)


@transaction.atomic
def add_image(*, testimonial, user, upload, alt: str) -> TestimonialImage:
    """Re-encode and attach an image; on a published testimonial it is moderated again."""
    variants = reencode_variants(upload, IMAGE_SIZES)
    full, thumbnail = variants["full"], variants["thumbnail"]
    position = (testimonial.images.aggregate(m=Max("position"))["m"] or 0) + 1
    image = TestimonialImage(testimonial=testimonial, alt=alt.strip(), position=position)
    image.image.save(full.name, full, save=False)
    image.thumbnail.save(thumbnail.name, thumbnail, save=False)
    image.save()
    _resubmit_if_needed(testimonial, user)
    return image


@transaction.atomic
def remove_image(*, image) -> None:
    image.delete()  # the files follow (models.delete_image_files, after commit)


@transaction.atomic
def send_contact_message(*, testimonial, sender, message: str) -> ContactMessage:
    """Store the message and e-mail it to the association's members (Reply-To: the sender)."""
    contact = ContactMessage.objects.create(
        testimonial=testimonial, sender=sender, sender_email=sender.email, message=message
    )
    queue_email(purpose="testimonials.contact", ids={"message": contact.pk})
    return contact


def purge_contact_messages(*, days: int = 365) -> int:
    """Relay messages are kept 12 months, then deleted."""
    deleted, _ = ContactMessage.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return deleted


def erase_person(*, user) -> None:
    """Erasure of an account. Relay messages are the person's own words: deleted.
    Unpublished testimonials have no other reader: deleted. Published ones are the
    association's story and stay, detached from the person (Moderated.submitted_by is
    SET_NULL)."""
    ContactMessage.objects.filter(Q(sender=user) | Q(sender_email__iexact=user.email)).delete()
    for testimonial in Testimonial.objects.filter(submitted_by=user).exclude(
        moderation_status=ModerationStatus.PUBLISHED
    ):
        testimonial.delete()
