"""Eligibility of an association for a call, answered in plain French before any form, and the
priority points an application earns from the call's orientations.

Pure functions of the organisation, its latest completed diagnostic (``Snapshot``) and the call:
no query beyond the call's own rules, so the call page, the apply form and the submission
check give the same answer.
"""

from dataclasses import dataclass, field

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ressourcerie.core.models.organisations import BudgetBand, MembersBand, Sector

from .models import Call, PriorityKind


@dataclass
class Snapshot:
    """What the platform knows of the association's latest completed diagnostic."""

    completed_at: object = None  # datetime or None
    axes: list = field(default_factory=list)  # [{"key", "name", "score", "priority"}]
    actions: list = field(default_factory=list)  # [{"key", "title", "axis_key", "axis_name"}]

    @property
    def priority_axis_keys(self) -> set:
        return {axis["key"] for axis in self.axes if axis.get("priority")}


@dataclass
class Answer:
    eligible: bool
    reasons: list[str]  # why not, one sentence each (empty when eligible)
    passed: list[str]  # what was checked and holds, for the association's reassurance


def _join(items) -> str:
    """« A, B et C »."""
    return str(get_text_list(list(items), _("et")))


def _labels(choices, values) -> list[str]:
    names = dict(choices)
    return [str(names.get(value, value)) for value in values]


def check(call: Call, organisation) -> Answer:
    """Checks the call's eligibility rules against the association's profile."""
    reasons, passed = [], []
    if call.verified_only and organisation.verified_at is None:
        reasons.append(
            _(
                "Votre association n'est pas encore vérifiée par l'équipe : cet appel est "
                "réservé aux associations vérifiées."
            )
        )
    departments = list(call.departments.all())
    if departments:
        commune = organisation.commune
        department = commune.department if commune is not None else None
        names = _join([f"{d.name} ({d.code})" for d in departments])
        if department is None:
            reasons.append(
                _("Indiquez la commune de votre association : cet appel concerne %(names)s.")
                % {"names": names}
            )
        elif department not in departments:
            reasons.append(
                _(
                    "Votre association est dans le département %(dep)s ; cet appel concerne %(names)s."
                )
                % {"dep": f"{department.name} ({department.code})", "names": names}
            )
        else:
            passed.append(_("Département : %(dep)s.") % {"dep": department.name})
    # The noun with its article: « la taille », « le budget annuel », « le secteur ».
    for attribute, allowed, choices, noun in (
        ("members_band", call.members_bands, MembersBand.choices, _("la taille")),
        ("budget_band", call.budget_bands, BudgetBand.choices, _("le budget annuel")),
        ("sector", call.sectors, Sector.choices, _("le secteur")),
    ):
        if not allowed:
            continue
        value = getattr(organisation, attribute)
        wanted = _join(_labels(choices, allowed))
        if not value:
            reasons.append(
                _(
                    "Indiquez %(noun)s de votre association sur sa fiche : cet appel concerne : "
                    "%(wanted)s."
                )
                % {"noun": noun, "wanted": wanted}
            )
        elif value not in allowed:
            reasons.append(
                _(
                    "%(noun)s de votre association (%(value)s) ne correspond pas à cet appel, "
                    "qui concerne : %(wanted)s."
                )
                % {
                    "noun": noun[:1].upper() + noun[1:],
                    "value": _labels(choices, [value])[0],
                    "wanted": wanted,
                }
            )
        else:
            passed.append(
                _("%(noun)s : %(value)s.")
                % {"noun": noun[:1].upper() + noun[1:], "value": _labels(choices, [value])[0]}
            )
    return Answer(eligible=not reasons, reasons=reasons, passed=passed)


@dataclass
class Priority:
    label: str
    weight: int
    met: bool


def priorities(
    call: Call, organisation, snapshot: Snapshot, *, first_application: bool
) -> list[Priority]:
    """Each priority orientation of the call, met or not by this association."""
    result = []
    commune = organisation.commune
    for criterion in call.priorities.all():
        met = False
        if criterion.kind == PriorityKind.RURAL:
            limit = int(criterion.parameter or 0)
            met = (
                commune is not None
                and commune.population is not None
                and commune.population < limit
            )
        elif criterion.kind == PriorityKind.FIRST_APPLICATION:
            met = first_application
        elif criterion.kind == PriorityKind.PRIORITY_AXIS:
            met = criterion.parameter in snapshot.priority_axis_keys
        elif criterion.kind == PriorityKind.SECTOR:
            met = organisation.sector == criterion.parameter
        elif criterion.kind == PriorityKind.DEPARTMENT:
            met = commune is not None and commune.department.code == criterion.parameter
        result.append(Priority(label=criterion.label, weight=criterion.weight, met=met))
    return result


def priority_points(items: list[Priority]) -> int:
    return sum(item.weight for item in items if item.met)
