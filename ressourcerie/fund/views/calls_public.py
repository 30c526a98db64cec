"""Public pages of the calls: the list, one page per call (with, for a signed-in member, the
eligibility answer of each of their associations before any form), and the Atom feed."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ressourcerie.core.markdown import render_markdown
from ressourcerie.core.navigation import crumbs

from .. import permissions, text
from ..selectors import call_pages
from ..selectors import calls as call_selectors
from .common import PART


def call_list(request):
    sections = call_selectors.calls_by_section()
    return render(
        request,
        "fund/calls/list.html",
        {
            "sections": sections,
            "empty": not any(sections.values()),
            "crumbs": [(PART, None)],
        },
    )


def call_detail(request, slug):
    call = call_selectors.call_page(slug)
    preview = call is not None and permissions.can_manage_fund(request.user)
    if call is None or not (call_selectors.is_public(call) or preview):
        raise Http404
    return render(
        request,
        "fund/calls/detail.html",
        {
            "call": call,
            "is_public": call_selectors.is_public(call),
            "can_manage": permissions.can_manage_fund(request.user),
            "text_html": render_markdown(call.text),
            "budget_euros": text.euros(call.budget_euros),
            "budget_days": text.days(call.budget_days),
            "day_value": text.euros(call.day_value_euros),
            "rules": call_pages.rules_in_french(call),
            "formats": call_pages.formats_in_french(call),
            "panels": call_pages.panels_for(call, request.user),
            "crumbs": crumbs(PART, "fund:call_list", (call.title, None)),
        },
    )


class CallFeed(Feed):
    """Atom feed of the public calls, newest change first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Appels du fonds d'accompagnement")
    subtitle = gettext_lazy("Les appels à projets ouverts, à venir et clos.")

    def link(self):
        return reverse("fund:call_list")

    def items(self):
        return call_selectors.latest_public_calls()

    def item_title(self, call):
        return f"{call.title} ({call.get_status_display().lower()})"

    def item_description(self, call):
        return _("%(summary)s Du %(start)s au %(end)s ; %(euros)s € et %(days)s jours.") % {
            "summary": call.summary,
            "start": call.opens_on.strftime("%d/%m/%Y"),
            "end": call.closes_on.strftime("%d/%m/%Y"),
            "euros": text.euros(call.budget_euros),
            "days": text.days(call.budget_days),
        }

    def item_updateddate(self, call):
        return call.updated_at

    def item_pubdate(self, call):
        return call.created_at


call_feed = CallFeed()
