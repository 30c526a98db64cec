"""The receipt an association gets when it deposits a dossier (first time or after a
correction), with the link to its PDF récépissé."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core.emails import Email, purpose, site_url

from ..models import ApplicationTransition
from .applications import member_emails


@purpose("fund.application_submitted")
def application_submitted(*, transition: int) -> Email | None:
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
    at = timezone.localtime(record.at)
    return Email(
        to=recipients,
        subject=_("Fonds d'accompagnement — dossier %(reference)s déposé")
        % {"reference": application.reference},
        template="fund_application_submitted",
        context={
            "organisation": application.organisation.name,
            "call": application.call.title,
            "reference": application.reference,
            "date": at.strftime("%d/%m/%Y"),
            "time": at.strftime("%H:%M"),
            "again": record.from_status != "brouillon",
            "url": site_url(application.get_absolute_url()),
            "receipt_url": site_url(reverse("fund:receipt_pdf", args=[application.reference])),
        },
    )
