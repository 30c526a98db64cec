"""The call's state machine: brouillon → publié (à venir) → ouvert → clos → archivé."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core.models import Department
from ressourcerie.core.models.organisations import Sector
from ressourcerie.core.workflow import Machine, TransitionRecord
from ressourcerie.diagnostic import selectors as diagnostic

from .. import permissions, text
from ..errors import FundError
from ..models import (
    Call,
    CallStatus,
    CallTransition,
    PriorityCriterion,
    PriorityKind,
    RequestedDocument,
    ReviewCriterion,
)
from ..models.instruction import ReviewScore

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


def allowed_moves(call: Call, user) -> list[str]:
    """The moves the user may ask for (the dates are checked when the move is made)."""
    if not permissions.can_manage_fund(user):
        return []
    return list(CALL_MACHINE.moves_from(call.status))


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


def _priority_label(kind: str, parameter: str) -> str:
    if kind == PriorityKind.RURAL:
        return _("Association d'une commune de moins de %(n)s habitants") % {
            "n": text.euros(parameter)
        }
    if kind == PriorityKind.FIRST_APPLICATION:
        return _("Première demande au fonds")
    if kind == PriorityKind.SECTOR:
        return _("Secteur : %(name)s") % {"name": Sector(parameter).label}
    if kind == PriorityKind.DEPARTMENT:
        department = Department.objects.filter(code=parameter).first()
        return _("Association du département %(name)s") % {"name": department.name}
    axes = _axis_names()
    return _("Axe prioritaire du diagnostic : %(name)s") % {"name": axes.get(parameter, parameter)}


def _axis_names() -> dict[str, str]:
    questionnaire = diagnostic.published_questionnaire()
    if questionnaire is None:
        return {}
    return {axis.key: axis.name for axis in diagnostic.structure(questionnaire).axes}


def _clean_priority(row: dict) -> dict:
    kind, parameter = row["kind"], (row.get("parameter") or "").strip()
    if kind == PriorityKind.RURAL:
        if not parameter.replace(" ", "").isdigit() or int(parameter.replace(" ", "")) <= 0:
            raise FundError(
                _(
                    "Orientation « commune de moins de N habitants » : indiquez N, par exemple 3500."
                ),
                field="priorities",
            )
        parameter = str(int(parameter.replace(" ", "")))
    elif kind == PriorityKind.FIRST_APPLICATION:
        parameter = ""
    elif kind == PriorityKind.SECTOR and parameter not in Sector.values:
        raise FundError(
            _("Orientation « secteur » : codes possibles %(codes)s.")
            % {"codes": ", ".join(Sector.values)},
            field="priorities",
        )
    elif kind == PriorityKind.DEPARTMENT:
        parameter = parameter.upper()
        if not Department.objects.filter(code=parameter).exists():
            raise FundError(
                _("Orientation « département » : le code %(code)s n'existe pas.")
                % {"code": parameter or "—"},
                field="priorities",
            )
    elif kind == PriorityKind.PRIORITY_AXIS:
        axes = _axis_names()
        if parameter not in axes:
            raise FundError(
                _("Orientation « axe du diagnostic » : clés possibles %(keys)s.")
                % {"keys": ", ".join(axes) or "—"},
                field="priorities",
            )
    label = (row.get("label") or "").strip() or _priority_label(kind, parameter)
    return {"kind": kind, "parameter": parameter, "label": label, "weight": row["weight"]}


def _departments(codes: list[str]) -> list[Department]:
    found = {d.code: d for d in Department.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise FundError(
            _("Département inconnu : %(codes)s.") % {"codes": ", ".join(unknown)},
            field="department_codes",
        )
    return [found[code] for code in codes]


def _sync(model, call: Call, rows: list[dict], removed: set[int], fields: list[str]) -> None:
    """Updates the rows that keep their id, creates the new ones, deletes the removed ones;
    ids that are not the call's are ignored (a tampered form changes nothing elsewhere)."""
    own = {obj.pk: obj for obj in model.objects.filter(call=call)}
    for order, row in enumerate(rows):
        values = {name: row[name] for name in fields}
        if "order" in {f.name for f in model._meta.fields}:
            values["order"] = order
        obj = own.get(row.get("id"))
        if obj is None:
            model.objects.create(call=call, **values)
        else:
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
    model.objects.filter(call=call, pk__in=removed & set(own)).delete()


def save_call(
    *,
    actor,
    data: dict,
    department_codes: list[str],
    priorities: list[dict],
    documents: list[dict],
    criteria: list[dict],
    removed: dict,
    call: Call | None = None,
) -> Call:
    """Creates or updates a call with its rules, priority orientations, documents asked for
    and review grid, all at once or not at all. The status is left to ``transition_call``."""
    if not permissions.can_manage_fund(actor):
        raise FundError(_("Seule l'équipe du fonds gère les appels."))
    if not criteria:
        raise FundError(
            _("La grille d'évaluation compte au moins un critère (noté de 0 à 5)."),
            field="criteria",
        )
    departments = _departments(department_codes)
    priorities = [_clean_priority(row) for row in priorities]
    try:
        with transaction.atomic():
            if call is None:
                call = Call(created_by=actor)
            else:
                call = Call.objects.select_for_update().get(pk=call.pk)
                scored = ReviewScore.objects.filter(
                    criterion__call=call, criterion_id__in=removed.get("criteria", set())
                )
                if scored.exists():
                    raise FundError(
                        _(
                            "Un critère déjà noté par des relecteurs ne peut plus être retiré "
                            "de la grille : modifiez plutôt son libellé."
                        ),
                        field="criteria",
                    )
            for name, value in data.items():
                setattr(call, name, value)
            call.save()
            call.departments.set(departments)
            _sync(
                PriorityCriterion,
                call,
                priorities,
                removed.get("priorities", set()),
                ["kind", "parameter", "label", "weight"],
            )
            _sync(
                RequestedDocument,
                call,
                documents,
                removed.get("documents", set()),
                ["label", "help_text", "required"],
            )
            _sync(
                ReviewCriterion,
                call,
                criteria,
                removed.get("criteria", set()),
                ["title", "weight", "levels"],
            )
    except IntegrityError as error:
        raise FundError(
            _("Un autre appel a déjà cette adresse courte : choisissez-en une autre."),
            field="slug",
        ) from error
    return call
