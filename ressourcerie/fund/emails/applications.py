"""E-mails to the applying association about its dossier."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core.emails import Email, purpose

from ..models import ApplicationStatus, ApplicationTransition
from ..models.applications import DECIDED_STATUSES


def member_emails(organisation) -> list[str]:
    """The addresses of the association's members (role member), for its dossiers."""
    return sorted(
        set(
            Membership.objects.filter(organisation=organisation, role=Role.MEMBER)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


@purpose("fund.application_status")
def application_status(*, transition: int) -> Email | None:
    record = (
        ApplicationTransition.objects.select_related(
            "application__call", "application__organisation"
        )
        .filter(pk=transition)
        .first()
    )
    if record is None:
        return None
    application = record.application
    recipients = member_emails(application.organisation)
    if not recipients:
        return None
    status = ApplicationStatus(record.to_status)
    return Email(
        to=recipients,
        subject=_("Fonds d'accompagnement — dossier %(reference)s : « %(status)s »")
        % {"reference": application.reference, "status": status.label},
        template="fund_application_status",
        context={
            "organisation": application.organisation.name,
            "call": application.call.title,
            "reference": application.reference,
            "status": str(status.label),
            "reason": record.reason,
            "url": application.get_absolute_url(),
            # A decision comes with its letter (PDF), on the dossier's page.
            "letter_url": reverse("fund:decision_letter", args=[application.reference])
            if status in DECIDED_STATUSES
            else "",
        },
    )
