"""The response being taken lives in the session: its id and raw resume token."""

from django.urls import reverse

from .. import selectors
from ..models import DiagnosticResponse

SESSION_KEY = selectors.SESSION_KEY


def remember(request, response: DiagnosticResponse, token: str) -> None:
    request.session[SESSION_KEY] = {"id": response.pk, "token": token}


def current(request) -> tuple[DiagnosticResponse | None, str]:
    return selectors.session_response(request.session)


def resume_url(request, token: str) -> str:
    if not token:
        return ""
    return request.build_absolute_uri(reverse("diagnostic:resume", args=[token]))
