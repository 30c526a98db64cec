"""Diagnostic plans for the agenda's tests: the published seed questionnaire, and an
association's kept plan holding given actions (as a completed diagnostic leaves it)."""

import json
import secrets
from pathlib import Path

from django.utils import timezone

from ressourcerie.diagnostic import selectors as diagnostic
from ressourcerie.diagnostic import services as diagnostic_services
from ressourcerie.diagnostic.models import DiagnosticResponse, PlanAction, PlanStatus
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

SEED = Path(__file__).resolve().parents[2] / "ressourcerie/diagnostic/seed/questionnaire-v1.json"
# Two actions of the seed (stable rule keys).
BACKUP = "referent-numerique"
WEBSITE = "pas-de-site"


def published_questionnaire():
    found = diagnostic.published_questionnaire()
    if found is None:
        data = json.loads(SEED.read_text(encoding="utf-8"))
        found, _outcome = diagnostic_services.load_questionnaire(data=data)
    return found


def title_of(key: str) -> str:
    return dict(diagnostic.plan_action_choices())[key]


def association_with_plan(
    name, *, department, keys, status=PlanStatus.TODO, commune=None, members=()
):
    """An association whose latest diagnostic (taken for ``department``) kept ``keys``;
    ``members``: (e-mail, opted in) pairs, each a confirmed member."""
    questionnaire = published_questionnaire()
    association = OrganisationFactory(name=name, commune=commune)
    response = DiagnosticResponse.objects.create(
        questionnaire=questionnaire,
        token_hash=secrets.token_hex(32),
        organisation=association,
        department=department,
        completed_at=timezone.now(),
    )
    for rank, key in enumerate(keys, start=1):
        PlanAction.objects.create(
            organisation=association,
            response=response,
            key=key,
            axis_key="axe",
            axis_name="Axe",
            title=title_of(key),
            rank=rank,
            status=status,
        )
    people = []
    for email, opted_in in members:
        user = UserFactory(email=email, event_invitations_opt_in=opted_in)
        MembershipFactory(user=user, organisation=association)
        people.append(user)
    return association, people
