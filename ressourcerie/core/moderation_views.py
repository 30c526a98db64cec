"""The team's moderation queue: /gestion/moderation/."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import moderation
from . import moderation_review as review
from .models import ModerationStatus
from .navigation import crumbs
from .permissions import team_required
from .secret_links import secret_link


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        widget=forms.RadioSelect,
        choices=[
            (ModerationStatus.PUBLISHED, gettext_lazy("Publier (ou marquer comme traité)")),
            (ModerationStatus.CHANGES_REQUESTED, gettext_lazy("Demander des modifications")),
            (ModerationStatus.REJECTED, gettext_lazy("Refuser")),
        ],
    )
    reason = forms.CharField(
        label=gettext_lazy("Motif"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Obligatoire pour une demande de modifications ou un refus ; envoyé à l'auteur."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        needs_reason = cleaned.get("decision") in {
            ModerationStatus.CHANGES_REQUESTED,
            ModerationStatus.REJECTED,
        }
        if needs_reason and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez un motif : il sera envoyé à l'auteur."))
        return cleaned


moderator_required = team_required


@moderator_required
def moderation_queue(request):
    items, counts = moderation.pending_items()
    for item in items:
        item.form = DecisionForm(prefix=f"{item.key}-{item.obj.pk}")
    return render(
        request,
        "core/moderation_queue.html",
        {
            "items": items,
            "counts": counts,
            "total": sum(c["count"] for c in counts),
            "crumbs": crumbs(_("Gestion"), "core:staff", (_("Modération"), None)),
        },
    )


@secret_link  # its <key> is a type's label, no secret: kept out of caches all the same
@require_POST
@moderator_required
def moderation_decide(request, key, pk):
    entry = moderation.moderated_type(key)
    if entry is None:
        raise Http404
    obj = get_object_or_404(entry.model._default_manager, pk=pk)
    form = DecisionForm(request.POST, prefix=f"{key}-{pk}")
    if form.is_valid():
        try:
            moderation.transition(
                obj=obj,
                to_status=form.cleaned_data["decision"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except moderation.ModerationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Décision enregistrée ; l'auteur est prévenu par e-mail."))
            return redirect("core:moderation_queue")
    item = moderation.PendingItem(entry, obj, moderation.history(obj))
    item.form = form
    return render(
        request,
        "core/moderation_decision.html",
        {"item": item},
        status=400,
    )


@secret_link  # its <key> is a type's label, no secret: kept out of caches all the same
@moderator_required
def moderation_review(request, key, pk):
    """The proposal as it would be published (and, for a correction, before and after), its
    history and the decision form — inside the platform, for every moderated type."""
    entry = moderation.moderated_type(key)
    if entry is None:
        raise Http404
    obj = get_object_or_404(entry.model._default_manager, pk=pk)
    item = moderation.PendingItem(entry, obj, moderation.history(obj))
    item.form = DecisionForm(prefix=f"{key}-{pk}")
    return render(
        request,
        "core/moderation_review.html",
        {
            "item": item,
            "rows": review.proposal_rows(obj),
            "diff": review.diff_rows(obj),
            "page_url": review.team_page_url(entry, obj, request.user),
            "pending": obj.moderation_status == ModerationStatus.SUBMITTED,
            "crumbs": crumbs(
                _("Gestion"),
                "core:staff",
                (_("Modération"), reverse("core:moderation_queue")),
                (str(entry.label), None),
            ),
        },
    )
