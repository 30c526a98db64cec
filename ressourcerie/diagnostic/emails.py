"""E-mails of the self-diagnostic, rebuilt by the worker from ids (see core.emails)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.core.emails import Email, purpose, site_url, take_address

from . import selectors
from .models import DiagnosticResponse


@purpose("diagnostic.resume_link")
def resume_link(*, response: int, address: int) -> Email | None:
    """The private link, derived now (selectors.mailed_token), to the address typed on the
    form, which is deleted as it is read."""
    to = take_address(address)
    response = DiagnosticResponse.objects.filter(pk=response).first()
    if to is None or response is None:
        return None
    path = reverse("diagnostic:resume", args=[selectors.mailed_token(response)])
    return Email(
        to=[to],
        subject=_("Votre lien pour reprendre l'autodiagnostic"),
        template="diagnostic_resume_link",
        context={"url": site_url(path)},
    )
