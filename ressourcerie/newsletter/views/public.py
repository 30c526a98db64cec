"""The newsletter's public pages: subscribing, confirming, preferences, unsubscribing, the
subscriber's account page and the archive with its feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from ressourcerie.core import ratelimit
from ressourcerie.core.navigation import crumbs

from .. import conf, rendering, selectors, services, tokens
from ..forms import (
    PreferencesForm,
    SubscribeForm,
)
from ..models import Edition, EditionStatus, SubscriberStatus
from ..ratelimits import LIMITS

PART = gettext_lazy("Lettre d'information")


def _invalid(request, error: tokens.InvalidToken):
    return render(request, "newsletter/invalid_link.html", {"expired": error.expired}, status=400)


# --- public ---------------------------------------------------------------------------
@never_cache
def subscribe(request):
    form = SubscribeForm(request.POST or None, initial={"topics": []})
    wait = 0
    if request.method == "POST":
        wait = LIMITS.check(client=("subscribe_ip", request))
        if not wait and form.is_valid():
            # Counted per typed address whether or not it is subscribed already.
            wait = LIMITS.check(address=("subscribe_email", form.cleaned_data["email"]))
            if not wait:
                services.subscribe(
                    email=form.cleaned_data["email"],
                    topics=form.cleaned_data["topics"],
                    department=form.cleaned_data["department"],
                )
                return redirect("newsletter:subscribe_done")
        if wait:
            form.add_error(None, ratelimit.too_many_message(wait))
    return render(
        request,
        "newsletter/subscribe.html",
        {
            "form": form,
            "valid_days": conf.CONFIRMATION_DAYS,
            "crumbs": [(PART, None)],
        },
        status=429 if wait else 200,
    )


def subscribe_done(request):
    return render(
        request,
        "newsletter/subscribe_done.html",
        {
            "valid_days": conf.CONFIRMATION_DAYS,
            "crumbs": crumbs(PART, "newsletter:subscribe", (_("Inscription"), None)),
        },
    )


@never_cache
def confirm(request, token):
    try:
        subscriber, _edition = tokens.read(tokens.CONFIRM, token)
    except tokens.InvalidToken as error:
        return _invalid(request, error)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        done = True
    elif subscriber.status != SubscriberStatus.PENDING:
        return _invalid(request, tokens.InvalidToken())
    else:
        done = False
    # Confirmation happens on POST only: mail scanners open links, they do not submit forms.
    if request.method == "POST" and not done:
        services.confirm(subscriber=subscriber)
        done = True
    return render(
        request,
        "newsletter/confirm.html",
        {
            "subscriber": subscriber,
            "done": done,
            "preferences_url": rendering.preferences_url(subscriber.pk, subscriber.token_version),
            "crumbs": crumbs(PART, "newsletter:subscribe", (_("Confirmation"), None)),
        },
    )


@never_cache
def preferences(request, token):
    try:
        subscriber, _edition = tokens.read(tokens.PREFERENCES, token)
    except tokens.InvalidToken as error:
        return _invalid(request, error)
    form = PreferencesForm(
        request.POST or None,
        initial={"topics": subscriber.topic_codes, "department": subscriber.department_id},
    )
    if request.method == "POST" and request.POST.get("action") == "leave":
        services.unsubscribe(subscriber=subscriber, source="page de préférences")
        return redirect("newsletter:unsubscribed")
    if request.method == "POST" and form.is_valid():
        services.update_preferences(
            subscriber=subscriber,
            topics=form.cleaned_data["topics"],
            department=form.cleaned_data["department"],
        )
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect(request.path)
    return render(
        request,
        "newsletter/preferences.html",
        {
            "form": form,
            "subscriber": subscriber,
            "active": subscriber.status == SubscriberStatus.CONFIRMED,
            "crumbs": crumbs(PART, "newsletter:subscribe", (_("Mes préférences"), None)),
        },
    )


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a session
@never_cache
def unsubscribe(request, token):
    try:
        subscriber, edition_id = tokens.read(tokens.UNSUBSCRIBE, token)
    except tokens.InvalidToken as error:
        return _invalid(request, error)
    if request.method == "POST":
        services.unsubscribe(subscriber=subscriber, edition_id=edition_id, source="lien en un clic")
        return render(
            request,
            "newsletter/unsubscribed.html",
            {"crumbs": crumbs(PART, "newsletter:subscribe", (_("Désinscription"), None))},
        )
    # GET never unsubscribes: link scanners and previews open it.
    return render(
        request,
        "newsletter/unsubscribe.html",
        {
            "subscriber": subscriber,
            "already": subscriber.status == SubscriberStatus.UNSUBSCRIBED,
            "crumbs": crumbs(PART, "newsletter:subscribe", (_("Désinscription"), None)),
        },
    )


def unsubscribed(request):
    return render(
        request,
        "newsletter/unsubscribed.html",
        {"crumbs": crumbs(PART, "newsletter:subscribe", (_("Désinscription"), None))},
    )


@login_required
@never_cache
def account(request):
    subscriber = selectors.subscriber_for_user(request.user)
    active = subscriber is not None and subscriber.status == SubscriberStatus.CONFIRMED
    initial = {
        "topics": subscriber.topic_codes if active else [],
        "department": subscriber.department_id if active else None,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "leave" and active:
        services.unsubscribe(subscriber=subscriber, source="compte", actor=request.user)
        messages.success(request, _("Vous ne recevrez plus la lettre d'information."))
        return redirect("newsletter:account")
    can_subscribe = request.user.email_confirmed_at is not None
    if request.method == "POST" and can_subscribe and form.is_valid():
        services.subscribe_account(
            user=request.user,
            topics=form.cleaned_data["topics"],
            department=form.cleaned_data["department"],
        )
        messages.success(request, _("Votre abonnement est enregistré."))
        return redirect("newsletter:account")
    return render(
        request,
        "newsletter/account.html",
        {
            "form": form,
            "active": active,
            "can_subscribe": can_subscribe,
            "crumbs": crumbs(_("Mon compte"), "accounts:profile", (PART, None)),
        },
    )


def archive_list(request):
    return render(
        request,
        "newsletter/archive_list.html",
        {
            "editions": selectors.sent_editions()[:100],
            "crumbs": crumbs(PART, "newsletter:subscribe", (_("Archives"), None)),
        },
    )


def archive_detail(request, pk):
    edition = get_object_or_404(Edition, pk=pk, status=EditionStatus.SENT)
    content = rendering.EditionRenderer(edition).public_html()
    return render(
        request,
        "newsletter/archive_detail.html",
        {
            **content,
            "crumbs": crumbs(
                PART,
                "newsletter:subscribe",
                (_("Archives"), reverse("newsletter:archive_list")),
                (edition.subject, None),
            ),
        },
    )


class ArchiveFeed(Feed):
    feed_type = Atom1Feed
    title = _("Lettre d'information : archives")
    description = _("Les éditions envoyées de la lettre d'information.")

    def link(self):
        return reverse("newsletter:archive_list")

    def items(self):
        return selectors.sent_editions()[:20]

    def item_title(self, item):
        return item.subject

    def item_description(self, item):
        return rendering.EditionRenderer(item).body_html

    def item_pubdate(self, item):
        return item.sent_at

    def item_updateddate(self, item):
        return item.sent_at


# --- staff ----------------------------------------------------------------------------
