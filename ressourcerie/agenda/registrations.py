"""Hooks of the agenda into the shared registries (navigation, personal data) and into the
parts that show its events (diagnostic recommendations, newsletter blocks)."""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ressourcerie.core import navigation
from ressourcerie.diagnostic import recommendations
from ressourcerie.diagnostic import selectors as diagnostic
from ressourcerie.directory import selectors as directory
from ressourcerie.newsletter import blocks

from . import (
    invitations,  # noqa: F401 (declares the "agenda.plan_invitation" e-mail)
    personal_data,
    plan_links,
    selectors,
)


def register_all():
    navigation.register_part(
        navigation.Part(
            key="agenda",
            label=_("Agenda"),
            url_name="agenda:index",
            description=_(
                "Formations, ateliers et sensibilisations au numérique pour les bénévoles et "
                "salariés des associations, près de chez vous ou en ligne."
            ),
            order=35,
            path_prefix="/agenda/",
        )
    )
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=_("Mes inscriptions aux événements"),
            url_name="agenda:mine",
            description=_("Vos inscriptions, votre liste d'attente et votre agenda privé."),
            order=45,
        )
    )
    navigation.register_account_entry(
        navigation.AccountEntry(
            label=_("Mes événements organisés"),
            url_name="agenda:organiser",
            description=_("Publier un événement, suivre les inscrits et les présences."),
            order=46,
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Événements à modérer"),
            url_name="agenda:staff",
            description=_("Les événements proposés par les structures, avant publication."),
            order=45,
        )
    )
    personal_data.register()
    recommendations.register_provider("event", events_near)
    diagnostic.register_plan_source("upcoming", plan_links.upcoming_for_plan)
    diagnostic.register_plan_source("followed", plan_links.followed_for_plan)
    blocks.register("prochains-evenements", _("Prochains événements"), "evenements", upcoming_block)


def _when(event) -> str:
    return formats.date_format(timezone.localtime(event.starts_at), "j F Y à H:i")


def events_near(rule, context):
    """Diagnostic provider: upcoming events near the association about the action's theme
    (``rule.event_topic``: a catalogue need), online ones when none is near."""
    if not context.department_code:
        return []
    origin = directory.main_commune(context.department_code)
    events = []
    if origin is not None:
        events = selectors.upcoming_near(
            origin.latitude, origin.longitude, theme=rule.event_topic or "", limit=3
        )
    if not events:
        events = selectors.filtered_events(
            selectors.Filters(theme=rule.event_topic or "", online=True), limit=2
        ).events
    return [
        recommendations.Recommendation(
            title=event.title,
            url=event.get_absolute_url(),
            text=f"{event.get_kind_display()} · {_when(event)} · {event.organiser.name}",
        )
        for event in events
    ]


def upcoming_block(start, end, department):
    """Newsletter block: the next events of the subscriber's department, and online ones."""
    code = department.code if department is not None else ""
    return [
        blocks.BlockItem(
            title=event.title,
            url=event.get_absolute_url(),
            text=f"{_when(event)} · {event.organiser.name}",
        )
        for event in selectors.upcoming_for_department(code, limit=5)
    ]
