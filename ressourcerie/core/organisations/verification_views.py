"""The team's "Associations à vérifier" queue: /gestion/associations/."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..models import Organisation
from ..navigation import crumbs
from ..permissions import team_required
from . import selectors, verification
from .verification import V


class DecisionForm(forms.Form):
    # One click: each button of the page sends its own decision.
    decision = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=[
            (V.VERIFIED, gettext_lazy("Vérifiée")),
            (V.INCOMPLETE, gettext_lazy("Il manque quelque chose")),
        ],
    )
    reason = forms.CharField(
        label=gettext_lazy("Message à l'association"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Obligatoire pour « Demander ce qui manque » : dites quoi ; envoyé à ses membres."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == V.INCOMPLETE and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason", _("Indiquez ce qui manque : le message est envoyé à l'association.")
            )
        return cleaned


def _row(organisation, form=None):
    return {
        "organisation": organisation,
        "checks": verification.checklist(organisation),
        "since": selectors.waiting_since(organisation),
        "last_step": selectors.last_step(organisation),
        "form": form or DecisionForm(prefix=organisation.slug),
    }


def _crumbs():
    return crumbs(_("Gestion"), "core:staff", (_("Associations à vérifier"), None))


@team_required
def verification_queue(request):
    rows = [_row(o) for o in verification.verification_queue()[:100]]
    return render(
        request,
        "core/verification_queue.html",
        {
            "pending": [r for r in rows if r["organisation"].verification_status == V.PENDING],
            "incomplete": [
                r for r in rows if r["organisation"].verification_status == V.INCOMPLETE
            ],
            "delay": selectors.USUAL_DELAY_DAYS,
            "crumbs": _crumbs(),
        },
    )


@require_POST
@team_required
def verification_decide(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = DecisionForm(request.POST, prefix=organisation.slug)
    if form.is_valid():
        try:
            verification.transition_verification(
                organisation=organisation,
                to_status=form.cleaned_data["decision"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except verification.VerificationError as error:
            form.add_error(None, error.message)
        else:
            if form.cleaned_data["decision"] == V.VERIFIED:
                text = _("« %(name)s » est vérifiée ; ses membres sont prévenus par e-mail.")
            else:
                text = _("Demande envoyée à « %(name)s » ; elle revient ici une fois complétée.")
            messages.success(request, text % {"name": organisation.name})
            return redirect("core:verification_queue")
    return render(
        request,
        "core/verification_decision.html",
        {"row": _row(organisation, form), "crumbs": _crumbs()},
        status=400,
    )
