"""Setups of the fund's instruction pages for the browser suite (tests/browser/pages.py):
three dossiers of Loire-Atlantique submitted from their diagnostics through the real
services, routed to the department's group, one of them scored by two reviewers."""

from __future__ import annotations


def with_fund_instruction(user=None) -> dict:
    from ressourcerie.fund.models import ApplicationStatus
    from ressourcerie.fund.services import instruction as services
    from ressourcerie.fund.services.applications import transition_application
    from tests.factories import StaffFactory
    from tests.fund import instruction_setup as setup

    loire = setup.department()
    village = setup.commune(loire, insee="44001", name="Petitbourg", population=900)
    city = setup.commune(loire, insee="44109", name="Nantes", population=320000)
    group = setup.group_for_department(loire)
    call = setup.make_call(departments=[loire])
    team = StaffFactory()
    applications = []
    for name, place in (
        ("Les Amis du Jardin", village),
        ("Sport pour tous", city),
        ("Culture en fête", city),
    ):
        organisation, member = setup.applicant(name, place)
        application = setup.submit(call, organisation, member)
        transition_application(
            application=application, to_status=ApplicationStatus.IN_REVIEW, actor=team
        )
        applications.append(application)
    criteria = list(call.criteria.all())
    for marks in ((4, 3), (5, 4)):
        services.save_review(
            application=applications[0],
            reviewer=setup.reviewer(group),
            scores={c.pk: m for c, m in zip(criteria, marks, strict=True)},
            comment="Projet clair, calendrier réaliste.",
            recommendation="favorable",
            submit=True,
        )
    return {"call": call, "application": applications[0], "group": group}
