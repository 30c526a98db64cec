from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ressourcerie.core import moderation, ratelimit
from ressourcerie.core.markdown import render_markdown
from ressourcerie.core.navigation import crumbs
from ressourcerie.toolbox import selectors as toolbox_selectors

from . import exports, permissions, selectors, services
from .forms import ContactForm, FilterForm, ImageForm, TestimonialForm
from .models import MARKDOWN_FIELDS, TestimonialImage
from .ratelimits import LIMITS

PER_PAGE = 20


class _SearchPage:
    """The search results seen through the Page interface components/pagination.html uses."""

    def __init__(self, results):
        self.number = results.page
        self.has_previous = results.has_previous
        self.has_next = results.has_next
        self.previous_page_number = results.page - 1
        self.next_page_number = results.page + 1
        self.paginator = type("P", (), {"num_pages": results.num_pages})()


def index(request):
    """Published testimonials: filters, and full-text search through the site search."""
    form = FilterForm(request.GET or None)
    filters = form.filters()
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    corrected = ""
    tool = None
    if filters.tool:
        tool = toolbox_selectors.get_tool(filters.tool)
    if query:
        results, testimonials = selectors.search_testimonials(
            query, filters, page=request.GET.get("page", 1), per_page=PER_PAGE
        )
        corrected = results.corrected_query
        page_obj = _SearchPage(results)
        total = results.total
    else:
        paginator = Paginator(selectors.list_testimonials(filters), PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        testimonials = list(page_obj.object_list)
        total = paginator.count
    return render(
        request,
        "testimonials/index.html",
        {
            "form": form,
            "query": query,
            "corrected_query": corrected,
            "testimonials": testimonials,
            "page_obj": page_obj,
            "total": total,
            "filtered": filters.active,
            "tool": tool,
            "can_submit": permissions.can_submit(request.user),
            "crumbs": [(_("Témoignages"), None)],
        },
    )


def _visible_or_404(request, pk):
    testimonial = selectors.get_testimonial(pk)
    if testimonial is None or not permissions.can_view(request.user, testimonial):
        raise Http404
    return testimonial


def _detail_context(request, testimonial, contact_form=None):
    user = request.user
    can_contact = permissions.can_contact(user, testimonial)
    return {
        "testimonial": testimonial,
        "html": {name: render_markdown(getattr(testimonial, name)) for name in MARKDOWN_FIELDS},
        "can_edit": permissions.can_edit(user, testimonial),
        "can_withdraw": permissions.can_withdraw(user, testimonial),
        "can_contact": can_contact,
        "contact_form": contact_form or (ContactForm() if can_contact else None),
        "history": moderation.history(testimonial)[:5]
        if permissions.is_author(user, testimonial)
        else [],
        "video_host": _host(testimonial.video_url),
        "crumbs": crumbs(_("Témoignages"), "testimonials:index", (testimonial.title, None)),
    }


def _host(url: str) -> str:
    return urlsplit(url).hostname or "" if url else ""


def detail(request, pk):
    testimonial = _visible_or_404(request, pk)
    return render(request, "testimonials/detail.html", _detail_context(request, testimonial))


@login_required
def create(request):
    organisations = permissions.associations_for(request.user)
    if not organisations.exists():
        raise permissions.submit_refusal(request.get_full_path())
    initial = {}
    first = organisations.select_related("commune__department").first()
    if first is not None:
        initial = {
            "organisation": first.pk,
            "sector": first.sector,
            "members_band": first.members_band,
            "department": first.commune.department_id if first.commune_id else None,
        }
    form = TestimonialForm(request.POST or None, organisations=organisations, initial=initial)
    wait = 0
    if request.method == "POST" and form.is_valid():
        wait = LIMITS.check_contribution(request, "create")
    if wait:
        form.add_error(None, ratelimit.too_many_message(wait))
    elif request.method == "POST" and form.is_valid():
        try:
            testimonial = services.submit_testimonial(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                data=form.story_data(),
                tools_before=form.cleaned_data["tools_before"],
                tools_after=form.cleaned_data["tools_after"],
                actors=form.cleaned_data.get("actors") or [],
            )
        except services.TestimonialError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(
                request,
                _(
                    "Merci ! Votre témoignage est enregistré et attend la relecture de "
                    "l'équipe. Vous pouvez maintenant ajouter des images."
                ),
            )
            return redirect("testimonials:images", pk=testimonial.pk)
    return render(
        request,
        "testimonials/form.html",
        {
            "form": form,
            "crumbs": crumbs(
                _("Témoignages"), "testimonials:index", (_("Raconter votre expérience"), None)
            ),
            "editing": None,
        },
        status=429 if wait else 200,
    )


def _editable_or_403(request, pk):
    testimonial = _visible_or_404(request, pk)
    if not permissions.can_edit(request.user, testimonial):
        raise permissions.edit_refusal(request.user, testimonial)
    return testimonial


@login_required
def edit(request, pk):
    testimonial = _editable_or_403(request, pk)
    form = TestimonialForm(
        request.POST or None,
        instance=testimonial,
        organisations=permissions.associations_for(request.user),
    )
    wait = 0
    if request.method == "POST" and form.is_valid():
        wait = LIMITS.check_contribution(request, "edit")
    if wait:
        form.add_error(None, ratelimit.too_many_message(wait))
    elif request.method == "POST" and form.is_valid():
        was_published = testimonial.is_published
        services.update_testimonial(
            testimonial=testimonial,
            user=request.user,
            data=form.story_data(),
            tools_before=form.cleaned_data["tools_before"],
            tools_after=form.cleaned_data["tools_after"],
            actors=form.cleaned_data.get("actors") or [],
        )
        messages.success(
            request,
            _("Modifications enregistrées. Le témoignage est de nouveau relu avant publication.")
            if was_published
            else _("Modifications enregistrées."),
        )
        return redirect(testimonial.get_absolute_url())
    return render(
        request,
        "testimonials/form.html",
        {
            "form": form,
            "editing": testimonial,
            "crumbs": crumbs(
                _("Témoignages"),
                "testimonials:index",
                (testimonial.title, testimonial.get_absolute_url()),
                (_("Modifier"), None),
            ),
        },
        status=429 if wait else 200,
    )


@login_required
def images(request, pk):
    testimonial = _editable_or_403(request, pk)
    # Counted before the form decodes the upload: decoding is the costly part.
    wait = LIMITS.check_contribution(request, "image") if request.method == "POST" else 0
    if wait:
        form = ImageForm(initial={"alt": request.POST.get("alt", "")})
        limited_message = ratelimit.too_many_message(wait, kept=False)
    else:
        form = ImageForm(request.POST or None, request.FILES or None)
        limited_message = ""
    if request.method == "POST" and not wait and form.is_valid():
        try:
            services.add_image(
                testimonial=testimonial,
                user=request.user,
                upload=form.cleaned_data["image"],
                alt=form.cleaned_data["alt"],
            )
        except ValidationError as error:
            form.add_error("image", error)
        else:
            messages.success(request, _("Image ajoutée."))
            return redirect("testimonials:images", pk=testimonial.pk)
    return render(
        request,
        "testimonials/images.html",
        {
            "testimonial": testimonial,
            "form": form,
            "images": list(testimonial.images.all()),
            "limited_message": limited_message,
            "crumbs": crumbs(
                _("Témoignages"),
                "testimonials:index",
                (testimonial.title, testimonial.get_absolute_url()),
                (_("Images"), None),
            ),
        },
        status=429 if wait else 200,
    )


@login_required
@require_POST
def image_delete(request, pk, image_pk):
    testimonial = _editable_or_403(request, pk)
    image = get_object_or_404(TestimonialImage, pk=image_pk, testimonial=testimonial)
    services.remove_image(image=image)
    messages.success(request, _("Image retirée."))
    return redirect("testimonials:images", pk=testimonial.pk)


@login_required
def withdraw(request, pk):
    testimonial = _visible_or_404(request, pk)
    if not permissions.can_withdraw(request.user, testimonial):
        raise permissions.withdraw_refusal(request.user, testimonial)
    if request.method == "POST":
        try:
            services.withdraw_testimonial(testimonial=testimonial, user=request.user)
        except moderation.ModerationError as error:
            messages.error(request, error.message)
            return redirect(testimonial.get_absolute_url())
        messages.success(request, _("Votre témoignage est retiré : il n'apparaît plus nulle part."))
        return redirect("testimonials:mine")
    return render(
        request,
        "testimonials/withdraw.html",
        {
            "testimonial": testimonial,
            "crumbs": crumbs(
                _("Témoignages"),
                "testimonials:index",
                (testimonial.title, testimonial.get_absolute_url()),
                (_("Retirer"), None),
            ),
        },
    )


@login_required
def mine(request):
    return render(
        request,
        "testimonials/mine.html",
        {
            "testimonials": list(selectors.testimonials_by(request.user)),
            "can_submit": permissions.can_submit(request.user),
            "crumbs": crumbs(_("Témoignages"), "testimonials:index", (_("Mes témoignages"), None)),
        },
    )


@login_required
@require_POST
def contact(request, pk):
    testimonial = selectors.get_published(pk)
    if testimonial is None:
        raise Http404
    if not permissions.can_contact(request.user, testimonial):
        raise permissions.contact_refusal(request.user, testimonial)
    form = ContactForm(request.POST)
    wait = 0
    if form.is_valid():
        if wait := LIMITS.check(
            user=("contact_user", request.user), client=("contact_ip", request)
        ):
            form.add_error(
                None,
                f"{_('Vous avez envoyé beaucoup de messages.')} {ratelimit.retry_message(wait)}",
            )
        else:
            services.send_contact_message(
                testimonial=testimonial, sender=request.user, message=form.cleaned_data["message"]
            )
            messages.success(request, _("Message transmis à l'association."))
            return redirect(testimonial.get_absolute_url())
    return render(
        request,
        "testimonials/detail.html",
        _detail_context(request, testimonial, contact_form=form),
        status=429 if wait else 400,
    )


def export(request, fmt):
    return exports.export_response(fmt)
