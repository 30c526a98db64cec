"""Setups of the fund's support pages (part 2) for the browser suite (tests/browser/pages.py):
an accepted dossier of a rural association, its support proposed to two approved providers,
accepted by the first, one session logged (waiting for the association's check), and the
second offer still open on a second dossier."""

from __future__ import annotations


def with_support(user) -> dict:
    """The signed-in person is a member of the association and an editor of the actor (so
    one person sees both sides' pages); the staff account sees the team's pages."""
    from datetime import timedelta

    from django.utils import timezone

    from ressourcerie.accounts.models import Membership, Role
    from ressourcerie.fund.selectors import support as selectors
    from ressourcerie.fund.services import support_offers as offers
    from ressourcerie.fund.services import support_sessions
    from tests.fund import support_setup

    world = support_setup.accepted_world()
    support, staff = world["support"], world["staff"]
    near, editor = world["actors"]["near"]
    second, _second_editor = world["actors"]["second"]
    if user is not None:
        Membership.objects.create(user=user, organisation=world["organisation"], role=Role.MEMBER)
        Membership.objects.create(user=user, organisation=near, role=Role.EDITOR)
    sent = offers.propose(support=support, organisations=[near, second], actor=staff)
    offers.accept(raw_token=selectors.offer_secret(sent[0]), user=editor)
    support.refresh_from_db()
    support_sessions.log_session(
        support=support,
        held_on=timezone.localdate(),
        duration="3",
        unit="heures",
        action_keys=support.action_keys,
        attendees="Marie, trésorière ; Paul, secrétaire",
        note="Prise en main de l'espace de fichiers partagé.",
        actor=editor,
    )
    support.refresh_from_db()
    support.starts_on = timezone.localdate() - timedelta(days=7)
    support.save(update_fields=["starts_on"])
    return {"support": support, "reference": support.application.reference, "near": near}


def with_offer(user) -> dict:
    """An offer waiting for the answer of a structure the signed-in person edits."""
    from ressourcerie.accounts.models import Membership, Role
    from ressourcerie.fund.selectors import support as selectors
    from ressourcerie.fund.services import support_offers as offers
    from tests.fund import support_setup

    world = support_setup.accepted_world()
    near, _editor = world["actors"]["near"]
    if user is not None:
        Membership.objects.create(user=user, organisation=near, role=Role.EDITOR)
    [offer] = offers.propose(support=world["support"], organisations=[near], actor=world["staff"])
    return {"token": selectors.offer_secret(offer)}
