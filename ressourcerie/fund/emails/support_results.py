"""E-mails of the measured result: the association's members are invited to retake the
diagnostic when its support ends, reminded after 7 days, and invited again 6 months later."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.core.emails import Email, purpose, site_url

from ..models import Support
from .applications import member_emails

KINDS = {
    "invitation": _("Votre accompagnement est terminé : refaites l'autodiagnostic"),
    "reminder": _("Rappel : refaites l'autodiagnostic de votre association"),
    "lasting": _("Six mois après votre accompagnement : refaites l'autodiagnostic"),
}


def _build(support_id: int, kind: str) -> Email | None:
    support = (
        Support.objects.select_related("application__call", "application__organisation")
        .filter(pk=support_id)
        .first()
    )
    if support is None:
        return None
    application = support.application
    recipients = member_emails(application.organisation)
    if not recipients:
        return None
    return Email(
        to=recipients,
        subject=_("Fonds d'accompagnement — %(what)s") % {"what": KINDS[kind]},
        template="fund_rediagnostic",
        context={
            "organisation": application.organisation.name,
            "call": application.call.title,
            "reference": application.reference,
            "kind": kind,
            "url": site_url(reverse("diagnostic:intro")),
        },
    )


@purpose("fund.rediagnostic_invitation")
def rediagnostic_invitation(*, support: int) -> Email | None:
    return _build(support, "invitation")


@purpose("fund.rediagnostic_reminder")
def rediagnostic_reminder(*, support: int) -> Email | None:
    return _build(support, "reminder")


@purpose("fund.lasting_invitation")
def lasting_invitation(*, support: int) -> Email | None:
    return _build(support, "lasting")
