"""Supports for the part-2 tests, built with the real services: an accepted dossier of a
rural association (through the committee's ``transition_application``), approved providers
with directory places offering association support on the dossier's themes, near or far."""

from decimal import Decimal

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core.models.organisations import OrganisationKind
from ressourcerie.diagnostic import selectors as diagnostic_selectors
from ressourcerie.directory import selectors as directory_selectors
from ressourcerie.fund.models import ApplicationStatus, Provider
from ressourcerie.fund.services.applications import transition_application
from tests.directory.factories import PlaceFactory
from tests.factories import OrganisationFactory, StaffFactory, UserFactory
from tests.fund import instruction_setup as setup

S = ApplicationStatus


def themed_action(application) -> tuple[str, str]:
    """The first snapshot action whose rule names a directory support, and that code."""
    keys = [a["key"] for a in application.diagnostic_snapshot["actions"]]
    codes = diagnostic_selectors.support_codes_of(keys)
    for key in keys:
        code = directory_selectors.association_support_code(codes.get(key, ""))
        if code:
            return key, code
    raise AssertionError("the seed questionnaire has no action with a support code")


def provider(name, *, latitude, longitude, codes, days=Decimal("10"), active=True):
    """A support structure with one editor and one published place offering ``codes``."""
    structure = OrganisationFactory(name=name, kind=OrganisationKind.SUPPORT_STRUCTURE)
    editor = UserFactory()
    Membership.objects.create(user=editor, organisation=structure, role=Role.EDITOR)
    PlaceFactory(
        organisation=structure,
        name=f"Lieu {name}",
        latitude=latitude,
        longitude=longitude,
        association_support="," + ",".join(codes) + ",",
    )
    Provider.objects.create(organisation=structure, days_per_quarter=days, is_active=active)
    return structure, editor


def dossier_in_review(*, days=Decimal("4")) -> dict:
    """A dossier under review of a rural association of Loire-Atlantique, its plan action
    themed on a directory support code."""
    loire = setup.department()
    village = setup.commune(loire, insee="44001", name="Petitbourg", population=900)
    village.latitude, village.longitude = 47.2, -1.6
    village.save()
    call = setup.make_call(departments=[loire])
    staff = StaffFactory()
    organisation, member = setup.applicant("Les Amis du Bourg", village)
    application = setup.submit(call, organisation, member, days=days)
    key, code = themed_action(application)
    application.action_keys = [key]
    application.save(update_fields=["action_keys"])
    transition_application(application=application, to_status=S.IN_REVIEW, actor=staff)
    return {
        "call": call,
        "staff": staff,
        "application": application,
        "organisation": organisation,
        "member": member,
        "code": code,
    }


def accepted_world(*, days=Decimal("4")):
    """One accepted dossier (its support opened) and three providers: two near on the
    dossier's theme, one far away."""
    dossier = dossier_in_review(days=days)
    call, staff, code = dossier["call"], dossier["staff"], dossier["code"]
    organisation, member = dossier["organisation"], dossier["member"]
    application = dossier["application"]
    application = transition_application(
        application=application, to_status=S.ACCEPTED, actor=staff, days_granted=days
    )
    near, near_editor = provider(
        "Numérique Solidaire", latitude=47.25, longitude=-1.55, codes=[code]
    )
    second, second_editor = provider("Coop Asso", latitude=47.3, longitude=-1.5, codes=[code])
    far, far_editor = provider("Loin d'ici", latitude=43.6, longitude=1.44, codes=[code])
    return {
        "call": call,
        "staff": staff,
        "application": application,
        "support": application.support,
        "organisation": organisation,
        "member": member,
        "code": code,
        "actors": {
            "near": (near, near_editor),
            "second": (second, second_editor),
            "far": (far, far_editor),
        },
    }
