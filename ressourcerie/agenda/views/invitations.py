"""The organiser invites the associations whose diagnostic plan matches (invitations.py):
the platform sends, the organiser sees counts only."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from ressourcerie.core import ratelimit
from ressourcerie.core.navigation import crumbs
from ressourcerie.diagnostic import selectors as diagnostic

from .. import invitations
from ..errors import AgendaError
from ..ratelimits import LIMITS
from .common import PART, event_or_404, signed_in_or_login


def _sent_message(round_) -> str:
    if not round_.associations:
        return _(
            "Aucune nouvelle association à inviter dans ce département : aucune n'a ces actions "
            "dans son plan avec un membre qui accepte les invitations, ou elles sont déjà "
            "invitées."
        )
    return ngettext(
        "Invitation envoyée à %(n)s association (%(people)s).",
        "Invitations envoyées à %(n)s associations (%(people)s).",
        round_.associations,
    ) % {
        "n": round_.associations,
        "people": ngettext("%(p)s personne", "%(p)s personnes", round_.recipients)
        % {"p": round_.recipients},
    }


@never_cache
def invite(request, pk):
    if refusal := signed_in_or_login(request):
        return refusal
    event = event_or_404(request, pk, edit=True)
    initial = {"department": event.department_code} if event.department_code else {}
    form = invitations.InviteForm(request.POST or None, initial=initial)
    refused = invitations.can_invite(event)
    status = 200
    if request.method == "POST" and not refused and form.is_valid():
        wait = LIMITS.check(
            user=("invite_user", request.user), key=("invite_event", f"event:{event.pk}")
        )
        if wait:
            form.add_error(None, ratelimit.too_many_message(wait, kept=False))
            status = 429
        else:
            try:
                round_ = invitations.invite_associations(
                    event=event,
                    actor=request.user,
                    department_code=form.cleaned_data["department"].code,
                )
            except AgendaError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _sent_message(round_))
                return redirect(reverse("agenda:invite", args=[event.pk]))
    if request.method == "POST" and status == 200:
        status = 400  # not sent: refused, or the form's error is shown
    return render(
        request,
        "agenda/invite.html",
        {
            "event": event,
            "form": form,
            "refused": refused,
            "actions": diagnostic.plan_action_titles(event.plan_action_keys),
            "rounds": invitations.rounds_of(event),
            "invited": invitations.invited_count(event),
            "crumbs": crumbs(
                PART,
                "agenda:index",
                (event.title, event.get_absolute_url()),
                (_("Inviter les associations"), None),
            ),
        },
        status=status,
    )
