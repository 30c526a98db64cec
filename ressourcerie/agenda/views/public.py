"""Public pages: the list with its filters, the event page, registration, calendar files."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ressourcerie.accounts.permissions import organisations_for
from ressourcerie.core import ratelimit
from ressourcerie.core.models import Department, Organisation, OrganisationKind
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.secret_links import secret_link
from ressourcerie.diagnostic import selectors as diagnostic

from .. import ics, jsonld, per_session, permissions, plan_actions, reservation, selectors, services
from ..forms import RegisterForm
from ..models import Kind, RegistrationMode, RegistrationStatus
from ..ratelimits import LIMITS
from .common import PART, calendar_response, event_or_404

FEED_LIMIT = 500
PAGE_SIZE = 20
NEAR_LIMIT = 200


def filters_from(request) -> selectors.Filters:
    department = request.GET.get("departement", "").strip()[:3]
    theme = request.GET.get("theme", "").strip()[:80]
    kind = request.GET.get("type", "").strip()
    action = request.GET.get("action", "").strip()[:60]
    return selectors.Filters(
        department=department if department.isalnum() else "",
        theme=theme if theme.replace("-", "").isalnum() else "",
        kind=kind if kind in Kind.values else "",
        plan_action=action if action.replace("-", "").replace("_", "").isalnum() else "",
        online=request.GET.get("en_ligne") == "1",
        near=request.GET.get("pres_de", "").strip()[:120],
    )


def index(request):
    filters = filters_from(request)
    if filters.near:
        listing = selectors.filtered_events(filters, limit=NEAR_LIMIT)
        items = listing.events
    else:
        listing = selectors.Listing(events=[])
        items = selectors.IdsFirst(selectors.filtered_queryset(filters))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    empty = page.paginator.count == 0
    proposals = selectors.nearest_elsewhere(filters) if empty and not filters.is_empty() else []
    return render(
        request,
        "agenda/index.html",
        {
            "filters": filters,
            "listing": listing,
            "page_obj": page,
            "events": page.object_list,
            "proposals": proposals,
            "departments": Department.objects.order_by("code"),
            "kinds": Kind.choices,
            "themes": selectors.theme_choices(),
            "plan_actions": plan_actions.choices_in(selectors.upcoming_events()),
            "can_create": permissions.can_create_event(request.user),
            "crumbs": [],
        },
    )


def event(request, pk):
    event = event_or_404(request, pk)
    remaining = selectors.remaining_seats(event)
    registration = selectors.live_registration(event, user=request.user)
    themes = selectors.theme_names(event.code_list("themes"))
    action_titles = diagnostic.plan_action_titles(event.plan_action_keys)
    return render(
        request,
        "agenda/event.html",
        {
            "event": event,
            "sessions": list(event.sessions.all()),
            "remaining": remaining,
            "full": remaining == 0,
            "waiting": selectors.waiting_count(event),
            "themes": themes,
            "plan_actions": action_titles,
            "audience": event.code_list("audience"),
            "json_ld": jsonld.event_json_ld(
                event, remaining=remaining, keywords=[*themes, *action_titles]
            ),
            "show_link": permissions.can_see_online_link(request.user, event),
            "can_edit": permissions.can_edit_event(request.user, event),
            "registration": registration,
            "registration_url": _own_link(registration),
            "session_rows": [
                (row, _own_link(row.registration))
                for row in per_session.session_rows(event, request.user)
            ]
            if event.per_session
            else [],
            "form": _register_form(request, event) if registration is None else None,
            "external": event.registration_mode == RegistrationMode.EXTERNAL,
            "deadline": selectors.withdrawal_deadline(event),
            "crumbs": crumbs(PART, "agenda:index", (event.title, None)),
        },
    )


def _own_link(registration):
    if registration is None:
        return ""
    return services.registration_secret(registration)


def _register_form(request, event, data=None):
    if event.is_reserved:
        organisations = reservation.member_organisations(request.user, event)
    else:
        organisations = organisations_for(request.user).filter(kind=OrganisationKind.ASSOCIATION)
    return RegisterForm(
        data,
        user=request.user,
        organisations=organisations,
        sessions=per_session.open_sessions(event) if event.per_session else None,
        reserved=event.is_reserved,
    )


@never_cache
def register(request, pk):
    event = event_or_404(request, pk)
    if request.method != "POST":
        return redirect(event)
    form = _register_form(request, event, request.POST)
    errors, wait = [], LIMITS.check(client=("register_ip", request))
    if not wait and form.is_valid():
        email = form.cleaned_data.get("email", "")
        if email:
            wait = LIMITS.check(address=("register_email", email))
        if not wait:
            try:
                registration = services.register(
                    event=event,
                    user=request.user,
                    email=email,
                    name=form.cleaned_data.get("name", ""),
                    organisation=form.cleaned_data.get("organisation"),
                    session=form.cleaned_data.get("session"),
                )
            except services.AgendaError as error:
                errors.append(error.message)
            else:
                messages.success(request, _status_message(registration))
                if request.user.is_authenticated:
                    return redirect(
                        "agenda:registration", services.registration_secret(registration)
                    )
                return redirect(event)
    if wait:
        errors.append(ratelimit.too_many_message(wait))
    return render(
        request,
        "agenda/register.html",
        {
            "event": event,
            "form": form,
            "errors": errors,
            "crumbs": crumbs(
                PART,
                "agenda:index",
                (event.title, event.get_absolute_url()),
                (_("Inscription"), None),
            ),
        },
        status=429 if wait else 200,
    )


def _status_message(registration) -> str:
    texts = {
        RegistrationStatus.PENDING: _(
            "Merci ! Ouvrez le lien que nous venons de vous envoyer par e-mail pour confirmer votre inscription."
        ),
        RegistrationStatus.REGISTERED: _(
            "Vous êtes inscrit. L'invitation est dans votre boîte e-mail."
        ),
        RegistrationStatus.WAITING: _(
            "L'événement est complet : vous êtes sur la liste d'attente. Nous vous écrirons si une place se libère."
        ),
        RegistrationStatus.AWAITING_APPROVAL: _(
            "Votre demande est envoyée : l'organisateur va l'examiner."
        ),
    }
    return texts.get(registration.status, _("Votre inscription est enregistrée."))


def event_ics(request, pk):
    event = event_or_404(request, pk)
    return calendar_response(ics.event_calendar(event), f"evenement-{event.pk}.ics")


def feed(request):
    filters = filters_from(request)
    events = selectors.filtered_events(filters, limit=FEED_LIMIT).events
    name = _("Agenda") + (f" ({filters.department})" if filters.department else "")
    return calendar_response(
        ics.calendar(selectors.sessions_for_feed(events), name=name), "agenda.ics"
    )


def structure_feed(request, slug):
    organisation = get_object_or_404(
        Organisation, slug=slug, kind=OrganisationKind.SUPPORT_STRUCTURE
    )
    events = selectors.events_of_structure(organisation).select_related(
        "organiser", "commune", "place"
    )[:FEED_LIMIT]
    body = ics.calendar(selectors.sessions_for_feed(events), name=organisation.name)
    return calendar_response(body, f"{organisation.slug}.ics")


@secret_link
def private_feed(request, token):
    user = selectors.calendar_user(token)
    if user is None:
        raise Http404
    registrations = selectors.registrations_of(user).filter(status=RegistrationStatus.REGISTERED)
    pairs = [(r.event, s) for r in registrations for s in selectors.sessions_of(r)]
    body = ics.calendar(pairs, name=_("Mes inscriptions"))
    return calendar_response(body, "mes-inscriptions.ics")
