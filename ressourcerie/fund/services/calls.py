"""The call's state machine: brouillon → publié (à venir) → ouvert → clos → archivé."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core.workflow import Machine, TransitionRecord

from .. import permissions
from ..errors import FundError
from ..models import Call, CallStatus, CallTransition

CALL_MACHINE = Machine(
    states=CallStatus,
    moves={
        CallStatus.DRAFT: {CallStatus.PUBLISHED, CallStatus.OPEN},
        CallStatus.PUBLISHED: {CallStatus.DRAFT, CallStatus.OPEN},
        CallStatus.OPEN: {CallStatus.CLOSED},
        CallStatus.CLOSED: {CallStatus.OPEN, CallStatus.ARCHIVED},
        CallStatus.ARCHIVED: set(),
    },
    error=FundError,
    noun=_("Cet appel"),
)


def transition_call(*, call: Call, to_status: str, actor, reason: str = "") -> Call:
    """Moves a call; ``actor`` None is the scheduler (``open_and_close_calls``)."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        CALL_MACHINE.check(call.status, to_status)
        if actor is not None and not permissions.can_manage_fund(actor):
            raise FundError(_("Seule l'équipe du fonds gère les appels."))
        today = timezone.localdate()
        if to_status == CallStatus.OPEN and not (call.opens_on <= today <= call.closes_on):
            raise FundError(
                _(
                    "Un appel s'ouvre entre sa date d'ouverture et sa date de clôture "
                    "(du %(start)s au %(end)s) : modifiez ses dates d'abord."
                )
                % {
                    "start": call.opens_on.strftime("%d/%m/%Y"),
                    "end": call.closes_on.strftime("%d/%m/%Y"),
                }
            )
        if call.status == CallStatus.DRAFT and not call.criteria.exists():
            raise FundError(
                _("Ajoutez au moins un critère à la grille d'évaluation avant de publier l'appel.")
            )
        from_status = call.status
        call.status = to_status
        call.save(update_fields=["status", "updated_at"])
        CallTransition.objects.create(
            call=call,
            from_status=from_status,
            to_status=to_status,
            actor=TransitionRecord.actor_or_none(actor),
            reason=reason,
        )
    return call


def open_and_close_calls() -> list[Call]:
    """The scheduler's daily pass: published calls whose opening date has come open, open
    calls past their closing date close. Returns the calls moved."""
    today = timezone.localdate()
    moved = []
    for call in Call.objects.filter(
        status=CallStatus.PUBLISHED, opens_on__lte=today, closes_on__gte=today
    ):
        moved.append(transition_call(call=call, to_status=CallStatus.OPEN, actor=None))
    for call in Call.objects.filter(status=CallStatus.OPEN, closes_on__lt=today):
        moved.append(transition_call(call=call, to_status=CallStatus.CLOSED, actor=None))
    return moved
