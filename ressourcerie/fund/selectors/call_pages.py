"""What a call's page says: its rules in plain French, and for a signed-in member the answer
for each of their associations (eligibility, diagnostic, existing dossier) before any form."""

from dataclasses import dataclass

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ressourcerie.core.models.organisations import (
    BudgetBand,
    MembersBand,
    OrganisationKind,
    Sector,
)

from .. import eligibility, permissions, text
from ..models import Application, ApplicationStatus, Call
from . import applications as application_selectors


def _join(items) -> str:
    return str(get_text_list([str(i) for i in items], _("et")))


def _labels(choices, values) -> list[str]:
    names = dict(choices)
    return [str(names.get(v, v)) for v in values]


def rules_in_french(call: Call) -> list[str]:
    """Each eligibility rule of the call as one sentence."""
    rules = [_("L'appel s'adresse aux associations loi 1901.")]
    departments = list(call.departments.all())
    if departments:
        rules.append(
            _("Départements : %(names)s.")
            % {"names": _join(f"{d.name} ({d.code})" for d in departments)}
        )
    else:
        rules.append(_("Tous les départements du territoire."))
    for values, choices, sentence in (
        (call.members_bands, MembersBand.choices, _("Taille : %(values)s.")),
        (call.budget_bands, BudgetBand.choices, _("Budget annuel : %(values)s.")),
        (call.sectors, Sector.choices, _("Secteurs : %(values)s.")),
    ):
        if values:
            rules.append(sentence % {"values": _join(_labels(choices, values))})
    if call.verified_only:
        rules.append(_("Association vérifiée par l'équipe de la plateforme."))
    rules.append(
        _("Un autodiagnostic numérique complet de moins de 12 mois : le dossier part de lui.")
    )
    return rules


def formats_in_french(call: Call) -> list[str]:
    formats = []
    if call.individual_support:
        formats.append(
            _("Accompagnement individuel : jusqu'à %(days)s jours par association.")
            % {"days": text.days(call.individual_max_days)}
        )
    if call.collective_support:
        formats.append(
            _("Accompagnement collectif : groupes de %(min)s à %(max)s associations.")
            % {"min": call.cohort_min, "max": call.cohort_max}
        )
    return formats


@dataclass
class Panel:
    """The answer for one association of the signed-in member."""

    organisation: object
    answer: eligibility.Answer
    diagnostic: object  # the latest completed response, or None
    diagnostic_too_old: bool
    application: Application | None

    @property
    def can_apply(self) -> bool:
        return self.answer.eligible and not self.diagnostic_too_old and self.application is None


def panels_for(call: Call, user) -> list[Panel]:
    """One panel per association in which the user may apply."""
    if not user.is_authenticated:
        return []
    panels = []
    organisations = (
        permissions.applicant_organisations(user)
        .filter(kind=OrganisationKind.ASSOCIATION)
        .select_related("commune__department")
        .order_by("name")
    )
    for organisation in organisations:
        response = application_selectors.latest_diagnostic(organisation)
        panels.append(
            Panel(
                organisation=organisation,
                answer=eligibility.check(call, organisation),
                diagnostic=response,
                diagnostic_too_old=application_selectors.is_diagnostic_too_old(response),
                application=Application.objects.filter(call=call, organisation=organisation)
                .exclude(status=ApplicationStatus.WITHDRAWN)
                .first(),
            )
        )
    return panels
