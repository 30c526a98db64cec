"""The application's state machine and what the association does with its dossier.

One transition function, ``transition_application``, changes ``Application.status``: it locks
the row, checks the move (``APPLICATION_MACHINE``), the actor's right, the move's own
conditions (a complete dossier in an open call to submit; a reason to refuse, to ask for a
correction or to reopen; the remaining budget to accept), saves, writes the history and tells
the association by e-mail.
"""

import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core.services import queue_email
from ressourcerie.core.workflow import Machine, TransitionRecord

from .. import eligibility, permissions, text
from ..errors import FundError
from ..models import (
    Application,
    ApplicationStatus,
    ApplicationTransition,
    CallStatus,
    SupportFormat,
)
from ..models.applications import ACCEPTED_STATUSES, DECIDED_STATUSES
from ..selectors import applications as application_selectors
from ..selectors import calls as call_selectors
from ..selectors import instruction as instruction_selectors
from . import support as support_services
from . import support_offers

S = ApplicationStatus

APPLICATION_MACHINE = Machine(
    states=ApplicationStatus,
    moves={
        S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
        S.SUBMITTED: {S.IN_REVIEW, S.TO_CORRECT, S.WITHDRAWN},
        S.TO_CORRECT: {S.SUBMITTED, S.WITHDRAWN},
        S.IN_REVIEW: {
            S.TO_CORRECT,
            S.WAITING_LIST,
            S.ACCEPTED,
            S.ACCEPTED_WITH_CONDITIONS,
            S.REFUSED,
            S.WITHOUT_FOLLOW_UP,
            S.WITHDRAWN,
        },
        S.WAITING_LIST: {
            S.ACCEPTED,
            S.ACCEPTED_WITH_CONDITIONS,
            S.REFUSED,
            S.WITHOUT_FOLLOW_UP,
            S.WITHDRAWN,
        },
        # A decision reopened by the team, with a reason.
        S.ACCEPTED: {S.IN_REVIEW},
        S.ACCEPTED_WITH_CONDITIONS: {S.IN_REVIEW},
        S.REFUSED: {S.IN_REVIEW},
        S.WITHOUT_FOLLOW_UP: {S.IN_REVIEW},
        S.WITHDRAWN: set(),
    },
    error=FundError,
    noun=_("Ce dossier"),
)

# Moves the association makes; every other move is the instruction team's.
APPLICANT_MOVES = {S.SUBMITTED, S.WITHDRAWN}
# Moves only the platform team makes (reviewers of the group may start the instruction and
# ask for a correction).
DECISION_MOVES = {*DECIDED_STATUSES, S.WAITING_LIST}
REASON_NEEDED = {S.TO_CORRECT, S.REFUSED, S.ACCEPTED_WITH_CONDITIONS, S.WITHOUT_FOLLOW_UP}


def _may_move(actor, application: Application, to_status: str) -> bool:
    if to_status in APPLICANT_MOVES:
        return permissions.is_applicant(actor, application) or (
            to_status == S.WITHDRAWN and permissions.can_manage_fund(actor)
        )
    if to_status in DECISION_MOVES or application.status in DECIDED_STATUSES:
        return permissions.can_manage_fund(actor)
    return permissions.can_instruct(actor, application)


def allowed_moves(application: Application, user) -> list[str]:
    return [
        target
        for target in APPLICATION_MACHINE.moves_from(application.status)
        if _may_move(user, application, target)
    ]


def missing_for_submission(application: Application) -> list[str]:
    """What the dossier lacks before it can be submitted, one French sentence each."""
    call = application.call
    missing = []
    if not application.project.strip():
        missing.append(_("Décrivez votre projet en quelques lignes."))
    if not application.support_format:
        missing.append(_("Choisissez le format d'accompagnement souhaité."))
    if not application.action_keys:
        missing.append(_("Choisissez au moins une action de votre plan à faire accompagner."))
    if application.days_requested is None or application.days_requested <= 0:
        missing.append(_("Indiquez le nombre de jours d'accompagnement souhaités."))
    elif application.days_requested > call.individual_max_days:
        missing.append(
            _("Cet appel accorde au plus %(days)s jours par association.")
            % {"days": text.days(call.individual_max_days)}
        )
    unticked = [item for item in call.checklist if item not in application.checklist_ticked]
    if unticked:
        missing.append(_("Cochez toutes les attestations demandées."))
    uploaded = set(application.documents.values_list("requested_id", flat=True))
    for document in call.documents.filter(required=True):
        if document.pk not in uploaded:
            missing.append(_("Joignez le document « %(label)s ».") % {"label": document.label})
    return missing


def _check_submission(application: Application) -> None:
    call = application.call
    today = timezone.localdate()
    if call.status != CallStatus.OPEN or not (call.opens_on <= today <= call.closes_on):
        raise FundError(
            _(
                "L'appel « %(title)s » n'est pas ouvert aux dépôts (clôture le %(end)s) : votre "
                "brouillon est conservé."
            )
            % {"title": call.title, "end": call.closes_on.strftime("%d/%m/%Y")}
        )
    answer = eligibility.check(call, application.organisation)
    if not answer.eligible:
        raise FundError(" ".join(answer.reasons))
    missing = missing_for_submission(application)
    if missing:
        raise FundError(" ".join(missing))


def _refresh_snapshot(application: Application) -> None:
    """At submission the dossier takes the latest diagnostic (if recent enough) and the
    priority points it earns; both stay fixed afterwards."""
    response = application_selectors.latest_diagnostic(application.organisation)
    if application_selectors.is_diagnostic_too_old(response):
        raise FundError(
            _(
                "Le dernier autodiagnostic de votre association a plus de 12 mois : refaites-le avant de déposer."
            )
        )
    snapshot = application_selectors.snapshot_of(response)
    application.diagnostic = response
    application.diagnostic_snapshot = _snapshot_json(snapshot)
    items = eligibility.priorities(
        application.call,
        application.organisation,
        snapshot,
        first_application=application_selectors.is_first_application(
            application.organisation, exclude=application
        ),
    )
    application.priority_points = eligibility.priority_points(items)


def _check_decision(application: Application, to_status, days_granted, amount_granted) -> None:
    if to_status not in ACCEPTED_STATUSES:
        return
    days = Decimal(days_granted or 0)
    euros = int(amount_granted or 0)
    if days < 0 or euros < 0:
        raise FundError(_("Les jours et le montant accordés ne peuvent pas être négatifs."))
    if days == 0 and euros == 0:
        raise FundError(_("Indiquez les jours ou le montant accordés."), field="days_granted")
    budget = call_selectors.budget_of(application.call)
    if days > budget.days_left:
        raise FundError(
            _("Il reste %(left)s jours au budget de l'appel : impossible d'en accorder %(days)s.")
            % {
                "left": text.days(budget.days_left),
                "days": text.days(days),
            },
            field="days_granted",
        )
    if euros > budget.euros_left:
        raise FundError(
            _("Il reste %(left)s € au budget de l'appel : impossible d'accorder %(euros)s €.")
            % {"left": text.euros(budget.euros_left), "euros": text.euros(euros)},
            field="amount_granted",
        )


def transition_application(
    *,
    application: Application,
    to_status: str,
    actor,
    reason: str = "",
    days_granted=None,
    amount_granted=None,
) -> Application:
    reason = (reason or "").strip()
    with transaction.atomic():
        # Lock the dossier's row only: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer join to the commune.
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "organisation__commune__department")
            .get(pk=application.pk)
        )
        APPLICATION_MACHINE.check(application.status, to_status)
        if not _may_move(actor, application, to_status):
            raise FundError(_("Vous ne pouvez pas faire passer ce dossier à cette étape."))
        if to_status in REASON_NEEDED and not reason:
            raise FundError(
                _("Écrivez le motif : il sera communiqué à l'association."), field="reason"
            )
        if application.status in DECIDED_STATUSES and not reason:
            raise FundError(_("Écrivez pourquoi la décision est rouverte."), field="reason")
        from_status = application.status
        fields = ["status", "updated_at"]
        if to_status == S.SUBMITTED:
            _check_submission(application)
            _refresh_snapshot(application)
            if application.group_id is None:
                application.group = instruction_selectors.group_for(application)
            fields += ["diagnostic", "diagnostic_snapshot", "priority_points", "group"]
            if application.submitted_at is None:
                application.submitted_at = timezone.now()
                fields.append("submitted_at")
        if to_status in DECISION_MOVES:
            if to_status in ACCEPTED_STATUSES:
                # The budget counts only accepted dossiers: this one is not among them yet.
                _check_decision(application, to_status, days_granted, amount_granted)
                application.days_granted = Decimal(days_granted or 0)
                application.amount_granted = int(amount_granted or 0)
            else:
                application.days_granted = None
                application.amount_granted = None
            application.decided_at = timezone.now() if to_status in DECIDED_STATUSES else None
            application.decision_reason = reason if to_status != S.ACCEPTED_WITH_CONDITIONS else ""
            application.conditions = reason if to_status == S.ACCEPTED_WITH_CONDITIONS else ""
            fields += [
                "days_granted",
                "amount_granted",
                "decided_at",
                "decision_reason",
                "conditions",
            ]
        elif from_status in DECIDED_STATUSES:
            # Reopened: the previous decision no longer commits budget.
            application.days_granted = application.amount_granted = application.decided_at = None
            fields += ["days_granted", "amount_granted", "decided_at"]
        application.status = to_status
        application.save(update_fields=fields)
        # Part 2: an acceptance opens the support; a reopened acceptance drops it if unstarted.
        # The matching then proposes an individual support to actors by itself.
        if to_status in ACCEPTED_STATUSES:
            support = support_services.open_support(application=application, actor=actor)
            support_offers.match_opened(support=support)
        elif from_status in ACCEPTED_STATUSES:
            support_offers.drop_on_reopening(application=application, actor=actor, reason=reason)
        record = ApplicationTransition.objects.create(
            application=application,
            from_status=from_status,
            to_status=to_status,
            actor=TransitionRecord.actor_or_none(actor),
            reason=reason,
        )
        # A deposit gets its receipt (with the récépissé), every other move the status e-mail.
        queue_email(
            purpose="fund.application_submitted"
            if to_status == S.SUBMITTED
            else "fund.application_status",
            ids={"transition": record.pk},
        )
    return application


def _new_reference() -> str:
    """« 2026-K7P4QM »: the year and six unambiguous letters or digits."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"{timezone.localdate().year}-" + "".join(secrets.choice(alphabet) for _ in range(6))


def start_application(*, call, organisation, actor) -> Application:
    """A draft for the association, pre-filled from its latest completed diagnostic (the
    snapshot is taken again at submission). Refused when the association is not eligible,
    already has a live application to this call, or its diagnostic is missing or too old."""
    if not permissions.can_apply_for(actor, organisation):
        raise FundError(
            _("Seuls les membres de l'association peuvent déposer un dossier en son nom.")
        )
    if call.status != CallStatus.OPEN:
        raise FundError(_("Cet appel n'est pas ouvert aux dépôts."))
    answer = eligibility.check(call, organisation)
    if not answer.eligible:
        raise FundError(" ".join(answer.reasons))
    response = application_selectors.latest_diagnostic(organisation)
    if application_selectors.is_diagnostic_too_old(response):
        raise FundError(
            _(
                "Le dossier part du dernier autodiagnostic de votre association, qui doit dater de "
                "moins de 12 mois : faites-le (ou refaites-le) d'abord, en une vingtaine de minutes."
            )
        )
    if (
        Application.objects.filter(call=call, organisation=organisation)
        .exclude(status=S.WITHDRAWN)
        .exists()
    ):
        raise FundError(
            _("Votre association a déjà un dossier pour cet appel : reprenez-le depuis sa page.")
        )
    snapshot = application_selectors.snapshot_of(response)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Application.objects.create(
                    call=call,
                    organisation=organisation,
                    reference=_new_reference(),
                    created_by=actor,
                    diagnostic=response,
                    diagnostic_snapshot=_snapshot_json(snapshot),
                    support_format=_default_format(call),
                )
        except IntegrityError as error:
            if "reference" in str(error).lower():
                continue
            raise FundError(
                _(
                    "Votre association a déjà un dossier pour cet appel : reprenez-le depuis sa page."
                )
            ) from error
    raise FundError(_("Le dossier n'a pas pu être créé : réessayez."))


def _default_format(call) -> str:
    if call.individual_support and call.collective_support:
        return ""
    return SupportFormat.INDIVIDUAL if call.individual_support else SupportFormat.COLLECTIVE


def _snapshot_json(snapshot) -> dict:
    return {
        "completed_at": snapshot.completed_at.isoformat() if snapshot.completed_at else None,
        "axes": snapshot.axes,
        "actions": snapshot.actions,
    }
