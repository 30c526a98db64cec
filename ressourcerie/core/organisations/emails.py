"""E-mails about organisations, rebuilt by the worker from ids (see core.emails)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..emails import Email, purpose
from . import services


@purpose("core.invitation")
def invitation(*, invitation: int) -> Email | None:
    """The invitation link, derived again from the invitation (services.invitation_token)."""
    from ressourcerie.accounts.models import Invitation

    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation, accepted_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        return None
    return Email(
        to=[invitation.email],
        subject=_("Invitation à rejoindre %(name)s") % {"name": invitation.organisation.name},
        template="organisation_invitation",
        context={
            "organisation": invitation.organisation.name,
            "inviter": str(invitation.invited_by) if invitation.invited_by else "",
            "path": services.invitation_url(services.invitation_token(invitation)),
            "expires_at": invitation.expires_at.strftime("%d/%m/%Y"),
        },
    )
