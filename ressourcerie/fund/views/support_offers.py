"""The private link of an offer: the actor reads the support (the association's town, the
plan actions, the days — not its contact before acceptance) and accepts or declines. Signed
in as a member or editor of the proposed structure only; a link that no longer serves says
why and changes nothing."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core.secret_links import secret_link

from .. import permissions, text
from ..errors import FundError
from ..forms.support import DeclineForm
from ..models import OfferStatus
from ..selectors import support as selectors
from ..services import support_offers as services

TEMPLATE = "fund/support/offer.html"


def _closed_message(offer) -> str:
    if offer.status == OfferStatus.SENT and offer.expires_at < timezone.now():
        return str(services.GONE_MESSAGES[OfferStatus.EXPIRED])
    if offer.status == OfferStatus.SENT:
        return ""
    return str(services.GONE_MESSAGES[offer.status])


@secret_link
def offer(request, token):
    found = selectors.offer_by_token(token)
    if found is None:
        raise Http404
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    support, cohort = found.support, found.cohort
    context = {
        "offer": found,
        "support": support,
        "cohort": cohort,
        "actions": selectors.actions_of(support) if support else selectors.cohort_actions(cohort),
        "days": text.days(support.days_granted if support else (cohort.days_planned or 0)),
        "may_answer": permissions.acts_for(request.user, found.actor),
        "closed": _closed_message(found),
        "form": DeclineForm(),
    }
    if context["closed"]:
        return render(request, TEMPLATE, context, status=410)
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    form = DeclineForm(request.POST) if "decline" in request.POST else DeclineForm()
    context["form"] = form
    try:
        if "accept" in request.POST:
            services.accept(raw_token=token, user=request.user)
            messages.success(request, _("C'est noté : l'accompagnement vous est attribué."))
            if support is not None:
                return redirect("fund:support_actor", reference=support.application.reference)
            return redirect("fund:actor_supports")
        if form.is_valid():
            services.decline(
                raw_token=token,
                user=request.user,
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
            context["closed"] = _("Votre réponse est enregistrée : merci. Ce lien ne sert plus.")
            return render(request, TEMPLATE, context)
    except FundError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
        else:
            context["error"] = error.message
    return render(request, TEMPLATE, context, status=400)
