"""Asking to manage a listing: a code e-mailed to its published address, or the team."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ressourcerie.core import ratelimit
from ressourcerie.core.navigation import crumbs

from .. import permissions, selectors, services
from ..forms import ClaimCodeCheckForm, ClaimCodeForm, ClaimStaffForm
from ..ratelimits import LIMITS
from .common import PART, place_or_404


@login_required
@require_http_methods(["GET", "POST"])
def claim(request, slug):
    """Ask to manage a listing: a code to its published address, or the team's approval."""
    place = place_or_404(slug)
    if not permissions.can_claim_place(request.user, place):
        messages.info(request, _("Vous gérez déjà cette fiche."))
        return redirect("directory:edit", slug=place.slug)
    structures = list(selectors.support_structures_edited_by(request.user))
    action = request.POST.get("action") if request.method == "POST" else None
    code_form = ClaimCodeForm(
        request.POST if action == "code" else None,
        place=place,
        structures=structures,
        prefix="code",
    )
    staff_form = ClaimStaffForm(
        request.POST if action == "staff" else None,
        place=place,
        structures=structures,
        prefix="staff",
    )
    has_email = bool(selectors.listing_emails(place))
    wait = 0
    if action == "code" and has_email and code_form.is_valid():
        # The code is e-mailed to the listing's address: counted for that address too.
        wait = LIMITS.check_contribution(request, "claim") or LIMITS.check(
            address=("claim_code_email", code_form.cleaned_data["email"])
        )
        if wait:
            code_form.add_error(None, ratelimit.too_many_message(wait))
        else:
            try:
                services.start_code_claim(
                    place=place,
                    user=request.user,
                    email=code_form.cleaned_data["email"],
                    organisation=code_form.chosen_structure(),
                )
            except services.DirectoryError as error:
                code_form.add_error("email", error.message)
            else:
                return redirect("directory:claim_code", slug=place.slug)
    if (
        action == "staff"
        and staff_form.is_valid()
        and (wait := LIMITS.check_contribution(request, "claim"))
    ):
        staff_form.add_error(None, ratelimit.too_many_message(wait))
    if action == "staff" and not wait and staff_form.is_valid():
        services.request_staff_claim(
            place=place,
            user=request.user,
            message=staff_form.cleaned_data["message"],
            organisation=staff_form.chosen_structure(),
        )
        messages.success(
            request,
            _("Demande envoyée : l'équipe vous répond par e-mail, en général sous une semaine."),
        )
        return redirect(place)
    return render(
        request,
        "directory/claim.html",
        {
            "place": place,
            "code_form": code_form,
            "staff_form": staff_form,
            "has_email": has_email,
            "has_structures": bool(structures),
            "crumbs": crumbs(
                PART, "directory:near", (place.name, place.get_absolute_url()), (_("Gérer"), None)
            ),
        },
        status=429 if wait else 400 if action and request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_code(request, slug):
    place = place_or_404(slug)
    pending = services.current_code_claim(place=place, user=request.user)
    if pending is None:
        return redirect("directory:claim", slug=place.slug)
    form = ClaimCodeCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_claim_code(claim=pending, code=form.cleaned_data["code"]):
            messages.success(
                request, _("C'est fait : vous gérez cette fiche. Vérifiez-la et complétez-la.")
            )
            return redirect("directory:edit", slug=place.slug)
        pending.refresh_from_db()
        if pending.attempts >= services.CLAIM_CODE_MAX_ATTEMPTS:
            form.add_error("code", _("Trop d'essais : demandez un nouveau code."))
        else:
            form.add_error("code", _("Code incorrect ou expiré."))
    return render(
        request,
        "directory/claim_code.html",
        {
            "place": place,
            "form": form,
            "sent_to": pending.code_sent_to,
            "crumbs": crumbs(
                PART, "directory:near", (place.name, place.get_absolute_url()), (_("Gérer"), None)
            ),
        },
        status=400 if request.method == "POST" else 200,
    )
