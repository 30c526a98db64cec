from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token

from . import mail, navigation
from .permissions import team_required


def home(request):
    return render(request, "core/home.html", {"parts": navigation.parts()})


def legal_notice(request):
    return render(request, "core/legal_notice.html")


def privacy(request):
    return render(request, "core/privacy.html")


def accessibility(request):
    return render(request, "core/accessibility.html")


def sitemap(request):
    return render(request, "core/sitemap.html", {"parts": navigation.parts()})


@team_required
def staff(request):
    entries = [
        {"label": e.label, "url": reverse(e.url_name), "description": e.description}
        for e in navigation.staff_entries(request.user)
    ]
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
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors beyond the minimum: the failure may come from them.
    return render(request, "500.html", status=500)
