"""The team's newsletter pages: editions (write, preview, schedule, send with confirmation)
and subscribers (list, CSV)."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required

from .. import dispatch, rendering, selectors, sending, services
from ..forms import (
    DeleteSubscriberForm,
    EditionForm,
    PreviewForm,
    ScheduleForm,
)
from ..models import Edition, EditionStatus, Topic, encode_topics
from ..services import NewsletterError
from .public import PART


@team_required
def staff_editions(request):
    return render(
        request,
        "newsletter/staff/editions.html",
        {
            "editions": Edition.objects.all()[:200],
            "crumbs": crumbs(_("Gestion"), "core:staff", (PART, None)),
        },
    )


@team_required
def staff_edition_edit(request, pk=None):
    edition = get_object_or_404(Edition, pk=pk) if pk else Edition()
    if not services.is_editable(edition):
        return redirect("newsletter:staff_edition", pk=edition.pk)
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_edition(edition=form.save(commit=False), by=request.user)
        except NewsletterError as error:
            messages.error(request, error.message)
            return redirect("newsletter:staff_edition", pk=edition.pk)
        messages.success(request, _("L'édition est enregistrée."))
        return redirect("newsletter:staff_edition", pk=form.instance.pk)
    label = _("Modifier") if pk else _("Nouvelle édition")
    return render(
        request,
        "newsletter/staff/edition_form.html",
        {
            "form": form,
            "edition": edition,
            "crumbs": crumbs(
                _("Gestion"),
                "core:staff",
                (PART, reverse("newsletter:staff_editions")),
                (label, None),
            ),
        },
    )


def _edition_actions(edition, user) -> dict:
    """The buttons of the edition page, from the moves the service allows this person."""
    moves = services.allowed_moves(edition, user)
    resume = edition.status == EditionStatus.SENDING
    return {
        "can_send": EditionStatus.SENDING in moves or resume,
        "resume": resume,
        "can_schedule": EditionStatus.SCHEDULED in moves,
        "can_unschedule": EditionStatus.DRAFT in moves,
    }


@team_required
def staff_edition(request, pk):
    edition = get_object_or_404(Edition, pk=pk)
    preview_form = PreviewForm(request.GET or None)
    topics, department_id = None, None
    if preview_form.is_valid():
        topics = preview_form.cleaned_data["topics"] or None
        dept = preview_form.cleaned_data["department"]
        department_id = dept.pk if dept else None
    renderer = rendering.EditionRenderer(edition)
    codes = topics if topics is not None else list(Topic.values)
    # The text as a recipient reads it: real links, not the placeholders.
    text, _html = renderer.preview(
        encode_topics(codes),
        department_id,
        subscriber=selectors.subscriber_for_user(request.user),
    )
    raw = renderer.message(
        delivery_id=0,
        email="apercu@example.org",
        topics=encode_topics(codes),
        department_id=department_id,
        subscriber_id=0,
        token_version=0,
    )
    return render(
        request,
        "newsletter/staff/edition.html",
        {
            "edition": edition,
            "preview_form": preview_form,
            "preview_text": text,
            "preview": renderer.context(codes, department_id),
            "size_kb": round(len(raw) / 1024, 1),
            "schedule_form": ScheduleForm(),
            "progress": selectors.delivery_progress(edition),
            "editable": services.is_editable(edition),
            **_edition_actions(edition, request.user),
            "crumbs": crumbs(
                _("Gestion"),
                "core:staff",
                (PART, reverse("newsletter:staff_editions")),
                (edition.subject, None),
            ),
        },
    )


@team_required
@require_POST
def staff_edition_action(request, pk, action):
    edition = get_object_or_404(Edition, pk=pk)
    if action == "test":
        renderer = rendering.EditionRenderer(edition)
        raw = renderer.message(
            delivery_id=0,
            email=request.user.email,
            topics=encode_topics(Topic.values),
            department_id=None,
            subscriber_id=0,
            token_version=0,
        )
        transport = sending.make_transport()
        try:
            transport.open()
            transport.send(renderer.from_addr, request.user.email, raw)
            transport.close()
            messages.success(
                request, _("Un essai est parti vers %(email)s.") % {"email": request.user.email}
            )
        except Exception as exc:  # noqa: BLE001 — shown to staff, never a 500
            messages.error(request, _("L'essai n'a pas pu partir : %(error)s") % {"error": exc})
    elif action == "send" and request.POST.get("confirmed") != "1":
        # Sending reaches every subscriber: never on one click, always from the page that
        # says how many (the edition page links to it).
        return redirect("newsletter:staff_edition_send", pk=edition.pk)
    elif action in ("schedule", "unschedule", "send"):
        try:
            _move_edition(request, edition, action)
        except NewsletterError as error:
            messages.error(request, error.message)
    else:
        raise Http404
    return redirect("newsletter:staff_edition", pk=edition.pk)


def _move_edition(request, edition, action):
    if action == "schedule":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            raise NewsletterError(_("Indiquez une date et une heure à venir."))
        at = form.cleaned_data["scheduled_at"]
        services.schedule_edition(edition=edition, at=at, by=request.user)
        messages.success(request, _("L'envoi est programmé."))
    elif action == "unschedule":
        services.unschedule_edition(edition=edition, by=request.user)
        messages.success(request, _("La programmation est annulée."))
    else:
        dispatch.start_sending(edition=edition, actor=request.user)
        waiting = selectors.delivery_progress(edition)["waiting"]
        messages.success(
            request,
            ngettext(
                "L'envoi a commencé : %(n)s message est en file d'attente.",
                "L'envoi a commencé : %(n)s messages sont en file d'attente.",
                waiting,
            )
            % {"n": waiting},
        )


@team_required
def staff_edition_send(request, pk):
    """ "Envoyer maintenant" asks first: how many addresses, then a button that sends."""
    edition = get_object_or_404(Edition, pk=pk)
    actions = _edition_actions(edition, request.user)
    if not actions["can_send"]:
        messages.info(request, _("Cette édition ne peut pas être envoyée maintenant."))
        return redirect("newsletter:staff_edition", pk=edition.pk)
    if actions["resume"]:
        recipients = selectors.delivery_progress(edition)["waiting"]
    else:
        recipients = selectors.confirmed_count()
    return render(
        request,
        "newsletter/staff/edition_send.html",
        {
            "edition": edition,
            "recipients": recipients,
            "resume": actions["resume"],
            "crumbs": crumbs(
                _("Gestion"),
                "core:staff",
                (PART, reverse("newsletter:staff_editions")),
                (edition.subject, reverse("newsletter:staff_edition", args=[edition.pk])),
                (_("Envoyer"), None),
            ),
        },
    )


@team_required
def staff_subscribers(request):
    form = DeleteSubscriberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deleted = services.delete_subscriber(email=form.cleaned_data["email"])
        if deleted:
            messages.success(request, _("L'adresse et ses traces sont supprimées."))
        else:
            messages.info(request, _("Aucun abonné n'a cette adresse."))
        return redirect("newsletter:staff_subscribers")
    return render(
        request,
        "newsletter/staff/subscribers.html",
        {
            "form": form,
            "counts": selectors.counts(),
            "crumbs": crumbs(
                _("Gestion"),
                "core:staff",
                (PART, reverse("newsletter:staff_editions")),
                (_("Abonnés"), None),
            ),
        },
    )


@team_required
def staff_subscribers_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="abonnes-lettre.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["adresse_e_mail", "statut", "themes", "departement", "inscrit_le", "confirme_le", "echecs"]
    )
    for s in selectors.subscribers_for_export().iterator():
        writer.writerow(
            [
                # A leading = + - @ would be a formula in a spreadsheet.
                ("'" + s.email) if s.email[:1] in "=+-@" else s.email,
                s.status,
                " ".join(s.topic_codes),
                s.department.code if s.department else "",
                s.created_at.isoformat(),
                s.confirmed_at.isoformat() if s.confirmed_at else "",
                s.bounce_count,
            ]
        )
    return response
