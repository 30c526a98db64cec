"""The diagnostic plan's actions events serve (``EventPlanAction`` rows, one per event and
action key): written with the event, read by key through the (key, event) index — the
lists' and the API's filter, « Mon plan d'action » (``plan_links``) and the invitations."""

from django.db.models import Exists, OuterRef

from ressourcerie.diagnostic import selectors as diagnostic

from .models import EventPlanAction


def set_for_event(event, keys) -> None:
    """The event serves exactly these actions (the rows of those kept stay as they are)."""
    keys = list(dict.fromkeys(key for key in keys if key))
    event.served_actions.exclude(key__in=keys).delete()
    kept = set(event.served_actions.values_list("key", flat=True))
    EventPlanAction.objects.bulk_create(
        EventPlanAction(event=event, key=key) for key in keys if key not in kept
    )


def serves(key: str, *, prefix: str = "") -> Exists:
    """A filter on events (``prefix`` "event__"-style for a related model's queries): the
    event serves this action."""
    outer = f"{prefix}pk" if prefix else "pk"
    return Exists(EventPlanAction.objects.filter(key=key, event_id=OuterRef(outer)))


def choices_in(events) -> list[tuple[str, str]]:
    """(key, title) of the actions these events serve, in the questionnaire's order (the
    public list's select: only actions it can find)."""
    present = set(
        EventPlanAction.objects.filter(event__in=events.values("pk"))
        .order_by()
        .values_list("key", flat=True)
        .distinct()
    )
    if not present:
        return []
    return [(key, title) for key, title in diagnostic.plan_action_choices() if key in present]
