"""Device requests: an association asks, follows and confirms receipt; the team, its members
and refurbishers open a request, the team validates it, the team or its members close it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ressourcerie.core import ratelimit
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.refusals import verified_association_refusal

from .. import permissions, selectors, services
from ..forms import CloseRequestForm, RequestForm
from ..models import RequestStatus, Transition
from ..ratelimits import LIMITS
from .common import PART, signed_in_or_login


@never_cache
def request_new(request):
    if (response := signed_in_or_login(request)) is not None:
        return response
    organisations = permissions.requesting_organisations(request.user)
    if not organisations.exists():
        raise verified_association_refusal(request.user, request.get_full_path())
    form = RequestForm(request.POST or None, organisations=organisations)
    error = ""
    wait = request.method == "POST" and LIMITS.check(
        user=("request_user", request.user), client=("request_ip", request)
    )
    limited = bool(wait)
    if limited:
        # Nothing recorded; the form comes back as typed.
        error = ratelimit.too_many_message(wait)
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            services.create_request(organisation=organisation, user=request.user, data=data)
        except services.DonationError as exc:
            error = exc.message
        else:
            messages.success(request, _("Votre demande est déposée ; l'équipe va la valider."))
            return redirect("donations:my_requests")
    return render(
        request,
        "donations/request_form.html",
        {
            "form": form,
            "error": error,
            "crumbs": crumbs(PART, "donations:home", (_("Demander du matériel"), None)),
        },
        status=429 if limited else 200,
    )


@never_cache
def my_requests(request):
    if (response := signed_in_or_login(request)) is not None:
        return response
    organisations = permissions.requesting_organisations(request.user)
    requests = selectors.requests_of(organisations)
    return render(
        request,
        "donations/my_requests.html",
        {
            "requests": requests,
            "can_request": organisations.exists(),
            "crumbs": crumbs(PART, "donations:home", (_("Mes demandes"), None)),
        },
    )


@require_POST
def receipt(request, pk):
    if not request.user.is_authenticated:
        raise Http404
    allocation = selectors.allocation_page(pk)
    if allocation is None or not permissions.is_request_member(request.user, allocation.request):
        raise Http404
    try:
        services.confirm_receipt(allocation=allocation, actor=request.user)
    except services.DonationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Réception confirmée. Merci !"))
    return redirect("donations:my_requests")


# --- one request (the team, its members, refurbishers) ---------------------------------------
def _render_request(request, request_obj, *, close_form=None, status=200):
    moves = services.allowed_moves(request_obj, request.user)
    return render(
        request,
        "donations/request_detail.html",
        {
            "req": request_obj,
            "show_contacts": permissions.can_see_request_contacts(request.user, request_obj),
            "can_validate": RequestStatus.VALIDATED in moves,
            "close_form": (close_form or CloseRequestForm())
            if RequestStatus.CLOSED in moves
            else None,
            "history": selectors.history(Transition.Subject.REQUEST, request_obj.pk),
            "crumbs": crumbs(PART, "donations:home", (str(request_obj), None)),
        },
        status=status,
    )


@never_cache
def request_detail(request, pk):
    request_obj = selectors.request_page(pk)
    if request_obj is None or not permissions.can_see_request(request.user, request_obj):
        raise Http404
    return _render_request(request, request_obj)


@require_POST
def request_action(request, pk, action):
    request_obj = selectors.request_page(pk)
    if request_obj is None or not permissions.can_see_request(request.user, request_obj):
        raise Http404
    target = {"valider": RequestStatus.VALIDATED, "clore": RequestStatus.CLOSED}.get(action)
    if target is None:
        raise Http404
    reason = ""
    if target == RequestStatus.CLOSED:
        if RequestStatus.CLOSED not in services.allowed_moves(request_obj, request.user):
            messages.error(request, _("Vous ne pouvez pas clore cette demande."))
            return redirect("donations:request", pk=pk)
        form = CloseRequestForm(request.POST)
        if not form.is_valid():
            # Shown again with what was typed and the message next to the field.
            return _render_request(request, request_obj, close_form=form, status=400)
        reason = form.cleaned_data["reason"]
    try:
        services.transition_request(
            request_obj=request_obj, to_status=target, actor=request.user, reason=reason
        )
    except services.DonationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("La demande est close.")
            if target == RequestStatus.CLOSED
            else _("C'est enregistré."),
        )
    return redirect("donations:request", pk=pk)
