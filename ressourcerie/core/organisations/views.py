from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import ratelimit
from ..models import Organisation, OrganisationKind
from ..models.organisations import Sector
from ..navigation import crumbs
from ..permissions import (
    can_edit_organisation,
    can_invite_to_organisation,
    can_propose_verified_change,
    can_verify_organisation,
)
from ..refusals import organisation_member_refusal, team_refusal
from . import selectors, services
from .forms import CorrectionForm, InvitationForm, OrganisationForm
from .ratelimits import LIMITS

PAGE_SIZE = 20
LIST = "core:organisation_list"


def organisation_list(request):
    department = request.GET.get("departement", "")[:3]
    sector = request.GET.get("secteur", "")[:20]
    kind = request.GET.get("type", "")[:20]
    if sector not in Sector.values:
        sector = ""
    if kind not in OrganisationKind.values:
        kind = ""
    queryset = selectors.organisation_list(department=department, sector=sector, kind=kind)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/organisation_list.html",
        {
            "page_obj": page,
            "organisations": page.object_list,
            "departments": selectors.departments_with_organisations(),
            "sectors": Sector.choices,
            "kinds": OrganisationKind.choices,
            "department": department,
            "sector": sector,
            "kind": kind,
            "filtered": bool(department or sector or kind),
        },
    )


def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("commune__department"), slug=slug
    )
    can_edit = can_edit_organisation(request.user, organisation)
    can_invite = can_invite_to_organisation(request.user, organisation)
    return render(
        request,
        "core/organisation_detail.html",
        {
            "organisation": organisation,
            "can_edit": can_edit,
            "can_invite": can_invite,
            "can_verify": can_verify_organisation(request.user, organisation),
            "members": selectors.organisation_members(organisation) if can_edit else [],
            "pending_changes": services.pending_changes(organisation) if can_edit else [],
            "invitation_form": InvitationForm() if can_invite else None,
            "waiting_since": selectors.waiting_since(organisation),
            "verification_step": selectors.last_step(organisation) if can_edit else None,
            "usual_delay": selectors.USUAL_DELAY_DAYS,
            "crumbs": crumbs(_("Associations"), LIST, (organisation.name, None)),
        },
    )


def _safe_next(request) -> str:
    """Where the person was going (``?next=``, kept through the form), if it is this site's."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed and target.startswith("/") else ""


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    next_url = _safe_next(request)
    wait = 0
    if request.method == "POST" and form.is_valid():
        if wait := LIMITS.check(user=("create_user", request.user)):
            form.add_error(None, ratelimit.too_many_message(wait))
        else:
            try:
                organisation = services.create_organisation(
                    creator=request.user, data=form.organisation_data()
                )
            except services.OrganisationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "L'association est inscrite. L'équipe va la vérifier ; vous pouvez "
                        "déjà inviter les autres membres."
                    ),
                )
                # Back to what the person wanted to do (it says where the check stands).
                return redirect(next_url or organisation.get_absolute_url())
    return render(
        request,
        "core/organisation_form.html",
        {
            "form": form,
            "organisation": None,
            "next_url": next_url,
            "crumbs": crumbs(_("Associations"), LIST, (_("Inscrire une association"), None)),
        },
        status=429 if wait else 200,
    )


@login_required
def organisation_edit(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_edit_organisation(request.user, organisation):
        raise organisation_member_refusal(organisation)
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        data = form.organisation_data()
        held = services.held_for_moderation(
            organisation=organisation, actor=request.user, data=data
        )
        if held and not can_propose_verified_change(request.user, organisation):
            form.add_error(None, services.VERIFIED_CHANGE_REFUSED)
            for field in {"siren_siret" if f in ("siren", "siret") else f for f in held}:
                form.add_error(field, _("Changement réservé aux responsables de l'organisation."))
        else:
            try:
                change = services.update_organisation(
                    organisation=organisation, actor=request.user, data=data
                )
            except services.OrganisationError as error:
                form.add_error(None, error.message)
            else:
                if change is None:
                    messages.success(request, _("Les modifications sont enregistrées."))
                else:
                    messages.success(
                        request,
                        _(
                            "Les modifications sont enregistrées. L'organisation est vérifiée : "
                            "le changement de nom, de numéros ou d'adresses de contact "
                            "apparaîtra quand l'équipe l'aura accepté (vous serez prévenu "
                            "par e-mail)."
                        ),
                    )
                return redirect("core:organisation_detail", slug=organisation.slug)
    return render(
        request,
        "core/organisation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "next_url": "",
            "verified_change_allowed": can_propose_verified_change(request.user, organisation),
            "crumbs": crumbs(
                _("Associations"),
                LIST,
                (organisation.name, organisation.get_absolute_url()),
                (_("Modifier"), None),
            ),
        },
    )


@require_POST
@login_required
def organisation_verify(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_verify_organisation(request.user, organisation):
        raise team_refusal()
    try:
        services.verify_organisation(organisation=organisation, actor=request.user)
    except services.verification.VerificationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("L'organisation est marquée comme vérifiée."))
    return redirect("core:organisation_detail", slug=organisation.slug)


@login_required
def organisation_correction(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        if wait := LIMITS.check_contribution(request, "correction"):
            form.add_error(None, ratelimit.too_many_message(wait))
        else:
            services.report_correction(
                organisation=organisation, user=request.user, message=form.cleaned_data["message"]
            )
            messages.success(
                request,
                _("Merci ! L'équipe va vérifier votre correction et vous répondra par e-mail."),
            )
            return redirect("core:organisation_detail", slug=organisation.slug)
    return render(
        request,
        "core/organisation_correction.html",
        {
            "form": form,
            "organisation": organisation,
            "crumbs": crumbs(
                _("Associations"),
                LIST,
                (organisation.name, organisation.get_absolute_url()),
                (_("Signaler une erreur"), None),
            ),
        },
        status=429 if wait else 200,
    )
