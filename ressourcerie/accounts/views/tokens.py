"""Personal API tokens: create (shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ressourcerie.core.navigation import crumbs
from ressourcerie.core.secret_links import secret_link

from .. import selectors, services
from ..forms import ApiTokenForm
from ..models import ApiToken


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
            "crumbs": crumbs(_("Mon compte"), "accounts:profile", (_("Jetons d'API"), None)),
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
