"""Sign-in with a password or an e-mailed one-time code, and sign-out."""

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import ratelimits, services
from ..forms import CodeForm, EmailForm, LoginForm
from .common import SESSION_CODE_EMAIL, SESSION_NEXT, after_login, safe_next, too_many


def _codes_locked(until) -> str:
    when = formats.date_format(timezone.localtime(until), "j F à G \\h")
    return _(
        "Trop de codes erronés ont été saisis pour cette adresse : par sécurité, nous "
        "n'envoyons ni n'acceptons plus de code pour elle pour l'instant. Connectez-vous avec "
        "votre mot de passe (ou choisissez-en un avec « Mot de passe oublié »). Revenez après "
        "le %(when)s environ pour recevoir un code."
    ) % {"when": when}


@never_cache
def login_view(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated and request.method == "GET":
        return after_login(request, next_url)
    wait = 0
    form = LoginForm(request.POST or None, request=request)
    if request.method == "POST":
        wait = ratelimits.check(request, "login_ip", "login_email", request.POST.get("email"))
        if wait:
            # An unbound form: rendering must not check the password (that is what we limit).
            form = LoginForm(initial={"email": request.POST.get("email", "")}, request=request)
        elif form.is_valid():
            login(request, form.user)
            return after_login(request, next_url)
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": next_url,
            "unconfirmed_email": form.cleaned_data.get("email", "")
            if form.is_bound and form.unconfirmed
            else "",
            "limited_message": too_many(wait) if wait else "",
        },
        status=429 if wait else 200,
    )


@never_cache
def code_request(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
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
        {"form": form, "next": next_url, "limited_message": too_many(wait) if wait else ""},
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
                next_url = safe_next(request, request.session.pop(SESSION_NEXT, ""))
                request.session.pop(SESSION_CODE_EMAIL, None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return after_login(request, next_url)
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
        {"form": form, "code_email": email, "limited_message": too_many(wait) if wait else ""},
        status=429 if wait else 200,
    )


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]
