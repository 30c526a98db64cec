"""The organiser's pages: their events, the event form, publication and status, the
registrations with attendance and its CSV, and the approval decisions."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.core.models import Organisation, OrganisationKind
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import can_moderate

from .. import exports, permissions, selectors, services
from ..forms import AttendanceForm, EventForm, RefuseForm, SessionFormSet, session_initial
from ..models import Publication, RegistrationStatus, Status
from .common import PART, event_or_404, signed_in_or_login


def _structures(user):
    if can_moderate(user):
        return Organisation.objects.filter(kind=OrganisationKind.SUPPORT_STRUCTURE).order_by("name")
    return permissions.organiser_structures(user).order_by("name")


@never_cache
def organiser(request):
    if refusal := signed_in_or_login(request):
        return refusal
    structures = permissions.organiser_structures(request.user)
    return render(
        request,
        "agenda/organiser.html",
        {
            "events": selectors.editable_events(request.user, structures)[:200],
            "can_create": permissions.can_create_event(request.user),
            "crumbs": crumbs(PART, "agenda:index", (_("Mes événements"), None)),
        },
    )


def _form_page(request, *, event=None):
    if refusal := signed_in_or_login(request):
        return refusal
    if event is None and not permissions.can_create_event(request.user):
        raise permissions.create_refusal()
    structures = _structures(request.user)
    initial = EventForm.initial_from(event) if event else {}
    form = EventForm(request.POST or None, initial=initial, structures=structures)
    sessions = SessionFormSet(
        request.POST or None, prefix="seances", initial=session_initial(event) if event else None
    )
    errors = []
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        try:
            saved = services.save_event(
                actor=request.user,
                data=form.event_data(),
                sessions=sessions.sessions(),
                co_organisers=form.cleaned_data["co_organisers"],
                event=event,
            )
        except services.AgendaError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                errors.append(error.message)
        else:
            messages.success(request, _("L'événement est enregistré."))
            return redirect(saved)
    errors += list(sessions.non_form_errors())
    label = _("Modifier l'événement") if event else _("Nouvel événement")
    return render(
        request,
        "agenda/event_form.html",
        {
            "form": form,
            "sessions": sessions,
            "errors": errors,
            "event": event,
            "title": label,
            "crumbs": crumbs(PART, "agenda:index", (label, None)),
        },
    )


@never_cache
def create(request):
    return _form_page(request)


@never_cache
def edit(request, pk):
    if refusal := signed_in_or_login(request):
        return refusal
    return _form_page(request, event=event_or_404(request, pk, edit=True))


def publish(request, pk):
    """POST: the organiser's "Publier" (to moderation, or straight for the team)."""
    if refusal := signed_in_or_login(request):
        return refusal
    event = event_or_404(request, pk, edit=True)
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        event = services.submit_event(event=event, actor=request.user)
    except services.AgendaError as error:
        messages.error(request, error.message)
    else:
        if event.publication == Publication.PUBLISHED:
            messages.success(request, _("L'événement est publié."))
        else:
            messages.success(
                request, _("L'événement est envoyé à l'équipe, qui le publiera après relecture.")
            )
    return redirect(event)


def change_status(request, pk):
    if refusal := signed_in_or_login(request):
        return refusal
    event = event_or_404(request, pk, edit=True)
    if request.method != "POST":
        return HttpResponse(status=405)
    target = request.POST.get("status", "")
    try:
        services.transition_status(event=event, to_status=target, actor=request.user)
    except services.AgendaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le statut est changé ; les inscrits sont prévenus."))
    return redirect(event)


@never_cache
def registrations(request, pk):
    if refusal := signed_in_or_login(request):
        return refusal
    event = event_or_404(request, pk, edit=True)
    rows = list(selectors.registrations_for_organiser(event))
    registered = [r for r in rows if r.status == RegistrationStatus.REGISTERED]
    form = AttendanceForm(request.POST or None, registrations=registered)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.set_attendance(event=event, actor=request.user, marks=form.marks())
        except services.AgendaError as error:
            errors.append(error.message)
        else:
            messages.success(
                request, _("Présences enregistrées (%(n)s changement(s)).") % {"n": changed}
            )
            return redirect("agenda:registrations", event.pk)
    return render(
        request,
        "agenda/registrations.html",
        {
            "event": event,
            "rows": rows,
            "form": form,
            "errors": errors,
            "refuse_form": RefuseForm(),
            "statuses": [s for s in Status if services.STATUS_MACHINE.can(event.status, s)],
            "crumbs": crumbs(
                PART, "agenda:index", (event.title, event.get_absolute_url()), (_("Inscrits"), None)
            ),
        },
    )


def registrations_csv(request, pk):
    if refusal := signed_in_or_login(request):
        return refusal
    event = event_or_404(request, pk, edit=True)
    return exports.csv_response(event)


def decide(request, pk, registration_pk):
    if refusal := signed_in_or_login(request):
        return refusal
    event = event_or_404(request, pk, edit=True)
    if request.method != "POST":
        return HttpResponse(status=405)
    registration = event.registrations.filter(pk=registration_pk).first()
    if registration is None:
        messages.error(request, _("Cette inscription n'existe pas."))
        return redirect("agenda:registrations", event.pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_registration(
            registration=registration,
            accept=accept,
            actor=request.user,
            reason=request.POST.get("reason", "")[:500],
        )
    except services.AgendaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Décision enregistrée ; la personne est prévenue."))
    return redirect("agenda:registrations", event.pk)
