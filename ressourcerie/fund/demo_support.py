"""Demo data of the fund's part 2 (called by ``load_fund_demo`` after the closed call's
decisions): two approved providers of the demo directory, and the accepted dossiers'
supports at three stages — proposed to both actors, in progress with two sessions, and
completed with a report and a second diagnostic whose result is measured — so that the
dashboard and the impact open data are not empty. Everything goes through the services."""

from decimal import Decimal

from django.utils import timezone

from ressourcerie.accounts.models import Membership, Role, User
from ressourcerie.core.models import Organisation
from ressourcerie.core.models.organisations import OrganisationKind

from .models import DurationUnit, Provider, Support, SupportStatus
from .services import support as support_services
from .services import support_offers, support_results, support_sessions


def _providers(domain: str):
    """The first two demo support structures, approved, each with a user speaking for it."""
    structures = list(
        Organisation.objects.filter(kind=OrganisationKind.SUPPORT_STRUCTURE).order_by("pk")[:2]
    )
    result = []
    for index, structure in enumerate(structures):
        Provider.objects.get_or_create(
            organisation=structure, defaults={"days_per_quarter": Decimal("20")}
        )
        user, _created = User.objects.get_or_create(
            email=f"acteur-fonds-{index + 1}@{domain}",
            defaults={"display_name": f"Acteur du fonds {index + 1}"},
        )
        user.email_confirmed_at = user.email_confirmed_at or timezone.now()
        user.set_unusable_password()
        user.save()
        Membership.objects.get_or_create(user=user, organisation=structure, role=Role.EDITOR)
        result.append((structure, user))
    return result


def _session(support, actor, note):
    support_sessions.log_session(
        support=support,
        held_on=timezone.localdate(),
        duration=Decimal("3.5"),
        unit=DurationUnit.HOURS,
        action_keys=list(support.action_keys[:1]),
        attendees="Deux bénévoles",
        note=note,
        actor=actor,
    )


def load(*, call, admin, domain: str, retake) -> str:
    """``retake(organisation)`` completes a new diagnostic of the association (the demo
    command's own answers). Returns a French summary line."""
    providers = _providers(domain)
    supports = list(
        Support.objects.filter(application__call=call, status=SupportStatus.TO_ASSIGN)
        .select_related("application__organisation")
        .order_by("application__organisation__name")
    )
    if len(providers) < 2 or len(supports) < 3:
        return "Fonds (accompagnements) : pas assez de structures ou de dossiers acceptés."
    (first, first_user), (second, _second_user) = providers
    proposed, running, done = supports[:3]
    support_offers.propose(support=proposed, organisations=[first, second], actor=admin)
    support_offers.assign_by_hand(support=running, organisation=first, actor=admin)
    _session(running, first_user, "Inventaire des outils et des comptes.")
    _session(running, first_user, "Mise en place du partage de fichiers.")
    support_offers.assign_by_hand(support=done, organisation=second, actor=admin)
    actor = Membership.objects.filter(organisation=second, role=Role.EDITOR).first().user
    _session(done, actor, "Atelier sur les sauvegardes.")
    support_services.close_support(
        support=done,
        report="Sauvegardes en place, deux bénévoles formés ; reste le site à refaire.",
        actor=actor,
    )
    retake(done.application.organisation)
    support_results.run_daily()
    return (
        "Fonds : 2 prestataires agréés, un accompagnement proposé, un en cours (2 séances), "
        "un terminé et mesuré par un second diagnostic."
    )
