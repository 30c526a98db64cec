"""Sign-up, e-mail confirmation, and sign-up from an invitation link."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.organisations.services import OrganisationError
from ressourcerie.core.secret_links import secret_link

from .. import invitations, ratelimits, services
from ..forms import EmailForm, InvitationSignupForm, SignupForm
from .common import SESSION_SIGNUP_NEXT, safe_next, too_many


@never_cache
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    wait = 0
    form = SignupForm(request.POST or None)
    # What the person came for (e.g. /dons/demande/): kept in this browser's session until
    # the confirmation link signs them in, which then takes them there.
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        wait = ratelimits.check(request, "signup_ip")
        # The address is counted only when a message would go to it (whether or not it
        # already has an account: the answer must not tell).
        if not wait and form.is_valid():
            wait = ratelimits.check_address("signup_email", form.cleaned_data["email"])
            if not wait:
                services.sign_up(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    display_name=form.cleaned_data["display_name"],
                )
                if next_url:
                    request.session[SESSION_SIGNUP_NEXT] = next_url
                return redirect("accounts:signup_done")
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "next": next_url, "limited_message": too_many(wait) if wait else ""},
        status=429 if wait else 200,
    )


@secret_link
def signup_invitation(request, token):
    """Sign-up from an invitation link, locked to the invited address; ends as a member."""
    invitation = invitations.find_invitation(token)
    invitation_url = reverse("core:invitation", args=[token])
    # The invitation page explains a used, expired or unknown link, and a signed-in account.
    if invitations.invitation_state(invitation) != "valid" or request.user.is_authenticated:
        return redirect(invitation_url)
    wait = 0
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST":
        wait = ratelimits.check(request, "signup_ip")
        if not wait and form.is_valid():
            try:
                user = services.sign_up_from_invitation(
                    raw_token=token,
                    password=form.cleaned_data["password1"],
                    display_name=form.cleaned_data["display_name"],
                )
            except OrganisationError as error:
                form.add_error(None, error.message)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Votre compte est créé et vous êtes membre de %(name)s.")
                    % {"name": invitation.organisation.name},
                )
                return redirect(invitation.organisation.get_absolute_url())
    return render(
        request,
        "accounts/signup_invitation.html",
        {
            "form": form,
            "invitation": invitation,
            "login_url": f"{reverse('accounts:login')}?next={invitation_url}",
            "limited_message": too_many(wait) if wait else "",
        },
        status=429 if wait else 200,
    )


def signup_done(request):
    return render(request, "accounts/signup_done.html")


@secret_link
def confirm_email(request, token):
    try:
        user = services.user_for_confirmation_token(token)
    except services.InvalidConfirmationLink as error:
        return render(
            request, "accounts/confirm_invalid.html", {"expired": error.expired}, status=400
        )
    if user.email_confirmed_at is not None:
        messages.info(request, _("Votre adresse e-mail est déjà confirmée."))
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        return redirect("accounts:login")
    # Confirmation happens on POST: mail scanners that open links must not sign anyone in.
    if request.method == "POST":
        services.confirm_email(user=user)
        next_url = safe_next(request, request.session.pop(SESSION_SIGNUP_NEXT, ""))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Votre adresse est confirmée : bienvenue !"))
        return redirect(next_url or "accounts:profile")
    return render(request, "accounts/confirm_email.html", {"confirm_email": user.email})


@never_cache
def resend_confirmation(request):
    wait = 0
    form = EmailForm(request.POST or None)
    if request.method == "POST":
        wait = ratelimits.check(request, "resend_ip", "resend_email", request.POST.get("email"))
        if not wait and form.is_valid():
            services.resend_confirmation(email=form.cleaned_data["email"])
            return redirect("accounts:signup_done")
    return render(
        request,
        "accounts/resend_confirmation.html",
        {"form": form, "limited_message": too_many(wait) if wait else ""},
        status=429 if wait else 200,
    )


# --- Sign-in --------------------------------------------------------------------------
