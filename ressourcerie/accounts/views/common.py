"""What several account pages share: the rate-limit refusal, the ``next`` address."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ressourcerie.core import ratelimit

# Where a sign-in by e-mailed code keeps the typed address and the page to go back to
# (services._delete_sessions_of reads the first one to sign the person out everywhere).
SESSION_CODE_EMAIL = "accounts_code_email"
SESSION_NEXT = "accounts_next"
# The page a person wanted when they signed up, until their confirmation link signs them in.
SESSION_SIGNUP_NEXT = "accounts_signup_next"


def too_many(wait: int) -> str:
    """The refusal of a rate limit: what happened, and when to try again."""
    return f"{_('Trop de tentatives en peu de temps.')} {ratelimit.retry_message(wait)}"


def safe_next(request, value) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def after_login(request, next_url=""):
    return redirect(next_url or reverse(settings.LOGIN_REDIRECT_URL))
