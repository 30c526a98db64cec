"""A listing's managers: proposing an edit, saying "toujours à jour" (page or e-mailed link)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ressourcerie.accounts.services import InvalidConfirmationLink
from ressourcerie.core import ratelimit
from ressourcerie.core.models import ModerationStatus
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.secret_links import secret_link

from .. import listings, permissions, selectors, services
from ..forms import CODE_LIST_FIELDS, ConfirmForm, PlaceEditForm
from ..ratelimits import LIMITS
from .common import PART, place_or_404


@login_required
@require_http_methods(["GET", "POST"])
def edit_place(request, slug):
    place = place_or_404(slug)
    if not permissions.can_edit_place(request.user, place):
        raise permissions.edit_refusal(place)
    form = PlaceEditForm(request.POST or None, place=place)
    wait = 0
    if (
        request.method == "POST"
        and form.is_valid()
        and (wait := LIMITS.check_contribution(request, "edit"))
    ):
        form.add_error(None, ratelimit.too_many_message(wait))
    if request.method == "POST" and not wait and form.is_valid():
        try:
            edit = services.propose_place_edit(place=place, user=request.user, data=form.changes())
        except services.DirectoryError as error:
            form.add_error(None, error.message)
        else:
            if form.hours_from_grid and "opening_hours" in edit.changes:
                messages.info(
                    request,
                    _("Horaires enregistrés au format OpenStreetMap : « %(value)s ».")
                    % {"value": edit.changes["opening_hours"] or _("aucun horaire")},
                )
            if edit.moderation_status == ModerationStatus.PUBLISHED:
                messages.success(request, _("Fiche modifiée."))
            else:
                messages.success(
                    request,
                    _(
                        "Merci : vos modifications sont enregistrées et seront publiées après "
                        "relecture par l'équipe."
                    ),
                )
            return redirect(place)
    return render(
        request,
        "directory/edit.html",
        {
            "place": place,
            "form": form,
            "pending": selectors.pending_edits(place).exists(),
            "checkbox_fields": list(CODE_LIST_FIELDS),
            "crumbs": crumbs(
                PART,
                "directory:near",
                (place.name, place.get_absolute_url()),
                (_("Modifier"), None),
            ),
        },
        status=429 if wait else 400 if request.method == "POST" else 200,
    )


@secret_link
@require_http_methods(["GET", "POST"])
def confirm_by_link(request, token):
    """The "toujours à jour" link of the reminder: GET shows a button, POST confirms (mail
    scanners follow links; a GET must change nothing)."""
    try:
        place = services.place_for_reminder_token(token)
    except InvalidConfirmationLink as error:
        return render(
            request,
            "directory/confirm.html",
            {"place": None, "expired": error.expired, "done": False, "form": None},
            status=400,
        )
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    done = False
    if request.method == "POST" and form.is_valid():
        services.confirm_place(
            place=place, by=request.user if request.user.is_authenticated else None
        )
        done = True
    return render(
        request,
        "directory/confirm.html",
        {"place": place, "expired": False, "done": done, "form": form},
    )


@require_POST
@login_required
def confirm_current(request, slug):
    place = place_or_404(slug)
    if not permissions.can_edit_place(request.user, place):
        raise permissions.edit_refusal(place)
    if listings.pending_edit_by(place, request.user) is not None:
        # "Toujours à jour" would vouch for the published values the pending edit changes.
        messages.error(
            request,
            _(
                "Votre modification de cette fiche attend la relecture de l'équipe : la fiche "
                "sera confirmée à jour quand elle sera publiée."
            ),
        )
        return redirect(place)
    services.confirm_place(place=place, by=request.user)
    messages.success(request, _("Merci : la fiche est confirmée à jour."))
    return redirect(place)
