"""Joining an organisation: the invitation form of its members and the invitation link.

Their addresses stay under /associations/ and their names in core's namespace
(``core:organisation_invite``, ``core:invitation``): see ``ressourcerie/urls.py``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.core import ratelimit
from ressourcerie.core.models import Organisation
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.organisations.forms import InvitationForm
from ressourcerie.core.organisations.ratelimits import LIMITS
from ressourcerie.core.organisations.services import OrganisationError
from ressourcerie.core.permissions import can_invite_to_organisation
from ressourcerie.core.refusals import organisation_member_refusal
from ressourcerie.core.secret_links import secret_link

from .. import invitations


@login_required
def organisation_invite(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_invite_to_organisation(request.user, organisation):
        raise organisation_member_refusal(organisation)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    wait = 0
    if (
        request.method == "POST"
        and form.is_valid()
        and (
            wait := LIMITS.check(
                client=("invite_ip", request), address=("invite_email", form.cleaned_data["email"])
            )
        )
    ):
        form.add_error(None, ratelimit.too_many_message(wait))
    if request.method == "POST" and not wait and form.is_valid():
        try:
            invitations.invite_member(
                organisation=organisation, inviter=request.user, email=form.cleaned_data["email"]
            )
        except OrganisationError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("core:organisation_detail", slug=organisation.slug)
    return render(
        request,
        "core/organisation_invite.html",
        {
            "form": form,
            "organisation": organisation,
            "crumbs": crumbs(
                _("Associations"),
                "core:organisation_list",
                (organisation.name, organisation.get_absolute_url()),
                (_("Inviter"), None),
            ),
        },
        status=429 if wait else 200,
    )


@secret_link
def invitation(request, token):
    invitation = invitations.find_invitation(token)
    state = invitations.invitation_state(invitation)
    error = None
    # Signed in with another address than the invited one: say which, offer to switch.
    wrong_account = (
        state == "valid"
        and request.user.is_authenticated
        and not invitations.invitation_is_for(invitation, request.user)
    )
    if request.method == "POST" and state == "valid":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            accepted = invitations.accept_invitation(raw_token=token, user=request.user)
        except OrganisationError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("Vous êtes maintenant membre de %(name)s.")
                % {"name": accepted.organisation.name},
            )
            return redirect("core:organisation_detail", slug=accepted.organisation.slug)
    status = {"valid": 403 if wrong_account else 200, "unknown": 404}.get(state, 410)
    return render(
        request,
        "core/invitation.html",
        {
            "invitation": invitation if state == "valid" else None,
            "invited_email": invitations.masked_email(invitation.email) if state == "valid" else "",
            "wrong_account": wrong_account,
            "state": state,
            "error": error,
            "login_url": f"{reverse('accounts:login')}?next={request.path}",
            "signup_url": reverse("accounts:signup_invitation", args=[token]),
        },
        status=status,
    )
