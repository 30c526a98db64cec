"""Expert opinions: the team asks a directory actor (or anyone by name and e-mail) through a
private link; the expert answers once, without an account, seeing only the project, the plan
and the documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.secret_links import secret_link

from .. import permissions
from ..errors import FundError
from ..forms.instruction import ExpertAnswerForm, ExpertRequestForm
from ..selectors import instruction as selectors
from ..services import instruction as services
from .instruction import application_or_404, staff_crumbs


@never_cache
@login_required
def expert_request(request, reference):
    """GET: the request form; POST: ask (``revoke=<id>``: withdraw a link)."""
    application = application_or_404(reference)
    if not permissions.can_manage_fund(request.user):
        raise Http404
    form = ExpertRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if "revoke" in request.POST:
            wanted = request.POST.get("revoke", "").strip()
            opinion = (
                application.expert_opinions.filter(pk=int(wanted)).first()
                if wanted.isdigit() and len(wanted) < 12
                else None
            )
            if opinion is None:
                raise Http404
            try:
                services.revoke_expert(opinion=opinion, actor=request.user)
                messages.success(request, _("Le lien de l'expert est retiré."))
            except FundError as error:
                messages.error(request, error.message)
            return redirect("fund:instruction", reference=application.reference)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.request_expert(
                    application=application,
                    actor=request.user,
                    name=data["expert_name"],
                    email=data["expert_email"],
                    deadline=data["deadline"],
                    question=data["question"],
                    organisation=data["organisation"],
                )
                messages.success(
                    request,
                    _("La demande d'avis est envoyée à %(email)s.")
                    % {"email": data["expert_email"]},
                )
                return redirect("fund:instruction", reference=application.reference)
            except FundError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        status = 400
    return render(
        request,
        "fund/instruction/expert_request.html",
        {
            "application": application,
            "form": form,
            "experts": selectors.expert_opinions_of(application),
            "crumbs": staff_crumbs((_("Demander un avis d'expert"), None)),
        },
        status=status,
    )


@secret_link
def expert_opinion(request, token):
    opinion = selectors.expert_by_hash(token)
    if opinion is None:
        raise Http404
    application = opinion.application
    context = {"opinion": opinion, "application": application, "token": token}
    if opinion.revoked_at is not None:
        context["closed"] = _(
            "Ce lien a été retiré par l'équipe du fonds : il ne donne plus accès au dossier."
        )
        return render(request, "fund/instruction/expert_opinion.html", context, status=410)
    if opinion.answered_at is not None:
        context["closed"] = _("Votre avis a été rendu : merci. Ce lien ne sert plus.")
        return render(request, "fund/instruction/expert_opinion.html", context, status=410)
    form = ExpertAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_expert(
                    raw_token=token,
                    opinion_text=form.cleaned_data["opinion"],
                    recommendation=form.cleaned_data["recommendation"],
                )
                context["closed"] = _("Votre avis est enregistré : merci pour votre aide.")
                return render(request, "fund/instruction/expert_opinion.html", context)
            except FundError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        status = 400
    snapshot = application.diagnostic_snapshot
    chosen = set(application.action_keys or [])
    context.update(
        {
            "form": form,
            "chosen_actions": selectors.chosen_actions(application),
            "other_actions": [a for a in snapshot.get("actions", []) if a.get("key") not in chosen],
            "documents": list(application.documents.all()),
        }
    )
    return render(request, "fund/instruction/expert_opinion.html", context, status=status)
