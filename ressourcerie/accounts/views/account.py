"""The account page and the person's contributions to the moderated content."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.core import moderation, moderation_review, navigation
from ressourcerie.core.models import ModerationStatus
from ressourcerie.core.navigation import crumbs

from .. import selectors, services
from ..forms import ProfileForm


@login_required
def profile(request):
    form = ProfileForm(
        request.POST or None,
        initial={
            "display_name": request.user.display_name,
            "event_invitations_opt_in": request.user.event_invitations_opt_in,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            event_invitations_opt_in=form.cleaned_data["event_invitations_opt_in"],
        )
        messages.success(request, _("Votre profil est enregistré."))
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
            "crumbs": crumbs(_("Mon compte"), "accounts:profile", (_("Mes contributions"), None)),
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
            "crumbs": crumbs(
                _("Mon compte"),
                "accounts:profile",
                (_("Mes contributions"), reverse("accounts:contributions")),
                (_("Retirer"), None),
            ),
        },
    )


@login_required
def contribution_edit(request, kind, pk):
    """Change a proposal the team sent back for changes, and send it again to the team."""
    item = moderation.submission_of(request.user, kind, pk)
    if item is None or not moderation_review.can_edit(request.user, item.obj):
        raise Http404
    form = moderation_review.author_form(
        item.obj, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            moderation_review.resubmit(form=form, user=request.user)
        except moderation.ModerationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Votre proposition modifiée est renvoyée à l'équipe."))
            return redirect("accounts:contributions")
    return render(
        request,
        "accounts/contribution_edit.html",
        {
            "item": item,
            "form": form,
            "crumbs": crumbs(
                _("Mon compte"),
                "accounts:profile",
                (_("Mes contributions"), reverse("accounts:contributions")),
                (_("Modifier"), None),
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
