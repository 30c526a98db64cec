"""What the agenda's views share."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy

from .. import permissions, reservation, selectors

PART = gettext_lazy("Agenda")  # the root of every breadcrumb trail


def signed_in_or_login(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def event_or_404(request, pk, *, edit: bool = False):
    """The event if this person may see it (or edit it); 404 otherwise, so that a stranger
    does not even learn that a draft exists."""
    event = selectors.event_for_page(pk)
    if event is None:
        raise Http404
    allowed = permissions.can_edit_event if edit else permissions.can_see_event
    if not allowed(request.user, event):
        raise Http404
    hidden = not edit and not reservation.may_see(request.user, event)
    if hidden and not permissions.can_edit_event(request.user, event):
        raise reservation.refusal(request.user, request.get_full_path())
    return event


def calendar_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
