import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ressourcerie.core import moderation, navigation, ratelimit
from ressourcerie.core.models import ModerationStatus
from ressourcerie.core.secret_links import secret_link

from . import personal_data, ratelimits, selectors, services
from .forms import (
    ApiTokenForm,
    CodeForm,
    DeleteAccountForm,
    EmailForm,
    InvitationSignupForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    SetPasswordForm,
    SignupForm,
)
from .models import ApiToken

SESSION_CODE_EMAIL = "accounts_code_email"
SESSION_NEXT = "accounts_next"


def _too_many(wait: int = 0):
    """The refusal of a rate limit: what happened, and when to try again."""
    if not wait:
        return _(
            "Trop de tentatives en peu de temps. Patientez quelques minutes avant de réessayer."
        )
    return f"{_('Trop de tentatives en peu de temps.')} {ratelimit.retry_message(wait)}"


def _codes_locked(until) -> str:
    when = formats.date_format(timezone.localtime(until), "j F à G \\h")
    return _(
        "Trop de codes erronés ont été saisis pour cette adresse : par sécurité, nous "
        "n'envoyons ni n'acceptons plus de code pour elle pour l'instant. Connectez-vous avec "
        "votre mot de passe (ou choisissez-en un avec « Mot de passe oublié »). Revenez après "
        "le %(when)s environ pour recevoir un code."
    ) % {"when": when}


def _safe_next(request, value) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _after_login(request, next_url=""):
    return redirect(next_url or reverse(settings.LOGIN_REDIRECT_URL))


def _crumbs(*items):
    return [(_("Mon compte"), reverse("accounts:profile")), *items]


# --- Sign-up and confirmation ---------------------------------------------------------


@never_cache
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    wait = 0
    form = SignupForm(request.POST or None)
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
                return redirect("accounts:signup_done")
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "limited_message": _too_many(wait) if wait else ""},
        status=429 if wait else 200,
    )


@secret_link
def signup_invitation(request, token):
    """Sign-up from an invitation link, locked to the invited address; ends as a member."""
    from ressourcerie.core.organisations import services as organisations

    invitation = organisations.find_invitation(token)
    invitation_url = reverse("core:invitation", args=[token])
    # The invitation page explains a used, expired or unknown link, and a signed-in account.
    if organisations.invitation_state(invitation) != "valid" or request.user.is_authenticated:
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
            except organisations.OrganisationError as error:
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
            "limited_message": _too_many(wait) if wait else "",
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
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Votre adresse est confirmée : bienvenue !"))
        return redirect("accounts:profile")
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
        {"form": form, "limited_message": _too_many(wait) if wait else ""},
        status=429 if wait else 200,
    )


# --- Sign-in --------------------------------------------------------------------------


@never_cache
def login_view(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated and request.method == "GET":
        return _after_login(request, next_url)
    wait = 0
    form = LoginForm(request.POST or None, request=request)
    if request.method == "POST":
        wait = ratelimits.check(request, "login_ip", "login_email", request.POST.get("email"))
        if wait:
            # An unbound form: rendering must not check the password (that is what we limit).
            form = LoginForm(initial={"email": request.POST.get("email", "")}, request=request)
        elif form.is_valid():
            login(request, form.user)
            return _after_login(request, next_url)
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": next_url,
            "unconfirmed_email": form.cleaned_data.get("email", "")
            if form.is_bound and form.unconfirmed
            else "",
            "limited_message": _too_many(wait) if wait else "",
        },
        status=429 if wait else 200,
    )


@never_cache
def code_request(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    wait = 0
    form = EmailForm(request.POST or None)
    if request.method == "POST":
        wait = ratelimits.check(
            request, "code_request_ip", "code_request_email", request.POST.get("email")
        )
        if not wait and form.is_valid():
            email = services.normalize_email(form.cleaned_data["email"])
            if until := services.code_lock_until(email):
                return render(
                    request,
                    "accounts/code_request.html",
                    {"form": form, "next": next_url, "limited_message": _codes_locked(until)},
                    status=429,
                )
            services.send_login_code(email=email)
            request.session[SESSION_CODE_EMAIL] = email
            request.session[SESSION_NEXT] = next_url
            return redirect("accounts:code_verify")
    return render(
        request,
        "accounts/code_request.html",
        {"form": form, "next": next_url, "limited_message": _too_many(wait) if wait else ""},
        status=429 if wait else 200,
    )


@never_cache
def code_verify(request):
    email = request.session.get(SESSION_CODE_EMAIL)
    if not email:
        return redirect("accounts:code_request")
    wait = 0
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        wait = ratelimits.check(request, "code_verify_ip")
        if not wait and (until := services.code_lock_until(email)):
            return render(
                request,
                "accounts/code_verify.html",
                {"form": form, "code_email": email, "limited_message": _codes_locked(until)},
                status=429,
            )
        if not wait and form.is_valid():
            user = services.verify_login_code(email=email, code=form.cleaned_data["code"])
            if user is not None:
                next_url = _safe_next(request, request.session.pop(SESSION_NEXT, ""))
                request.session.pop(SESSION_CODE_EMAIL, None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return _after_login(request, next_url)
            form.add_error(
                "code",
                _(
                    "Ce code n'est pas valide, a déjà servi ou a expiré (15 minutes, 5 essais). "
                    "Vérifiez-le ou demandez un nouveau code."
                ),
            )
    return render(
        request,
        "accounts/code_verify.html",
        {"form": form, "code_email": email, "limited_message": _too_many(wait) if wait else ""},
        status=429 if wait else 200,
    )


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


# --- Passwords ------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if wait := ratelimits.check(request, "password_reset_ip"):
            return self._limited(self.get_form(), wait)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Counted per typed address whether or not it has an account (the answer must not
        # tell), so nobody can fill someone's inbox from many addresses.
        if wait := ratelimits.check_address("password_reset_email", form.cleaned_data["email"]):
            return self._limited(form, wait)
        return super().form_valid(form)

    def _limited(self, form, wait):
        context = self.get_context_data(form=form, limited_message=_too_many(wait))
        return self.render_to_response(context, status=429)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("limited_message", "")
        return super().get_context_data(**kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The link reached the inbox: that confirms the address too.
        if form.user.email_confirmed_at is None:
            services.confirm_email(user=form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def get_form_class(self):
        # Accounts used only with e-mailed codes have no old password to type.
        if not self.request.user.has_usable_password():
            return SetPasswordForm
        return super().get_form_class()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("crumbs", _crumbs((_("Changer de mot de passe"), None)))
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe a été changé."))
        return super().form_valid(form)


# --- Profile, tokens, data ------------------------------------------------------------


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, initial={"display_name": request.user.display_name})
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, display_name=form.cleaned_data["display_name"])
        messages.success(request, _("Votre nom affiché est enregistré."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": selectors.memberships_of(request.user),
            "account_entries": navigation.account_entries(),
        },
    )


@login_required
def contributions(request):
    """Everything this person proposed (tools, corrections, testimonials, place edits…), with
    where it stands and, when the team asked for changes or declined, why."""
    return render(
        request,
        "accounts/contributions.html",
        {
            "groups": moderation.submissions_by(request.user),
            "crumbs": [
                (_("Mon compte"), reverse("accounts:profile")),
                (_("Mes contributions"), None),
            ],
        },
    )


@login_required
def contribution_withdraw(request, kind, pk):
    """Take back a proposal the team has not published yet (GET asks, POST does)."""
    item = moderation.submission_of(request.user, kind, pk)
    if item is None or not moderation.can_withdraw(request.user, item.obj):
        raise Http404
    if request.method == "POST":
        try:
            moderation.transition(
                obj=item.obj, to_status=ModerationStatus.WITHDRAWN, actor=request.user
            )
        except moderation.ModerationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Votre proposition est retirée : l'équipe ne la traitera pas.")
            )
        return redirect("accounts:contributions")
    return render(
        request,
        "accounts/contribution_withdraw.html",
        {
            "item": item,
            "crumbs": [
                (_("Mon compte"), reverse("accounts:profile")),
                (_("Mes contributions"), reverse("accounts:contributions")),
                (_("Retirer"), None),
            ],
        },
    )


@never_cache
@login_required
def api_tokens(request):
    form = ApiTokenForm(
        request.POST or None, active_count=selectors.active_api_tokens_count(request.user)
    )
    created = None
    raw_token = ""
    if request.method == "POST" and form.is_valid():
        created, raw_token = services.create_api_token(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm(active_count=0)
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "created": created,
            "raw_token": raw_token,
            "tokens": selectors.api_tokens_of(request.user),
            "crumbs": _crumbs((_("Jetons d'API"), None)),
        },
    )


@secret_link
@require_POST
@login_required
def api_token_revoke(request, token_id):
    try:
        token = services.revoke_api_token(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
    return redirect("accounts:api_tokens")


@never_cache
@login_required
def personal_data_export(request):
    data = {
        "plateforme": settings.SITE_NAME,
        "adresse": settings.SITE_URL,
        "genere_le": timezone.localdate(),
        "donnees": personal_data.collect(request.user),
    }
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="mes-donnees-{timezone.localdate().isoformat()}.json"'
    )
    return response


@never_cache
@login_required
def delete_account(request):
    user = request.user
    limited = False
    form = DeleteAccountForm(user=user)
    if request.method == "POST":
        if request.POST.get("action") == "send_code" and not user.has_usable_password():
            if ratelimits.allow("code_request_email", user.email):
                services.send_deletion_code(user=user)
                messages.info(request, _("Un code vient de vous être envoyé par e-mail."))
            else:
                messages.error(request, _too_many())
            return redirect("accounts:delete")
        if not ratelimits.allow("delete_user", str(user.pk)):
            limited = True
        else:
            form = DeleteAccountForm(request.POST, user=user)
            if form.is_valid():
                services.delete_account(user=user)
                logout(request)
                messages.success(
                    request, _("Votre compte et vos données personnelles ont été supprimés.")
                )
                return redirect("core:home")
    return render(
        request,
        "accounts/delete.html",
        {
            "form": form,
            "has_password": user.has_usable_password(),
            "crumbs": _crumbs((_("Supprimer mon compte"), None)),
            "limited_message": _too_many() if limited else "",
        },
        status=429 if limited else 200,
    )
