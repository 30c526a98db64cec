"""Reads of the newsletter, for views, staff pages and other apps."""

from django.apps import apps
from django.db.models import Count, Q

from .models import (
    Delivery,
    DeliveryStatus,
    Edition,
    EditionStatus,
    Subscriber,
    SubscriberStatus,
    Topic,
    topic_filter,
)

# The part that publishes what each topic is about: a topic is offered to subscribers only
# when its part is installed (no "Événements" checkbox on an instance without an agenda).
TOPIC_PARTS = {
    Topic.TOOLS: "ressourcerie.toolbox",
    Topic.EVENTS: "ressourcerie.agenda",
    Topic.FUND_CALLS: "ressourcerie.fund",
    Topic.DONATIONS: "ressourcerie.donations",
    Topic.TESTIMONIALS: "ressourcerie.testimonials",
}


def offered_topics() -> list[tuple[str, str]]:
    """The (code, label) choices of the topics whose part exists on this instance."""
    return [(code, label) for code, label in Topic.choices if apps.is_installed(TOPIC_PARTS[code])]


def confirmed_count() -> int:
    """How many addresses an edition started now would be sent to."""
    return confirmed_subscribers().count()


def sent_editions():
    return Edition.objects.filter(status=EditionStatus.SENT).order_by("-sent_at")


def subscriber_for_user(user):
    if not user.is_authenticated:
        return None
    return Subscriber.objects.filter(email__iexact=user.email).first()


def confirmed_subscribers():
    return Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED)


def counts() -> dict:
    """Aggregate figures only: by status, by topic and by department (confirmed ones)."""
    confirmed = confirmed_subscribers()
    by_status = dict(
        Subscriber.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    by_topic = confirmed.aggregate(
        **{code.replace("-", "_"): Count("id", filter=topic_filter(code)) for code in Topic.values}
    )
    return {
        "by_status": [
            (label, by_status.get(value, 0)) for value, label in SubscriberStatus.choices
        ],
        "by_topic": [(label, by_topic[value.replace("-", "_")]) for value, label in Topic.choices],
        "by_department": list(
            confirmed.values("department__code", "department__name")
            .annotate(n=Count("id"))
            .order_by("department__code")
        ),
    }


def delivery_progress(edition) -> dict:
    row = Delivery.objects.filter(edition=edition).aggregate(
        total=Count("id"),
        sent=Count("id", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("id", filter=Q(status=DeliveryStatus.FAILED)),
        waiting=Count("id", filter=Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.CLAIMED])),
    )
    return row


def subscribers_for_export():
    return Subscriber.objects.select_related("department").order_by("id")
