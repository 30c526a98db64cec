"""What the testimonials part holds about a person: the stories they wrote and the messages
they sent to associations through the relay."""

from django.db.models import Q

from ressourcerie.accounts.personal_data import DELETED, KEPT, Held, declare

from . import services
from .models import ContactMessage, Testimonial

STORY_TEXTS = ["title", "problem", "actions", "results", "difficulties", "advice"]


def _messages(user):
    return ContactMessage.objects.filter(Q(sender=user) | Q(sender_email__iexact=user.email))


def export(user) -> dict:
    return {
        "temoignages_proposes": list(
            Testimonial.objects.filter(submitted_by=user).values(
                "id",
                "organisation__name",
                "display_mode",
                "moderation_status",
                "submitted_at",
                "published_at",
                *STORY_TEXTS,
            )
        ),
        "messages_envoyes_aux_associations": list(
            _messages(user).values("testimonial_id", "sender_email", "message", "created_at")
        ),
    }


def erase(user) -> None:
    services.erase_person(user=user)


def register() -> None:
    declare(
        "temoignages",
        export=export,
        erase=erase,
        fields=[
            Held("testimonials.ContactMessage", ["sender_email", "message"], DELETED),
            Held(
                "testimonials.Testimonial",
                STORY_TEXTS,
                KEPT,
                "a published story is the association's and stays (author nulled); "
                "unpublished ones are deleted",
            ),
        ],
    )
