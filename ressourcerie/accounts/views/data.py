"""The person's data: download it all, or erase the account."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.navigation import crumbs

from .. import personal_data, ratelimits, services
from ..forms import DeleteAccountForm
from .common import too_many


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
    wait = 0
    form = DeleteAccountForm(user=user)
    if request.method == "POST":
        if request.POST.get("action") == "send_code" and not user.has_usable_password():
            if wait := ratelimits.check_address("code_request_email", user.email):
                messages.error(request, too_many(wait))
            else:
                services.send_deletion_code(user=user)
                messages.info(request, _("Un code vient de vous être envoyé par e-mail."))
            return redirect("accounts:delete")
        wait = ratelimits.check_user("delete_user", user)
        if not wait:
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
            "crumbs": crumbs(
                _("Mon compte"), "accounts:profile", (_("Supprimer mon compte"), None)
            ),
            "limited_message": too_many(wait) if wait else "",
        },
        status=429 if wait else 200,
    )
