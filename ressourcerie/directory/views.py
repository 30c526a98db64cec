import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from ressourcerie.accounts.models import Role
from ressourcerie.accounts.permissions import organisations_for
from ressourcerie.accounts.services import InvalidConfirmationLink
from ressourcerie.core import moderation, ratelimit
from ressourcerie.core.models import ModerationStatus, OrganisationKind
from ressourcerie.core.navigation import crumbs
from ressourcerie.core.permissions import team_required
from ressourcerie.core.secret_links import secret_link

from . import opening_hours, permissions, selectors, services
from .forms import (
    CODE_LIST_FIELDS,
    ClaimCodeCheckForm,
    ClaimCodeForm,
    ClaimDecisionForm,
    ClaimStaffForm,
    ConfirmForm,
    ContactForm,
    ImportForm,
    NearForm,
    PlaceEditForm,
    ReportForm,
)
from .importers import import_file
from .models import PlaceEdit
from .ratelimits import LIMITS

# Relay limits: a person writes a few messages an hour; a place is not flooded.


PART = _l("Annuaire et carte des acteurs")


def near(request):
    form = NearForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        lat, lon = data.get("lat"), data.get("lon")
        if data.get("q") or (lat is not None and lon is not None):
            located = lat is not None and lon is not None and not data.get("q")
            result = selectors.search_near(
                text=data.get("q") or "",
                latitude=lat if located else None,
                longitude=lon if located else None,
                filters=form.filters(),
                radius_km=data.get("rayon"),
                limit=20,
            )
    return render(
        request,
        "directory/near.html",
        {
            "form": form,
            "result": result,
            "checks": [form["gratuit"], form["accessible"], form["ouvert"]],
            "filters_set": form.is_bound and form.is_valid() and not form.filters().is_empty(),
            "crumbs": [(PART, None)],  # the part's own page
            "now": timezone.now(),
        },
    )


def map_view(request):
    form = NearForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else selectors.Filters()
    queryset = selectors.filtered_places(filters).exclude(latitude__isnull=True)
    page = Paginator(queryset.order_by("name").only("name", "slug", "commune_name"), 50)
    page_obj = page.get_page(request.GET.get("page"))
    return render(
        request,
        "directory/map.html",
        {
            "form": form,
            "points": selectors.map_points(filters),
            "page_obj": page_obj,
            "places": page_obj.object_list,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "crumbs": crumbs(PART, "directory:near", (_("Carte"), None)),
        },
    )


@cache_control(max_age=86400, public=True)
def departments_geojson(request):
    path = settings.BASE_DIR / "data" / "departements.geojson"
    return FileResponse(path.open("rb"), content_type="application/geo+json")


def _json_ld(request, place) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Place",
        "name": place.name,
        "url": request.build_absolute_uri(place.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": place.address,
            "postalCode": place.postal_code,
            "addressLocality": place.commune_name,
            "addressCountry": "FR",
        },
    }
    if place.latitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    if place.phone:
        data["telephone"] = place.phone
    if place.summary:
        data["description"] = place.summary
    if place.opening_hours and opening_hours.parse(place.opening_hours):
        data["openingHours"] = place.opening_hours
    text = json.dumps(data, ensure_ascii=False)
    # Same escaping as json_script: nothing in the data can close the element.
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


def place_detail(request, slug):
    place = selectors.place_by_slug_or_id(slug)
    if place is None:
        raise Http404
    if place.slug != slug:
        return redirect(place, permanent=True)
    week = opening_hours.parse(place.opening_hours)
    user = request.user
    return render(
        request,
        "directory/place_detail.html",
        {
            "place": place,
            "week": week,
            "hours_table": week.table() if week else [],
            "open_now": week.is_open(timezone.now()) if week else None,
            "json_ld": _json_ld(request, place),
            "sources": list(place.sources.all()),
            "kinds": place.labels("kinds"),
            "guidasso_level": place.get_guidasso_level_display() if place.guidasso_level else "",
            "association_support": place.labels("association_support"),
            "services": place.labels("services"),
            "publics": place.labels("publics") + place.labels("specific_support"),
            "fees": place.labels("fees"),
            "programmes": place.labels("national_programmes"),
            "access_modes": place.labels("access_modes"),
            "support_modes": place.labels("support_modes"),
            "labels": place.labels("training_labels") + list(place.other_labels or []),
            "equipment": place.labels("accepted_equipment"),
            "stale": selectors.is_stale(place),
            "last_confirmed": selectors.last_confirmed_at(place),
            "has_contact": bool(selectors.contact_emails(place)),
            "can_edit": permissions.can_edit_place(user, place),
            "is_editor": permissions.is_place_editor(user, place),
            "crumbs": crumbs(PART, "directory:near", (place.name, None)),
        },
    )


@require_http_methods(["GET", "POST"])
def report_error(request, slug):
    place = selectors.place_by_slug_or_id(slug)
    if place is None:
        raise Http404
    form = ReportForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        if wait := LIMITS.check_contribution(request, "report"):
            form.add_error(None, ratelimit.too_many_message(wait))
        else:
            report = form.save(commit=False)
            report.place = place
            user = request.user if request.user.is_authenticated else None
            moderation.submit(obj=report, by=user)
            messages.success(request, _("Merci : l'équipe va vérifier et corriger la fiche."))
            return redirect(place)
    return render(
        request,
        "directory/report.html",
        {
            "place": place,
            "form": form,
            "crumbs": crumbs(
                PART,
                "directory:near",
                (place.name, place.get_absolute_url()),
                (_("Signaler"), None),
            ),
        },
        status=429 if wait else 200,
    )


@team_required
@require_http_methods(["GET", "POST"])
def import_places(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_file(
            data=upload.read(),
            file_name=upload.name[:200],
            dataset=form.cleaned_data["dataset"],
            dry_run=form.cleaned_data["dry_run"],
        )
        services.log_import(report=report, by=request.user)
    return render(
        request,
        "directory/import.html",
        {
            "form": form,
            "report": report,
            "crumbs": crumbs(PART, "directory:near", (_("Importer des lieux"), None)),
        },
    )


def _place_or_404(slug):
    place = selectors.place_by_slug_or_id(slug)
    if place is None or place.slug != slug:
        raise Http404
    return place


def _support_structures(user):
    return organisations_for(user, role=Role.EDITOR).filter(kind=OrganisationKind.SUPPORT_STRUCTURE)


# --- Claims ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def claim(request, slug):
    """Ask to manage a listing: a code to its published address, or the team's approval."""
    place = _place_or_404(slug)
    if not permissions.can_claim_place(request.user, place):
        messages.info(request, _("Vous gérez déjà cette fiche."))
        return redirect("directory:edit", slug=place.slug)
    structures = list(_support_structures(request.user))
    action = request.POST.get("action") if request.method == "POST" else None
    code_form = ClaimCodeForm(
        request.POST if action == "code" else None,
        place=place,
        structures=structures,
        prefix="code",
    )
    staff_form = ClaimStaffForm(
        request.POST if action == "staff" else None,
        place=place,
        structures=structures,
        prefix="staff",
    )
    has_email = bool(selectors.listing_emails(place))
    wait = 0
    if action == "code" and has_email and code_form.is_valid():
        # The code is e-mailed to the listing's address: counted for that address too.
        wait = LIMITS.check_contribution(request, "claim") or LIMITS.check(
            address=("claim_code_email", code_form.cleaned_data["email"])
        )
        if wait:
            code_form.add_error(None, ratelimit.too_many_message(wait))
        else:
            try:
                services.start_code_claim(
                    place=place,
                    user=request.user,
                    email=code_form.cleaned_data["email"],
                    organisation=code_form.chosen_structure(),
                )
            except services.DirectoryError as error:
                code_form.add_error("email", error.message)
            else:
                return redirect("directory:claim_code", slug=place.slug)
    if (
        action == "staff"
        and staff_form.is_valid()
        and (wait := LIMITS.check_contribution(request, "claim"))
    ):
        staff_form.add_error(None, ratelimit.too_many_message(wait))
    if action == "staff" and not wait and staff_form.is_valid():
        services.request_staff_claim(
            place=place,
            user=request.user,
            message=staff_form.cleaned_data["message"],
            organisation=staff_form.chosen_structure(),
        )
        messages.success(
            request,
            _("Demande envoyée : l'équipe vous répond par e-mail, en général sous une semaine."),
        )
        return redirect(place)
    return render(
        request,
        "directory/claim.html",
        {
            "place": place,
            "code_form": code_form,
            "staff_form": staff_form,
            "has_email": has_email,
            "has_structures": bool(structures),
            "crumbs": crumbs(
                PART, "directory:near", (place.name, place.get_absolute_url()), (_("Gérer"), None)
            ),
        },
        status=429 if wait else 400 if action and request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_code(request, slug):
    place = _place_or_404(slug)
    pending = services.current_code_claim(place=place, user=request.user)
    if pending is None:
        return redirect("directory:claim", slug=place.slug)
    form = ClaimCodeCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_claim_code(claim=pending, code=form.cleaned_data["code"]):
            messages.success(
                request, _("C'est fait : vous gérez cette fiche. Vérifiez-la et complétez-la.")
            )
            return redirect("directory:edit", slug=place.slug)
        pending.refresh_from_db()
        if pending.attempts >= services.CLAIM_CODE_MAX_ATTEMPTS:
            form.add_error("code", _("Trop d'essais : demandez un nouveau code."))
        else:
            form.add_error("code", _("Code incorrect ou expiré."))
    return render(
        request,
        "directory/claim_code.html",
        {
            "place": place,
            "form": form,
            "sent_to": pending.code_sent_to,
            "crumbs": crumbs(
                PART, "directory:near", (place.name, place.get_absolute_url()), (_("Gérer"), None)
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@team_required
def claim_requests(request):
    claims = list(selectors.pending_claims()[:100])
    for item in claims:
        item.moves = services.allowed_moves(item, request.user)
        item.form = ClaimDecisionForm(moves=item.moves, prefix=f"claim-{item.pk}")
    recent = selectors.decided_claims()[:20]
    return render(
        request,
        "directory/claim_requests.html",
        {
            "claims": claims,
            "recent": recent,
            "crumbs": crumbs(
                _("Gestion"), "core:staff", (_("Demandes de gestion de fiches"), None)
            ),
        },
    )


@require_POST
@team_required
def claim_decide(request, pk):
    item = selectors.pending_claim(pk)
    if item is None:
        raise Http404
    item.moves = services.allowed_moves(item, request.user)
    form = ClaimDecisionForm(request.POST, moves=item.moves, prefix=f"claim-{item.pk}")
    if form.is_valid():
        try:
            services.transition_claim(
                claim=item,
                to_status=form.target_status(),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.DirectoryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Décision enregistrée ; la personne est prévenue."))
            return redirect("directory:claims")
    item.form = form
    return render(
        request,
        "directory/claim_requests.html",
        {
            "claims": [item],
            "recent": [],
            "crumbs": crumbs(
                _("Gestion"),
                "core:staff",
                (_("Demandes de gestion de fiches"), reverse("directory:claims")),
                (item.place.name, None),
            ),
        },
        status=400,
    )


# --- Editing --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit_place(request, slug):
    place = _place_or_404(slug)
    if not permissions.can_edit_place(request.user, place):
        raise PermissionDenied
    form = PlaceEditForm(request.POST or None, place=place)
    wait = 0
    if (
        request.method == "POST"
        and form.is_valid()
        and (wait := LIMITS.check_contribution(request, "edit"))
    ):
        form.add_error(None, ratelimit.too_many_message(wait))
    if request.method == "POST" and not wait and form.is_valid():
        try:
            edit = services.propose_place_edit(place=place, user=request.user, data=form.changes())
        except services.DirectoryError as error:
            form.add_error(None, error.message)
        else:
            if edit.moderation_status == ModerationStatus.PUBLISHED:
                messages.success(request, _("Fiche modifiée."))
            else:
                messages.success(
                    request,
                    _(
                        "Merci : vos modifications sont enregistrées et seront publiées après "
                        "relecture par l'équipe."
                    ),
                )
            return redirect(place)
    return render(
        request,
        "directory/edit.html",
        {
            "place": place,
            "form": form,
            "pending": selectors.pending_edits(place).exists(),
            "checkbox_fields": list(CODE_LIST_FIELDS),
            "crumbs": crumbs(
                PART,
                "directory:near",
                (place.name, place.get_absolute_url()),
                (_("Modifier"), None),
            ),
        },
        status=429 if wait else 400 if request.method == "POST" else 200,
    )


@team_required
def edit_review(request, pk):
    """What an edit changes, before and after, for the moderator."""
    from .models import Place

    edit = get_object_or_404(PlaceEdit.objects.select_related("place", "submitted_by"), pk=pk)
    rows = []
    for field, new in edit.changes.items():
        model_field = Place._meta.get_field(field)
        old = edit.previous.get(field, "")
        rows.append((model_field.verbose_name, _show(model_field, old), _show(model_field, new)))
    return render(
        request,
        "directory/edit_review.html",
        {
            "edit": edit,
            "rows": rows,
            "crumbs": crumbs(
                _("Gestion"),
                "core:staff",
                (_("Modération"), reverse("core:moderation_queue")),
                (edit.place.name, None),
            ),
        },
    )


def _show(model_field, value) -> str:
    from . import vocabulary as v

    if value in (None, "", []):
        return "—"
    if getattr(model_field, "choices_class", None):
        return ", ".join(v.labels(model_field.choices_class, value))
    if isinstance(value, list):
        return ", ".join(str(x) for x in value)
    if model_field.choices:
        return str(dict(model_field.choices).get(value, value))
    return str(value)


# --- Freshness ------------------------------------------------------------------------------


@secret_link
@require_http_methods(["GET", "POST"])
def confirm_by_link(request, token):
    """The "toujours à jour" link of the reminder: GET shows a button, POST confirms (mail
    scanners follow links; a GET must change nothing)."""
    try:
        place = services.place_for_reminder_token(token)
    except InvalidConfirmationLink as error:
        return render(
            request,
            "directory/confirm.html",
            {"place": None, "expired": error.expired, "done": False, "form": None},
            status=400,
        )
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    done = False
    if request.method == "POST" and form.is_valid():
        services.confirm_place(
            place=place, by=request.user if request.user.is_authenticated else None
        )
        done = True
    return render(
        request,
        "directory/confirm.html",
        {"place": place, "expired": False, "done": done, "form": form},
    )


@require_POST
@login_required
def confirm_current(request, slug):
    place = _place_or_404(slug)
    if not permissions.can_edit_place(request.user, place):
        raise PermissionDenied
    services.confirm_place(place=place, by=request.user)
    messages.success(request, _("Merci : la fiche est confirmée à jour."))
    return redirect(place)


@team_required
@require_http_methods(["GET", "POST"])
def stale_places(request):
    if request.method == "POST":
        place = get_object_or_404(selectors.published_places(), pk=request.POST.get("place"))
        services.confirm_place(place=place, by=request.user)
        messages.success(
            request, _("« %(name)s » est marquée comme vérifiée.") % {"name": place.name}
        )
        return redirect(f"{reverse('directory:stale')}?{request.GET.urlencode()}")
    queryset = selectors.stale_places()
    page_obj = Paginator(queryset, 25).get_page(request.GET.get("page"))
    for place in page_obj.object_list:
        place.last_confirmed = selectors.last_confirmed_at(place)
    return render(
        request,
        "directory/stale.html",
        {
            "page_obj": page_obj,
            "places": page_obj.object_list,
            "total": page_obj.paginator.count,
            "crumbs": crumbs(_("Gestion"), "core:staff", (_("Fiches à vérifier"), None)),
        },
    )


# --- Mise en relation ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, slug):
    """A member of an association writes to the actor through the site."""
    place = _place_or_404(slug)
    can_write = permissions.can_write_to_place(request.user)
    associations = list(permissions.associations_writing_as(request.user)) if can_write else []
    has_contact = bool(selectors.contact_emails(place))
    form = None
    wait = 0
    if can_write and has_contact:
        form = ContactForm(request.POST or None, associations=associations)
        if request.method == "POST" and form.is_valid():
            if wait := LIMITS.check(user=("contact_user", request.user)):
                form.add_error(
                    None,
                    f"{_('Vous avez envoyé beaucoup de messages.')} "
                    f"{ratelimit.retry_message(wait)}",
                )
            elif wait := LIMITS.check(key=("contact_place", f"place:{place.pk}")):
                form.add_error(
                    None,
                    _("Ce lieu a reçu beaucoup de messages aujourd'hui : réessayez demain."),
                )
            else:
                try:
                    services.send_contact_message(
                        place=place,
                        sender=request.user,
                        organisation=form.chosen_association(),
                        subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"],
                    )
                except services.DirectoryError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(
                        request,
                        _("Message envoyé. Le lieu vous répondra directement par e-mail."),
                    )
                    return redirect(place)
    return render(
        request,
        "directory/contact.html",
        {
            "place": place,
            "form": form,
            "associations": associations,
            "has_contact": has_contact,
            "crumbs": crumbs(
                PART, "directory:near", (place.name, place.get_absolute_url()), (_("Écrire"), None)
            ),
        },
        status=429 if wait else 400 if request.method == "POST" and form is not None else 200,
    )
