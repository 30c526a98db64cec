from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from . import mail, navigation, ratelimit
from .contact import services as contact_services
from .contact.forms import ContactForm
from .contact.ratelimits import LIMITS as CONTACT_LIMITS
from .permissions import team_required
from .refusals import Refusal


def home(request):
    return render(request, "core/home.html", {"parts": navigation.parts()})


def instance_details() -> dict:
    """The instance's publisher, director, host and address (settings ``LEGAL_*``)."""
    return {
        "publisher": settings.LEGAL_PUBLISHER,
        "address": settings.LEGAL_ADDRESS,
        "director": settings.LEGAL_DIRECTOR,
        "host": settings.LEGAL_HOST,
        "contact": settings.CONTACT_EMAIL,
    }


def legal_notice(request):
    return render(request, "core/legal_notice.html", {"legal": instance_details()})


def contact(request):
    """A message to the instance's team (honeypot, per client and per address limits)."""
    form = ContactForm(request.POST if request.method == "POST" else None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wait = CONTACT_LIMITS.check(
            client=("contact_ip", request), address=("contact_email", data["email"])
        )
        if wait:
            form.add_error(None, ratelimit.too_many_message(wait))
        else:
            contact_services.send_contact_message(
                name=data["name"],
                email=data["email"],
                subject=data["subject"],
                message=data["message"],
            )
            messages.success(
                request, _("Votre message est transmis à l'équipe ; elle vous répondra par e-mail.")
            )
            return redirect("core:contact")
    return render(
        request,
        "core/contact.html",
        {"form": form, "legal": instance_details()},
        status=429 if wait else 200,
    )


def privacy(request):
    # Durations the settings state are said from the settings, never retyped.
    return render(
        request,
        "core/privacy.html",
        {"fund_document_years": settings.FUND_DOCUMENT_RETENTION_YEARS},
    )


def accessibility(request):
    return render(request, "core/accessibility.html")


def sitemap(request):
    return render(request, "core/sitemap.html", {"parts": navigation.parts()})


def _age_in_days(oldest, now) -> int | None:
    """Days since ``oldest`` (a moment, or a date counted in Paris), None when unknown."""
    if oldest is None:
        return None
    if isinstance(oldest, datetime):
        return (now - oldest).days
    return (timezone.localdate() - oldest).days


@team_required
def staff(request):
    now = timezone.now()
    entries = []
    for entry in navigation.staff_entries(request.user):
        pending = navigation.pending_for(entry.url_name)
        entries.append(
            {
                "label": entry.label,
                "url": reverse(entry.url_name),
                "description": entry.description,
                "counted": pending is not None,
                "count": pending.count if pending else 0,
                "noun": pending.noun if pending else "",
                "oldest_days": _age_in_days(pending.oldest, now) if pending else None,
            }
        )
    # What needs doing first: cards with something waiting, then the others as registered.
    entries.sort(key=lambda e: not e["count"])
    return render(request, "core/staff.html", {"staff_entries": entries})


@team_required
def outbox(request):
    return render(request, "core/outbox.html", {"messages_list": mail.outbox_messages()})


@team_required
def outbox_detail(request, name):
    message = mail.outbox_message(name)
    if message is None:
        raise Http404
    return render(request, "core/outbox_detail.html", {"message": message})


def permission_denied(request, exception=None):
    # A refusal built by core.refusals says which role or state is missing and how to get it.
    refusal = exception if isinstance(exception, Refusal) else None
    return render(request, "403.html", {"refusal": refusal}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors beyond the minimum: the failure may come from them.
    return render(request, "500.html", status=500)
