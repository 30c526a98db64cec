"""A person's registrations: the private page of one (confirm, accept an offer, withdraw,
certificate), "Mes inscriptions" and the private calendar feed's key."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from ressourcerie.core import ratelimit
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.secret_links import secret_link
from ressourcerie.core.tokens import hash_token

from .. import housekeeping, pdf, selectors, services
from ..models import Attendance, Registration, RegistrationStatus
from ..ratelimits import LIMITS
from .common import PART, signed_in_or_login

ACTIONS = {
    "confirm": (services.confirm_registration, gettext_lazy("Votre inscription est confirmée.")),
    "accept": (services.accept_offer, gettext_lazy("La place est à vous : vous êtes inscrit.")),
    "withdraw": (services.withdraw, gettext_lazy("Vous êtes désinscrit. Merci d'avoir prévenu.")),
}


def _by_secret(secret) -> Registration:
    if not secret or len(secret) > 100:
        raise Http404
    registration = (
        Registration.objects.select_related("event__organiser", "organisation", "session")
        .filter(token_hash=hash_token(secret))
        .first()
    )
    if registration is None:
        raise Http404
    return registration


@secret_link
def registration(request, secret):
    registration = _by_secret(secret)
    errors, status = [], 200
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        wait = LIMITS.check(client=("registration_action_ip", request))
        if wait:
            errors.append(ratelimit.too_many_message(wait))
            status = 429
        elif action is None:
            errors.append(_("Choisissez une action."))
            status = 400
        else:
            function, done = action
            kwargs = {"registration": registration}
            if function is not services.confirm_registration:
                kwargs["actor"] = request.user if request.user.is_authenticated else None
            try:
                function(**kwargs)
            except services.AgendaError as error:
                errors.append(error.message)
                status = 400
            else:
                messages.success(request, done)
                return redirect("agenda:registration", secret)
    event = registration.event
    return render(
        request,
        "agenda/registration.html",
        {
            "registration": registration,
            "event": event,
            "sessions": selectors.sessions_of(registration),
            "secret": secret,
            "errors": errors,
            "can_withdraw": services.can_withdraw(registration),
            "offer_open": registration.status == RegistrationStatus.OFFERED
            and registration.offer_expires_at > timezone.now(),
            "show_link": registration.status == RegistrationStatus.REGISTERED,
            "certificate": registration.attendance == Attendance.PRESENT,
            "history": registration.transitions.all(),
            "crumbs": crumbs(PART, "agenda:index", (_("Mon inscription"), None)),
        },
        status=status,
    )


@secret_link
def certificate(request, secret):
    registration = _by_secret(secret)
    if registration.attendance != Attendance.PRESENT:
        raise Http404
    body = pdf.certificate(registration, selectors.sessions_of(registration))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="attestation-{registration.event_id}.pdf"'
    )
    return response


@never_cache
def mine(request):
    if refusal := signed_in_or_login(request):
        return refusal
    rows = [
        (r, services.registration_secret(r) if r.token_hash else "")
        for r in Registration.objects.filter(user=request.user)
        .select_related("event", "session")
        .order_by("-event__starts_at", "-pk")[:100]
    ]
    return render(
        request,
        "agenda/mine.html",
        {
            "rows": rows,
            "has_key": hasattr(request.user, "agenda_calendar_key"),
            "feed_token": request.session.pop("agenda_feed_token", ""),
            "crumbs": crumbs(PART, "agenda:index", (_("Mes inscriptions"), None)),
        },
    )


def calendar_key(request):
    if refusal := signed_in_or_login(request):
        return refusal
    if request.method != "POST":
        return redirect("agenda:mine")
    if request.POST.get("action") == "revoke":
        housekeeping.revoke_calendar_key(user=request.user)
        messages.success(request, _("Votre lien d'agenda privé ne fonctionne plus."))
    else:
        # Shown once on the next page, never stored in clear.
        request.session["agenda_feed_token"] = housekeeping.new_calendar_key(user=request.user)
        messages.success(
            request, _("Votre nouveau lien d'agenda privé est prêt ; l'ancien ne fonctionne plus.")
        )
    return redirect("agenda:mine")
